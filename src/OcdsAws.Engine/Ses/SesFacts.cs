using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace OcdsAws.Ses
{
    /// <summary>AWS facts about SES that the cmdlets need (design.md §5).</summary>
    internal static class SesFacts
    {
        /// <summary>
        /// Regions where SES receives mail (inbound-smtp endpoints), as AWS General Reference "Amazon SES endpoints and
        /// quotas", table "Email receiving endpoints" (https://docs.aws.amazon.com/general/latest/gr/ses.html) lists them.
        /// AWS's page itself could not be read here; every row below is confirmed against a copy of that table quoted in
        /// public notes (January 2024): us-east-1, us-east-2, us-west-2, ap-southeast-1, ap-southeast-2, ap-southeast-3,
        /// ap-northeast-1, ca-central-1, eu-central-1, eu-west-1, eu-west-2. Corrected: the list written from memory before
        /// also named us-west-1 and ap-south-1 (in no copy seen here) and lacked ap-southeast-3. AWS adds receiving
        /// regions over time (public projects use inbound-smtp.af-south-1 too, not confirmed here), so a region outside this
        /// table is not refused on the table's word: callers decide by DNS (<see cref="InboundMxHost"/>) or warn.
        /// </summary>
        public static readonly IReadOnlyList<string> ReceivingRegions = new[]
        {
            "us-east-1", "us-east-2", "us-west-2", "ca-central-1",
            "eu-west-1", "eu-west-2", "eu-central-1",
            "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-northeast-1",
        };

        /// <summary>True when the region is in the confirmed table; false means "not confirmed", not "no receiving".</summary>
        public static bool ReceivesMail(string region) => ReceivingRegions.Contains(region, StringComparer.Ordinal);

        /// <summary>The warning for a region outside the confirmed table when DNS cannot settle it.</summary>
        public static string ReceivingUnconfirmed(string region) =>
            $"SES email receiving in {region} is not in OcdsAws's confirmed table ({string.Join(", ", ReceivingRegions)}); going ahead. "
            + $"If {region} has no receiving endpoint ({InboundMxHost(region)}), no mail will arrive: check \"Email receiving endpoints\" in the AWS General Reference's SES page.";

        public static string InboundMxHost(string region) => $"inbound-smtp.{region}.amazonaws.com";

        public static string FeedbackMxHost(string region) => $"feedback-smtp.{region}.amazonses.com";

        private static readonly Regex FeedbackMxPattern = new Regex(@"^feedback-smtp\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonses\.com\.?\z",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>
        /// Whether <paramref name="host"/> is SES's MAIL FROM feedback host of some region (<c>feedback-smtp.&lt;region&gt;.amazonses.com</c>),
        /// and which region. A MAIL FROM domain must hold exactly one MX record ("If the MAIL FROM domain has multiple MX
        /// records, the custom MAIL FROM setup with Amazon SES will fail": SES Developer Guide, "Using a custom MAIL FROM
        /// domain", https://docs.aws.amazon.com/ses/latest/dg/mail-from.html), so an identity verified in several regions
        /// shares the one MX that points at one region's host. That SES in another region accepts it is design.md §5's
        /// note; not confirmed here from AWS's own text.
        /// </summary>
        public static bool IsFeedbackMxHost(string host, out string region)
        {
            var match = FeedbackMxPattern.Match(host.Trim());
            region = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
            return match.Success;
        }

        /// <summary>
        /// Easy DKIM's zone when SES names none: SESv2 returns DkimAttributes.SigningHostedZone, "the DNS zone that customers
        /// must reference when configuring their CNAME records" (botocore sesv2 model, DkimAttributes), and that is what
        /// counts: regions such as af-south-1 answer a zone of their own (AWS General Reference, "Amazon SES endpoints and
        /// quotas", https://docs.aws.amazon.com/general/latest/gr/ses.html). This default is only for an answer without it.
        /// </summary>
        public const string DefaultDkimZone = "dkim.amazonses.com";

        /// <summary>The Easy DKIM CNAME target: <c>&lt;token&gt;.&lt;SigningHostedZone&gt;</c>.</summary>
        public static string DkimTarget(string token, string? signingHostedZone)
            => $"{token}.{(string.IsNullOrWhiteSpace(signingHostedZone) ? DefaultDkimZone : signingHostedZone!.Trim().TrimEnd('.'))}";

        public const string SpfInclude = "include:amazonses.com";

        public const string MailFromSpf = "v=spf1 include:amazonses.com ~all";

        public const string SuggestedDmarc = "v=DMARC1; p=none";

        /// <summary>
        /// The suggested DMARC record, with aggregate reports to <paramref name="reportTo"/> when given: rua is a
        /// comma-separated list of DMARC URIs, mailto: for mail (RFC 7489 §6.3), and a comma or exclamation point inside
        /// a URI is percent-encoded (RFC 7489 §6.2); ';' separates tags, so it is encoded too. Not confirmed here: the
        /// section numbers of the same rules in RFC 9989 and its aggregate-reporting companion, which replace RFC 7489.
        /// </summary>
        public static string DmarcRecord(IReadOnlyList<string> reportTo)
            => reportTo.Count == 0 ? SuggestedDmarc
                : SuggestedDmarc + "; rua=" + string.Join(",", reportTo.Select(a => "mailto:" + a.Replace("%", "%25").Replace(",", "%2C").Replace("!", "%21").Replace(";", "%3B")));

        /// <summary>A clear error for an operation that needs SES receiving in a region without it (DNS has no inbound endpoint there).</summary>
        public static ValidationException NoReceiving(string region) => new ValidationException(ErrorIds.RegionWithoutReceiving,
            $"SES does not receive email in {region}: DNS has no {InboundMxHost(region)}, and {region} is not in the table of regions with SES receiving "
            + $"({string.Join(", ", ReceivingRegions)}). Use -InboundMx Never, or run this in one of those regions.");
    }
}
