using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Sets up the capture of mail to one address in S3: bucket and receipt rule (in the active rule set).</summary>
    [Cmdlet(VerbsCommon.New, "SesReceiptCapture", SupportsShouldProcess = true)]
    [OutputType(typeof(ReceiptCapture))]
    public sealed class NewSesReceiptCaptureCommand : ReceiptCaptureCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessItem()
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
}
