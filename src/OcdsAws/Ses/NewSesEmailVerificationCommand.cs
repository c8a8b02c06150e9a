using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Verifies an email address in SES; when its domain has no MX, captures the verification mail in S3.</summary>
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

        private string? _bucket;

        /// <inheritdoc />
        protected override void ValidateParameters() => _bucket = SesInput.Bucket(BucketName);

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var bucket = _bucket;
            foreach (var input in EmailAddress)
            {
                if (!TryRead(() => SesInput.Address(input), input, out var address)) continue;
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
}
