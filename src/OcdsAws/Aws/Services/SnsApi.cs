using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Aws.Services
{
    /// <summary>SNS (Query).</summary>
    internal sealed class SnsApi
    {
        private readonly AwsServiceClient _client;

        public SnsApi(AwsServiceClient client) => _client = client;

        /// <summary>Creates a topic, or returns the ARN of the existing one with the same name and attributes (SNS is idempotent here).</summary>
        public async Task<string> CreateTopicAsync(string name, IEnumerable<KeyValuePair<string, string>>? attributes, CancellationToken ct)
        {
            var result = await _client.QueryAsync("CreateTopic", new QueryParameters().Add("Name", name).AddMap("Attributes.entry", attributes), ct).ConfigureAwait(false);
            return result.Text("TopicArn") ?? "";
        }

        /// <summary>All topic ARNs (follows NextToken).</summary>
        public async Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken ct)
        {
            var arns = new List<string>();
            string? next = null;
            do
            {
                var result = await _client.QueryAsync("ListTopics", new QueryParameters().Add("NextToken", next), ct).ConfigureAwait(false);
                arns.AddRange(result.List("Topics").Select(t => t.Text("TopicArn")).Where(a => a != null).Select(a => a!));
                next = result.Text("NextToken");
            }
            while (!string.IsNullOrEmpty(next));
            return arns;
        }
    }
}
