using System.Collections.Generic;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>A domain identity in SES and the DNS records that verify it.</summary>
    public sealed class SesDomainVerification
    {
        /// <summary>The SES identity (binds to -EmailIdentity of AWS.Tools' SESv2 cmdlets).</summary>
        public string EmailIdentity { get; set; } = "";

        /// <summary>The domain (binds to -Domain of the next OcdsAws cmdlet).</summary>
        public string Domain { get; set; } = "";

        /// <summary>The region of the identity.</summary>
        public string Region { get; set; } = "";

        /// <summary>True once SES lets you send from the domain.</summary>
        public bool VerifiedForSending { get; set; }

        /// <summary>PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE or NOT_STARTED.</summary>
        public string? VerificationStatus { get; set; }

        /// <summary>The Easy DKIM status.</summary>
        public string? DkimStatus { get; set; }

        /// <summary>The three Easy DKIM tokens.</summary>
        public IReadOnlyList<string> DkimTokens { get; set; } = new string[0];

        /// <summary>AWS_SES for Easy DKIM.</summary>
        public string? SigningAttributesOrigin { get; set; }

        /// <summary>
        /// The DNS zone the Easy DKIM CNAMEs point into (<c>&lt;token&gt;.&lt;SigningHostedZone&gt;</c>), as SES returns it:
        /// dkim.amazonses.com in most regions, a regional zone in some (af-south-1: dkim.af-south-1.amazonses.com).
        /// </summary>
        public string? SigningHostedZone { get; set; }

        /// <summary>The custom MAIL FROM domain, if set.</summary>
        public string? MailFromDomain { get; set; }

        /// <summary>The records to add at the DNS host (pipe into Test-DnsRecord or Export-DnsRecord).</summary>
        public IReadOnlyList<DnsRecord> DnsRecords { get; set; } = new DnsRecord[0];
    }

    /// <summary>Whether to propose SES's inbound MX record.</summary>
    public enum InboundMxMode
    {
        /// <summary>Only when the domain has no MX record today (needed to capture the verification mail).</summary>
        Auto,

        /// <summary>Always propose it.</summary>
        Always,

        /// <summary>Never propose it.</summary>
        Never,
    }
}
