using System.Collections.Generic;
using System.Linq;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    public static partial class WireCases
    {
        private const string ReceiptNs = "http://ses.amazonaws.com/doc/2010-12-01/";

        private static SesReceiptApi Receipt(OcdsAws.Aws.AwsClientFactory c) => new SesReceiptApi(c.Get(AwsService.Ses));

        /// <summary>SES classic receipt rules: the capture of the verification mail.</summary>
        private static readonly IReadOnlyList<WireCase> ReceiptCapture = new List<WireCase>
        {
            new WireCase
            {
                Service = "ses", Operation = "CreateReceiptRuleSet", SigningName = "ses",
                Params = """{"RuleSetName":"ocdsaws-capture"}""",
                Invoke = (c, ct) => Done(Receipt(c).CreateReceiptRuleSetAsync("ocdsaws-capture", ct)),
                Response = QueryXml("CreateReceiptRuleSet", ReceiptNs, ""),
            },
            new WireCase
            {
                Service = "ses", Operation = "ListReceiptRuleSets", SigningName = "ses",
                Params = "{}",
                Invoke = (c, ct) => Box(Receipt(c).ListReceiptRuleSetsAsync(ct)),
                Response = QueryXml("ListReceiptRuleSets", ReceiptNs,
                    "<RuleSets><member><Name>default-rule-set</Name><CreatedTimestamp>2026-11-01T10:00:00Z</CreatedTimestamp></member><member><Name>ocdsaws-capture</Name><CreatedTimestamp>2026-11-29T10:00:00Z</CreatedTimestamp></member></RuleSets>"),
                Check = r => Assert.Equal(new[] { "default-rule-set", "ocdsaws-capture" }, Assert.IsAssignableFrom<IReadOnlyList<string>>(r)),
            },
            new WireCase
            {
                Service = "ses", Operation = "DescribeActiveReceiptRuleSet", SigningName = "ses",
                Params = "{}",
                Invoke = (c, ct) => Box(Receipt(c).DescribeActiveReceiptRuleSetAsync(ct)),
                Response = QueryXml("DescribeActiveReceiptRuleSet", ReceiptNs,
                    "<Metadata><Name>default-rule-set</Name><CreatedTimestamp>2026-11-01T10:00:00Z</CreatedTimestamp></Metadata>"
                    + "<Rules><member><Name>capture-data-example.org</Name><Enabled>true</Enabled><Recipients><member>data@example.org</member></Recipients></member>"
                    + "<member><Name>catch-all</Name><Enabled>false</Enabled></member></Rules>"),
                Check = r =>
                {
                    var set = Assert.IsType<ReceiptRuleSetInfo>(r);
                    Assert.Equal("default-rule-set", set.Name);
                    Assert.Equal(new[] { "capture-data-example.org", "catch-all" }, set.Rules.Select(x => x.Name));
                },
            },
            new WireCase
            {
                Service = "ses", Operation = "SetActiveReceiptRuleSet", SigningName = "ses",
                Params = """{"RuleSetName":"ocdsaws-capture"}""",
                Invoke = (c, ct) => Done(Receipt(c).SetActiveReceiptRuleSetAsync("ocdsaws-capture", ct)),
                Response = QueryXml("SetActiveReceiptRuleSet", ReceiptNs, ""),
            },
            new WireCase
            {
                Service = "ses", Operation = "DescribeReceiptRuleSet", SigningName = "ses",
                Params = """{"RuleSetName":"ocdsaws-capture"}""",
                Invoke = (c, ct) => Box(Receipt(c).DescribeReceiptRuleSetAsync("ocdsaws-capture", ct)),
                Response = QueryXml("DescribeReceiptRuleSet", ReceiptNs,
                    "<Metadata><Name>ocdsaws-capture</Name><CreatedTimestamp>2026-11-29T10:00:00Z</CreatedTimestamp></Metadata>"
                    + "<Rules><member><Name>capture-data-example-org</Name><Enabled>true</Enabled><TlsPolicy>Require</TlsPolicy><ScanEnabled>true</ScanEnabled>"
                    + "<Recipients><member>data@example.org</member></Recipients><Actions><member><S3Action><BucketName>ocdsaws-capture-1</BucketName><ObjectKeyPrefix>mail/</ObjectKeyPrefix></S3Action></member></Actions></member></Rules>"),
                Check = r =>
                {
                    var rule = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<ReceiptRuleInfo>>(r));
                    Assert.Equal(new[] { "data@example.org" }, rule.Recipients);
                    Assert.Equal(new[] { "ocdsaws-capture-1" }, rule.S3Buckets);
                    Assert.True(rule.Enabled);
                },
            },
            new WireCase
            {
                Service = "ses", Operation = "CreateReceiptRule", SigningName = "ses",
                Params = """{"RuleSetName":"ocdsaws-capture","Rule":{"Name":"capture-data-example-org","Enabled":true,"ScanEnabled":true,"TlsPolicy":"Require","Recipients":["data@example.org"],"Actions":[{"S3Action":{"BucketName":"ocdsaws-capture-1","ObjectKeyPrefix":"mail/"}}]}}""",
                Invoke = (c, ct) => Done(Receipt(c).CreateReceiptRuleAsync("ocdsaws-capture", "capture-data-example-org", new[] { "data@example.org" }, "ocdsaws-capture-1", "mail/", ct)),
                Response = QueryXml("CreateReceiptRule", ReceiptNs, ""),
            },
            new WireCase
            {
                Service = "ses", Operation = "DeleteReceiptRule", SigningName = "ses",
                Params = """{"RuleSetName":"ocdsaws-capture","RuleName":"capture-data-example-org"}""",
                Invoke = (c, ct) => Done(Receipt(c).DeleteReceiptRuleAsync("ocdsaws-capture", "capture-data-example-org", ct)),
                Response = QueryXml("DeleteReceiptRule", ReceiptNs, ""),
            },
            new WireCase
            {
                Service = "ses", Operation = "DeleteReceiptRuleSet", SigningName = "ses",
                Params = """{"RuleSetName":"ocdsaws-capture"}""",
                Invoke = (c, ct) => Done(Receipt(c).DeleteReceiptRuleSetAsync("ocdsaws-capture", ct)),
                Response = QueryXml("DeleteReceiptRuleSet", ReceiptNs, ""),
            },
        };
    }
}
