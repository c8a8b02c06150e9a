using System.Collections.Generic;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    public static partial class WireCases
    {
        /// <summary>The operations of the "Check DMARC compliance" and "Debug delivery issues" runbook sections.</summary>
        private static readonly IReadOnlyList<WireCase> Deliverability = new List<WireCase>
        {
            new WireCase
            {
                Service = "sesv2", Operation = "SendEmail", SigningName = "ses",
                Params = """{"FromEmailAddress":"data@example.org","Destination":{"ToAddresses":["check@mail-tester.example","ops@example.net"]},"Content":{"Simple":{"Subject":{"Data":"OcdsAws test email 2026-11-29 16:00:00 UTC"},"Body":{"Text":{"Data":"This is a test message."}}}},"ConfigurationSetName":"ocds-events"}""",
                Invoke = (c, ct) => Box(new SesV2Api(c.Get(AwsService.SesV2)).SendEmailAsync("data@example.org", new[] { "check@mail-tester.example", "ops@example.net" },
                    "OcdsAws test email 2026-11-29 16:00:00 UTC", "This is a test message.", "ocds-events", ct)),
                ContentType = Json,
                Response = """{"MessageId":"0102019abcdef012-3456789a-bcde-f012-3456-789abcdef012-000000"}""",
                Check = r => Assert.Equal("0102019abcdef012-3456789a-bcde-f012-3456-789abcdef012-000000", r),
            },
        };
    }
}
