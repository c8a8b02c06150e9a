using System;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Web;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>Input checks shared by the email verification cmdlets (all before any AWS call).</summary>
    internal static class SenderInput
    {
        private static readonly Regex BucketPattern = new Regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant);

        public static string Address(string? value)
        {
            // The domain part goes through the same checks (and punycode) as -Domain, first: its message is the precise one.
            var at = value?.IndexOf('@') ?? -1;
            var domain = at > 0 && value!.IndexOf('@', at + 1) < 0 ? DomainName.Normalize(value.Substring(at + 1), "the address's domain") : null;
            if (domain == null || !EmailAddress.IsValid(value))
                throw new ValidationException("InvalidEmailAddress", $"'{value}' is not an email address (like data@open-contracting.org).");
            return value!.Substring(0, at) + "@" + domain;
        }

        /// <summary>S3's bucket naming rules, so a bad name fails here rather than half-way through the capture.</summary>
        public static string? Bucket(string? value)
        {
            if (value == null) return null;
            if (!BucketPattern.IsMatch(value) || value.Contains("..") || value.Contains(".-") || value.Contains("-.")
                || Regex.IsMatch(value, @"^\d+\.\d+\.\d+\.\d+$") || value.StartsWith("xn--", StringComparison.Ordinal) || value.StartsWith("sthree-", StringComparison.Ordinal)
                || value.EndsWith("-s3alias", StringComparison.Ordinal) || value.EndsWith("--ol-s3", StringComparison.Ordinal))
                throw new ValidationException("InvalidBucketName",
                    $"'{value}' is not a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, not like an IP address.");
            return value;
        }
    }

    /// <summary>
    /// <para type="synopsis">Verifies an email address in SES; when its domain has no MX, captures the verification mail in S3.</para>
    /// <para type="description">With -Capture Auto (the default) the address's domain is looked up: if it has an MX record, read the mail in the inbox; if not, a receipt capture is set up first (New-SesReceiptCapture), then SES sends the mail. Follow the link with Get-SesVerificationLink | Confirm-SesEmailVerification, then clean up with Remove-SesReceiptCapture.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SesEmailVerification", SupportsShouldProcess = true)]
    [OutputType(typeof(SesEmailVerification))]
    public sealed class NewSesEmailVerificationCommand : SesDomainCmdlet
    {
        /// <summary>The address(es) to verify.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        public string[] EmailAddress { get; set; } = new string[0];

        /// <summary>Auto (capture only when the domain has no MX), Always or Never.</summary>
        [Parameter]
        public CaptureMode Capture { get => (CaptureMode)_capture; set => _capture = (int)value; }

        // Kept as the enum's number: a field of an OcdsAws.Engine value type would make PowerShell's import-time scan of
        // this assembly load OcdsAws.Engine before DependencyLoader.cs can (RootModuleTests checks every cmdlet).
        private int _capture = (int)CaptureMode.Auto;

        /// <summary>The capture bucket's name (default: generated from account, region and address).</summary>
        [Parameter]
        public string? BucketName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string? bucket;
            try
            {
                bucket = SenderInput.Bucket(BucketName);
            }
            catch (ValidationException e)
            {
                Fail(e, BucketName);
                return;
            }
            foreach (var input in EmailAddress)
            {
                string address;
                try
                {
                    address = SenderInput.Address(input);
                }
                catch (ValidationException e)
                {
                    WriteFailure(e, input);
                    continue;
                }
                var service = new EmailVerificationService(Clients, Messages);
                var dns = Dns;
                var mode = Capture;
                ForItem(address, () =>
                {
                    // Read first (DNS, the domain's verification, the active rule set): the prompt says which rule set is touched.
                    var plan = Run(async ct => await service.NeedsCaptureAsync(address, mode, dns, ct).ConfigureAwait(false)
                        ? await service.PlanCaptureAsync(address, bucket, ct).ConfigureAwait(false) : null);
                    var action = $"Verify the email address in SES {Clients.Session.Region.SystemName}" + (plan == null ? " (no capture)" : "; " + plan.Describe());
                    if (!ShouldProcess(address, action)) return;
                    WriteObject(Run(ct => service.CreateAsync(address, plan, ct)));
                });
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Gets an email address identity's verification status.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SesEmailVerification")]
    [OutputType(typeof(SesEmailVerification))]
    public sealed class GetSesEmailVerificationCommand : OcdsAwsCmdlet
    {
        /// <summary>The address(es).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesEmailAddressCompleter))]
        public string[] EmailAddress { get; set; } = new string[0];

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (var input in EmailAddress)
            {
                string address;
                try { address = SenderInput.Address(input); }
                catch (ValidationException e) { WriteFailure(e, input); continue; }
                var service = new EmailVerificationService(Clients, Messages);
                ForItem(address, () => WriteObject(Run(ct => service.GetAsync(address, ct))));
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Waits until an email address is verified, with progress.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "SesEmailVerification")]
    [OutputType(typeof(SesEmailVerification))]
    public sealed class WaitSesEmailVerificationCommand : OcdsAwsCmdlet
    {
        /// <summary>The address(es); New-SesEmailVerification's output binds here.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesEmailAddressCompleter))]
        public string[] EmailAddress { get; set; } = new string[0];

        /// <summary>How long to wait (default 30 minutes).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Timeout <= TimeSpan.Zero) Fail(new ValidationException("InvalidTimeout", "-Timeout must be positive."), Timeout);
            foreach (var input in EmailAddress)
            {
                string address;
                try { address = SenderInput.Address(input); }
                catch (ValidationException e) { WriteFailure(e, input); continue; }
                var service = new EmailVerificationService(Clients, Messages);
                ForItem(address, () => WriteObject(Run(ct => service.WaitAsync(address, Timeout, SystemClock.Instance, ct))));
            }
        }
    }

    /// <summary>The capture cmdlets' shared parameters: which address, which bucket.</summary>
    public abstract class ReceiptCaptureCmdlet : OcdsAwsCmdlet
    {
        /// <summary>The captured address; the output of New-SesEmailVerification and New-SesReceiptCapture binds here.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesEmailAddressCompleter))]
        public string EmailAddress { get; set; } = "";

        /// <summary>The capture bucket (default: the name generated from account, region and address).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? BucketName { get; set; }

        /// <summary>Checks the address and bucket name; a bad one is reported for this item (no AWS call follows).</summary>
        internal bool TryReadInput(out string address, out string? bucket)
        {
            try
            {
                address = SenderInput.Address(EmailAddress);
                bucket = SenderInput.Bucket(BucketName);
                return true;
            }
            catch (ValidationException e)
            {
                WriteFailure(e, EmailAddress);
                address = "";
                bucket = null;
                return false;
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Sets up the capture of mail to one address in S3: bucket and receipt rule (in the active rule set).</para>
    /// <para type="description">SES receives mail only for verified domains: the address's domain must be a verified identity in the region (New-SesDomainVerification), or nothing is made. The bucket blocks public access and lets only SES put objects, for this account and this rule. Only one rule set is active per region: when one is, the rule is added to it, first, and the active set does not change; only when none is active is the set ocdsaws-capture made and activated. Outputs the rule set used (RuleSetName, RuleSetCreated) and the MX record the domain needs while capturing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SesReceiptCapture", SupportsShouldProcess = true)]
    [OutputType(typeof(ReceiptCapture))]
    public sealed class NewSesReceiptCaptureCommand : ReceiptCaptureCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!TryReadInput(out var address, out var bucket)) return;
            // A region outside SesFacts' confirmed receiving table is not refused: the capture warns (ReceiptCaptureService).
            var service = new ReceiptCaptureService(Clients, Messages);
            ForItem(address, () =>
            {
                // Read first (the domain's verification, the active rule set): the prompt says which rule set is touched.
                var plan = Run(ct => service.PlanAsync(address, bucket, ct));
                if (!ShouldProcess(address, plan.Describe())) return;
                WriteObject(Run(ct => service.CreateAsync(plan, ct)));
            });
        }
    }

    /// <summary>
    /// <para type="synopsis">Reads the SES verification link out of the captured mail.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SesVerificationLink")]
    [OutputType(typeof(SesVerificationLink))]
    public sealed class GetSesVerificationLinkCommand : ReceiptCaptureCmdlet
    {
        /// <summary>Wait, with progress, until the mail arrives.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait waits (default 10 minutes).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Timeout <= TimeSpan.Zero) Fail(new ValidationException("InvalidTimeout", "-Timeout must be positive."), Timeout);
            if (!TryReadInput(out var address, out var bucket)) return;
            var service = new ReceiptCaptureService(Clients, Messages);
            ForItem(address, () =>
            {
                var link = Run(async ct =>
                {
                    var name = await service.BucketNameAsync(address, bucket, ct).ConfigureAwait(false);
                    return Wait ? await service.WaitForLinkAsync(address, name, Timeout, SystemClock.Instance, ct).ConfigureAwait(false)
                        : await service.FindLinkAsync(address, name, ct).ConfigureAwait(false);
                });
                if (link == null) WriteWarning($"No verification mail to {address} has arrived yet; use -Wait to wait for it.");
                else WriteObject(link);
            });
        }
    }

    /// <summary>
    /// <para type="synopsis">Follows an SES verification link the way a browser click does, then reports the identity's status.</para>
    /// <para type="description">Only https links on AWS's email-verification hosts are followed; anything else is refused before any request.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Confirm, "SesEmailVerification", SupportsShouldProcess = true)]
    [OutputType(typeof(SesEmailVerification))]
    public sealed class ConfirmSesEmailVerificationCommand : OcdsAwsCmdlet
    {
        /// <summary>The link from the verification mail (Get-SesVerificationLink's output binds here).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string Link { get; set; } = "";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            Uri link;
            try
            {
                link = EmailVerificationService.ValidateLink(Link);
            }
            catch (ValidationException e)
            {
                WriteFailure(e, Link);
                return;
            }
            var identity = HttpUtility.ParseQueryString(link.Query)["Identity.IdentityName"];
            if (!ShouldProcess(identity ?? link.Host, "Follow the SES verification link")) return;
            var service = new EmailVerificationService(Clients, Messages);
            ForItem(Link, () =>
            {
                var result = Run(ct => service.ConfirmAsync(link, identity, ct));
                if (result != null) WriteObject(result);
            });
        }
    }

    /// <summary>
    /// <para type="synopsis">Removes a receipt capture: empties and deletes the bucket, deletes its receipt rule wherever it is, and the set ocdsaws-capture if the capture made it.</para>
    /// <para type="description">Outputs the MX record to remove from the DNS host (Action Remove). Safe to re-run.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SesReceiptCapture", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ReceiptCapture))]
    public sealed class RemoveSesReceiptCaptureCommand : ReceiptCaptureCmdlet
    {
        /// <summary>Skip the confirmation prompt (never -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!TryReadInput(out var address, out var bucket)) return;
            var service = new ReceiptCaptureService(Clients, Messages);
            var force = Force.IsPresent;
            ForItem(address, () =>
            {
                // Read first (where the rule lives): the prompt says which rule set is touched.
                var plan = Run(ct => service.PlanRemovalAsync(address, bucket, ct));
                if (!ShouldChange(address, plan.Describe(), force)) return;
                WriteObject(Run(ct => service.RemoveAsync(plan, ct)));
            });
        }
    }
}
