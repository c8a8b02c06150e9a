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
        protected override void ProcessRecord()
        {
            if (!Uri.TryCreate(WebsiteUrl, UriKind.Absolute, out var site) || (site.Scheme != Uri.UriSchemeHttps && site.Scheme != Uri.UriSchemeHttp))
                Fail(new ValidationException("InvalidWebsiteUrl", $"-WebsiteUrl '{WebsiteUrl}' is not an absolute http(s) URL."), WebsiteUrl);
            if (string.IsNullOrWhiteSpace(UseCaseDescription) || UseCaseDescription.Length > 5000)
                Fail(new ValidationException("InvalidUseCaseDescription", "-UseCaseDescription must be 1 to 5000 characters."), UseCaseDescription);
            var contacts = AdditionalContactEmailAddress ?? new string[0];
            if (contacts.Length > 4) Fail(new ValidationException("TooManyContacts", "-AdditionalContactEmailAddress takes at most 4 addresses."), contacts);
            foreach (var contact in contacts)
                if (!EmailAddress.IsValid(contact)) Fail(EmailAddress.Invalid("-AdditionalContactEmailAddress", contact, null), contact);
            if (!ShouldProcess(Clients.Session.Region.SystemName, $"Request SES production access ({MailType}, {WebsiteUrl})")) return;
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(ct => service.RequestProductionAccessAsync(
                MailType.ToUpperInvariant(), WebsiteUrl, UseCaseDescription, contacts.Length == 0 ? null : contacts, ContactLanguage, ct))));
        }
    }
}
