using System;
using System.Collections.Generic;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>
    /// Where SES stores mail for an address that has no mailbox yet: a bucket, a receipt rule for exactly
    /// that recipient, and the rule set that holds it (active while the capture exists).
    /// </summary>
    public sealed class ReceiptCapture
    {
        /// <summary>The captured recipient.</summary>
        public string EmailAddress { get; set; } = "";

        /// <summary>The region whose SES receives the mail.</summary>
        public string Region { get; set; } = "";

        /// <summary>The S3 bucket SES writes the mail into.</summary>
        public string BucketName { get; set; } = "";

        /// <summary>The receipt rule set OcdsAws created.</summary>
        public string RuleSetName { get; set; } = "";

        /// <summary>The rule for exactly <see cref="EmailAddress"/>.</summary>
        public string RuleName { get; set; } = "";

        /// <summary>The rule set that was active before (re-activated by Remove-SesReceiptCapture); null: none was.</summary>
        public string? PreviousActiveRuleSet { get; set; }

        /// <summary>The inbound MX record the domain needs while capturing (Action Remove once removed).</summary>
        public IReadOnlyList<DnsRecord> DnsRecords { get; set; } = Array.Empty<DnsRecord>();
    }

    /// <summary>A verification link found in captured mail.</summary>
    public sealed class SesVerificationLink
    {
        /// <summary>The address being verified.</summary>
        public string EmailAddress { get; set; } = "";

        /// <summary>The link to follow (Confirm-SesEmailVerification).</summary>
        public string Link { get; set; } = "";

        /// <summary>When the mail arrived.</summary>
        public DateTimeOffset? ReceivedAt { get; set; }

        /// <summary>The S3 object holding the mail.</summary>
        public string ObjectKey { get; set; } = "";

        /// <summary>The bucket holding the mail.</summary>
        public string BucketName { get; set; } = "";
    }

    /// <summary>An email address identity in SES, and its capture if one was set up.</summary>
    public sealed class SesEmailVerification
    {
        /// <summary>The address (binds to -EmailIdentity of AWS.Tools' SESv2 cmdlets).</summary>
        public string EmailIdentity { get; set; } = "";

        /// <summary>The address.</summary>
        public string EmailAddress { get; set; } = "";

        /// <summary>The region.</summary>
        public string Region { get; set; } = "";

        /// <summary>True once the link in the verification mail was followed.</summary>
        public bool VerifiedForSending { get; set; }

        /// <summary>PENDING, SUCCESS, FAILED…</summary>
        public string? VerificationStatus { get; set; }

        /// <summary>The capture, when the domain had no MX (or -Capture Always).</summary>
        public ReceiptCapture? Capture { get; set; }

        /// <summary>Records the DNS host needs while capturing.</summary>
        public IReadOnlyList<DnsRecord> DnsRecords { get; set; } = Array.Empty<DnsRecord>();
    }

    /// <summary>Whether New-SesEmailVerification captures the verification mail in S3.</summary>
    public enum CaptureMode
    {
        /// <summary>Only when the address's domain has no MX record (no mailbox could receive it).</summary>
        Auto,

        /// <summary>Always capture.</summary>
        Always,

        /// <summary>Never: the user reads their inbox.</summary>
        Never,
    }
}
