using System;
using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Reads the SES verification link out of the captured mail.</summary>
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
        protected override void ValidateParameters() => SesInput.Timeout(Timeout);

        /// <inheritdoc />
        protected override void ProcessItem()
        {
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
}
