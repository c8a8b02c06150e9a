using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Turns on the SES account-level suppression list for bounces, complaints or both.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "SesAccountSuppression", SupportsShouldProcess = true)]
    [OutputType(typeof(SesAccount))]
    public sealed class EnableSesAccountSuppressionCommand : OcdsAwsCmdlet
    {
        /// <summary>Bounce, Complaint or both (default).</summary>
        [Parameter]
        [ValidateSet("Bounce", "Complaint")]
        [ValidateCount(1, 2)]
        public string[] Reason { get; set; } = { "Bounce", "Complaint" };

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var reasons = Reason.Select(r => r.ToUpperInvariant()).Distinct().ToList();
            if (!ShouldProcess(Clients.Session.Region.SystemName, $"Suppress addresses for [{string.Join(", ", reasons)}]")) return;
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(ct => service.SetSuppressionAsync(reasons, ct))));
        }
    }
}
