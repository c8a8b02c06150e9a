using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Aws.Services
{
    /// <summary>SES classic (Query): receipt rules and identity notifications exist only in this API.</summary>
    internal sealed class SesClassicApi
    {
        private readonly AwsServiceClient _client;

        public SesClassicApi(AwsServiceClient client) => _client = client;

        public Task VerifyEmailIdentityAsync(string emailAddress, CancellationToken ct)
            => _client.QueryAsync("VerifyEmailIdentity", new QueryParameters().Add("EmailAddress", emailAddress), ct);

        /// <summary>Identity → verification status (Pending, Success, Failed, TemporaryFailure, NotStarted).</summary>
        public async Task<IReadOnlyDictionary<string, string>> GetIdentityVerificationAttributesAsync(IEnumerable<string> identities, CancellationToken ct)
        {
            var result = await _client.QueryAsync("GetIdentityVerificationAttributes", new QueryParameters().AddList("Identities.member", identities), ct).ConfigureAwait(false);
            return result.Map("VerificationAttributes").ToDictionary(e => e.Key, e => e.Value.Text("VerificationStatus") ?? "");
        }
    }
}
