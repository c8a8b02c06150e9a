using System;
using System.Management.Automation;
using System.Web;

namespace OcdsAws.Ses
{
    /// <summary>Follows an SES verification link the way a browser click does, then reports the identity's status.</summary>
    [Cmdlet(VerbsLifecycle.Confirm, "SesEmailVerification", SupportsShouldProcess = true)]
    [OutputType(typeof(SesEmailVerification))]
    public sealed class ConfirmSesEmailVerificationCommand : OcdsAwsCmdlet
    {
        /// <summary>The link from the verification mail (Get-SesVerificationLink's output binds here).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string Link { get; set; } = "";

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (!TryRead(() => EmailVerificationService.ValidateLink(Link), Link, out var link)) return;
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
}
