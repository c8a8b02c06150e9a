using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Removes a receipt capture: empties and deletes the bucket, deletes its receipt rule wherever it is, and the set ocdsaws-capture if the capture made it.</summary>
    [Cmdlet(VerbsCommon.Remove, "SesReceiptCapture", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ReceiptCapture))]
    public sealed class RemoveSesReceiptCaptureCommand : ReceiptCaptureCmdlet
    {
        /// <summary>Skip the confirmation prompt (never -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessItem()
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
