using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Aws.Services
{
    /// <summary>A receipt rule as far as the capture needs it.</summary>
    internal sealed class ReceiptRuleInfo
    {
        public string Name { get; set; } = "";
        public bool Enabled { get; set; }
        public IReadOnlyList<string> Recipients { get; set; } = new string[0];
        public IReadOnlyList<string> S3Buckets { get; set; } = new string[0];
    }

    /// <summary>A receipt rule set and its rules, in the order SES runs them.</summary>
    internal sealed class ReceiptRuleSetInfo
    {
        public ReceiptRuleSetInfo(string name, IReadOnlyList<ReceiptRuleInfo> rules)
        {
            Name = name;
            Rules = rules;
        }

        public string Name { get; }
        public IReadOnlyList<ReceiptRuleInfo> Rules { get; }
    }

    /// <summary>SES classic receipt rule sets and rules (Query): they exist only in the classic API.</summary>
    internal sealed class SesReceiptApi
    {
        private readonly AwsServiceClient _client;

        public SesReceiptApi(AwsServiceClient client) => _client = client;

        public Task CreateReceiptRuleSetAsync(string ruleSetName, CancellationToken ct)
            => _client.QueryAsync("CreateReceiptRuleSet", new QueryParameters().Add("RuleSetName", ruleSetName), ct);

        /// <summary>The rule set names of the account in this region.</summary>
        public async Task<IReadOnlyList<string>> ListReceiptRuleSetsAsync(CancellationToken ct)
        {
            var names = new List<string>();
            string? next = null;
            do
            {
                var result = await _client.QueryAsync("ListReceiptRuleSets", new QueryParameters().Add("NextToken", next), ct).ConfigureAwait(false);
                names.AddRange(result.List("RuleSets").Select(r => r.Text("Name") ?? ""));
                next = result.Text("NextToken");
            }
            while (!string.IsNullOrEmpty(next));
            return names;
        }

        /// <summary>
        /// The active rule set's name and rules in order, or null when none is active (botocore's ses model:
        /// DescribeActiveReceiptRuleSetResponse has Metadata and Rules; no Metadata when no rule set is active).
        /// </summary>
        public async Task<ReceiptRuleSetInfo?> DescribeActiveReceiptRuleSetAsync(CancellationToken ct)
        {
            var result = await _client.QueryAsync("DescribeActiveReceiptRuleSet", new QueryParameters(), ct).ConfigureAwait(false);
            var name = result.Element("Metadata")?.Text("Name");
            return name == null ? null : new ReceiptRuleSetInfo(name, Rules(result));
        }

        /// <summary>Activates a rule set; null deactivates whichever is active.</summary>
        public Task SetActiveReceiptRuleSetAsync(string? ruleSetName, CancellationToken ct)
            => _client.QueryAsync("SetActiveReceiptRuleSet", new QueryParameters().Add("RuleSetName", ruleSetName), ct);

        public async Task<IReadOnlyList<ReceiptRuleInfo>> DescribeReceiptRuleSetAsync(string ruleSetName, CancellationToken ct)
        {
            var result = await _client.QueryAsync("DescribeReceiptRuleSet", new QueryParameters().Add("RuleSetName", ruleSetName), ct).ConfigureAwait(false);
            return Rules(result);
        }

        private static IReadOnlyList<ReceiptRuleInfo> Rules(System.Xml.Linq.XElement result)
        {
            return result.List("Rules").Select(r => new ReceiptRuleInfo
            {
                Name = r.Text("Name") ?? "",
                Enabled = r.Bool("Enabled") ?? false,
                Recipients = r.List("Recipients").Select(x => x.Value).ToList(),
                S3Buckets = r.List("Actions").Select(a => a.Element("S3Action")?.Text("BucketName")).Where(b => b != null).Select(b => b!).ToList(),
            }).ToList();
        }

        /// <summary>
        /// A rule that stores mail for exactly these recipients in a bucket (with spam/virus scanning). No <c>After</c>:
        /// the rule goes first in the set (botocore's ses model, CreateReceiptRuleRequest.After: "If this parameter is
        /// null, the new rule is inserted at the beginning of the rule list.").
        /// </summary>
        public Task CreateReceiptRuleAsync(string ruleSetName, string ruleName, IEnumerable<string> recipients, string bucket, string? objectKeyPrefix, CancellationToken ct)
            => _client.QueryAsync("CreateReceiptRule", new QueryParameters()
                .Add("RuleSetName", ruleSetName)
                .Add("Rule.Name", ruleName)
                .Add("Rule.Enabled", true)
                .Add("Rule.ScanEnabled", true)
                .Add("Rule.TlsPolicy", "Require")
                .AddList("Rule.Recipients.member", recipients)
                .Add("Rule.Actions.member.1.S3Action.BucketName", bucket)
                .Add("Rule.Actions.member.1.S3Action.ObjectKeyPrefix", objectKeyPrefix), ct);

        public Task DeleteReceiptRuleAsync(string ruleSetName, string ruleName, CancellationToken ct)
            => _client.QueryAsync("DeleteReceiptRule", new QueryParameters().Add("RuleSetName", ruleSetName).Add("RuleName", ruleName), ct);

        public Task DeleteReceiptRuleSetAsync(string ruleSetName, CancellationToken ct)
            => _client.QueryAsync("DeleteReceiptRuleSet", new QueryParameters().Add("RuleSetName", ruleSetName), ct);
    }
}
