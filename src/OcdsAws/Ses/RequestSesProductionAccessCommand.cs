using System;
using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Asks AWS to move the SES account out of the sandbox in a region.</summary>
    [Cmdlet(VerbsLifecycle.Request, "SesProductionAccess", SupportsShouldProcess = true)]
    [OutputType(typeof(SesAccount))]
    public sealed class RequestSesProductionAccessCommand : OcdsAwsCmdlet
    {
        /// <summary>The website of the sender (https://...).</summary>
        [Parameter(Mandatory = true)]
        public string WebsiteUrl { get; set; } = "";

        /// <summary>How you send, to whom, and how you handle bounces and complaints.</summary>
        [Parameter(Mandatory = true)]
        public string UseCaseDescription { get; set; } = "";

        /// <summary>Transactional or Marketing.</summary>
        [Parameter(Mandatory = true)]
        [ValidateSet("Transactional", "Marketing")]
        public string MailType { get; set; } = "";

        /// <summary>Up to four more addresses AWS may contact about the request.</summary>
        [Parameter]
        public string[]? AdditionalContactEmailAddress { get; set; }

        /// <summary>EN or JA.</summary>
        [Parameter]
        [ValidateSet("EN", "JA")]
        public string ContactLanguage { get; set; } = "EN";

        /// <inheritdoc />
        private string[] _contacts = new string[0];

        /// <inheritdoc />
        protected override void ValidateParameters()
        {
            SesInput.WebsiteUrl(WebsiteUrl);
            SesInput.UseCaseDescription(UseCaseDescription);
            _contacts = SesInput.ContactAddresses(AdditionalContactEmailAddress);
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var contacts = _contacts;
            if (!ShouldProcess(Clients.Session.Region.SystemName, $"Request SES production access ({MailType}, {WebsiteUrl})")) return;
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(ct => service.RequestProductionAccessAsync(
                MailType.ToUpperInvariant(), WebsiteUrl, UseCaseDescription, contacts.Length == 0 ? null : contacts, ContactLanguage, ct))));
        }
    }
}
