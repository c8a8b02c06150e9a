using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Turns off the SES account-level suppression list in a region.</summary>
    [Cmdlet(VerbsLifecycle.Disable, "SesAccountSuppression", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SesAccount))]
    public sealed class DisableSesAccountSuppressionCommand : OcdsAwsCmdlet
    {
        /// <summary>Skip the confirmation prompt (never -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            const string warning = "Disabling the account-level suppression list can hurt your sender reputation: SES will keep sending to addresses that bounced or complained.";
            if (!ShouldChange(Clients.Session.Region.SystemName, "Disable the SES account-level suppression list. " + warning, Force)) return;
            WriteWarning(warning);
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(ct => service.SetSuppressionAsync(new string[0], ct))));
        }
    }
}
