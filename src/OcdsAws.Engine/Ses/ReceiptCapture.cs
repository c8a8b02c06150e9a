using System;
using System.Collections.Generic;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>
    /// Where SES stores mail for an address that has no mailbox yet: a bucket, a receipt rule for exactly
    /// that recipient, and the rule set that holds it: the account's active set, or (when none was active) one the
    /// capture made and activated.
    /// </summary>
    public sealed class ReceiptCapture
    {
        /// <summary>The captured recipient.</summary>
        public string EmailAddress { get; set; } = "";

        /// <summary>The region whose SES receives the mail.</summary>
        public string Region { get; set; } = "";

        /// <summary>The S3 bucket SES writes the mail into.</summary>
        public string BucketName { get; set; } = "";

        /// <summary>The receipt rule set that holds the rule: the one that was active, or ocdsaws-capture when none was.</summary>
        public string RuleSetName { get; set; } = "";

        /// <summary>True when the capture made (and activated) <see cref="RuleSetName"/> because no rule set was active; Remove-SesReceiptCapture then deactivates and deletes it.</summary>
        public bool RuleSetCreated { get; set; }

        /// <summary>The rule for exactly <see cref="EmailAddress"/>.</summary>
        public string RuleName { get; set; } = "";

        /// <summary>The inbound MX record the domain needs while capturing (Action Remove once removed).</summary>
        public IReadOnlyList<DnsRecord> DnsRecords { get; set; } = Array.Empty<DnsRecord>();
    }

    /// <summary>What New-SesReceiptCapture will do, read before any change (its -WhatIf/-Confirm text).</summary>
    internal sealed class CapturePlan
    {
        public CapturePlan(string address, string bucketName, string ruleName, Aws.Services.ReceiptRuleSetInfo? activeRuleSet)
        {
            Address = address;
            BucketName = bucketName;
            RuleName = ruleName;
            ActiveRuleSet = activeRuleSet;
        }

        public string Address { get; }
        public string BucketName { get; }
        public string RuleName { get; }

        /// <summary>The active rule set and its rules; null when none is active.</summary>
        public Aws.Services.ReceiptRuleSetInfo? ActiveRuleSet { get; }

        /// <summary>The set the rule goes into.</summary>
        public string RuleSetName => ActiveRuleSet?.Name ?? ReceiptCaptureService.OwnRuleSetName;

        public string Describe() => ActiveRuleSet != null
            ? $"Capture mail in S3 bucket {BucketName}: add receipt rule {RuleName} first in the active rule set {ActiveRuleSet.Name} (it stays the active set; its other rules are untouched)"
            : $"Capture mail in S3 bucket {BucketName}: no rule set is active, so create rule set {ReceiptCaptureService.OwnRuleSetName} with receipt rule {RuleName} and make it the active rule set";
    }

    /// <summary>What Remove-SesReceiptCapture will do, read before any change.</summary>
    internal sealed class CaptureRemovalPlan
    {
        public CaptureRemovalPlan(string address, string bucketName, string ruleName, string? ruleSetName, bool ruleFound, bool bucketExists,
            bool deletesOwnRuleSet, bool deactivatesOwnRuleSet, string? previousActiveRuleSet)
        {
            Address = address;
            BucketName = bucketName;
            RuleName = ruleName;
            RuleSetName = ruleSetName;
            RuleFound = ruleFound;
            BucketExists = bucketExists;
            DeletesOwnRuleSet = deletesOwnRuleSet;
            DeactivatesOwnRuleSet = deactivatesOwnRuleSet;
            PreviousActiveRuleSet = previousActiveRuleSet;
        }

        public string Address { get; }
        public string BucketName { get; }
        public string RuleName { get; }

        /// <summary>The set holding the rule (or the one the bucket names, when the rule is already gone).</summary>
        public string? RuleSetName { get; }
        public bool RuleFound { get; }
        public bool BucketExists { get; }
        public bool DeletesOwnRuleSet { get; }
        public bool DeactivatesOwnRuleSet { get; }

        /// <summary>Captures of earlier versions: the set they replaced, re-activated with ours deactivated.</summary>
        public string? PreviousActiveRuleSet { get; }

        public string Describe()
        {
            var parts = new List<string>();
            if (BucketExists) parts.Add($"delete the capture bucket {BucketName} and its mail");
            parts.Add(RuleFound ? $"delete receipt rule {RuleName} from rule set {RuleSetName}" : $"(no receipt rule {RuleName} remains)");
            if (DeletesOwnRuleSet)
                parts.Add(!DeactivatesOwnRuleSet ? $"delete the empty rule set {ReceiptCaptureService.OwnRuleSetName}"
                    : PreviousActiveRuleSet == null ? $"deactivate and delete rule set {ReceiptCaptureService.OwnRuleSetName} (no rule set was active before it)"
                    : $"re-activate {PreviousActiveRuleSet} and delete rule set {ReceiptCaptureService.OwnRuleSetName}");
            else if (RuleFound) parts.Add($"rule set {RuleSetName} and which set is active stay as they are");
            return string.Join("; ", parts);
        }
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
