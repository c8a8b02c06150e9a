using System;
using System.Management.Automation;

namespace OcdsAws.Deliverability
{
    /// <summary>Sends a test email through SES (SESv2 SendEmail) and outputs its message id.</summary>
    [Cmdlet(VerbsCommunications.Send, "SesTestEmail", SupportsShouldProcess = true)]
    [OutputType(typeof(SesTestEmail))]
    public sealed class SendSesTestEmailCommand : OcdsAwsCmdlet
    {
        /// <summary>The sender: an address of a verified domain or a verified address.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string From { get; set; } = "";

        /// <summary>The recipients (at most 50).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string[] To { get; set; } = Array.Empty<string>();

        /// <summary>The subject. Default: "OcdsAws test email" and the UTC time.</summary>
        [Parameter]
        public string? Subject { get; set; }

        /// <summary>The text body. Default: a line saying what the message is for.</summary>
        [Parameter]
        public string? Body { get; set; }

        /// <summary>A configuration set (event publishing, dedicated IPs) to send with.</summary>
        [Parameter]
        [ValidatePattern("^[A-Za-z0-9_-]{1,64}\\z")]
        public string? ConfigurationSetName { get; set; }

        /// <inheritdoc />
        private SesTestEmailRequest? _request;

        /// <inheritdoc />
        protected override void ValidateParameters() => _request = SesTestEmailService.Prepare(From, To, Subject, Body, ConfigurationSetName, DateTime.UtcNow);

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var request = _request!;
            var service = new SesTestEmailService(Clients);
            if (!ShouldProcess(string.Join(", ", request.To), service.Describe(request))) return;
            ForItem(request.From, () => WriteObject(Run(ct => service.SendAsync(request, ct))));
        }
    }
}
