using System;
using System.Linq;
using System.Management.Automation;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>
    /// <para type="synopsis">Sets a custom MAIL FROM domain for an SES domain identity and returns the MX and SPF records it needs.</para>
    /// <para type="description">The MAIL FROM domain must be a subdomain of the identity that receives no mail. With it, SPF aligns with the From domain, which improves deliverability.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SesMailFromDomain", SupportsShouldProcess = true)]
    [OutputType(typeof(DnsRecord))]
    public sealed class SetSesMailFromDomainCommand : SesDomainCmdlet
    {
        /// <summary>The SES domain identity.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesDomainCompleter))]
        public string Domain { get; set; } = "";

        /// <summary>The MAIL FROM domain, a subdomain of -Domain (for example bounce.example.org).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string MailFromDomain { get; set; } = "";

        /// <summary>What SES does when the MAIL FROM MX record is missing: UseDefaultValue (send from amazonses.com) or RejectMessage.</summary>
        [Parameter]
        [ValidateSet("UseDefaultValue", "RejectMessage")]
        public string BehaviorOnMxFailure { get; set; } = "UseDefaultValue";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var domain = ValidDomain(Domain, "-Domain");
            var mailFrom = ValidDomain(MailFromDomain, "-MailFromDomain");
            if (domain == null || mailFrom == null) return;
            if (mailFrom == domain || !DomainName.IsSameOrSubdomainOf(mailFrom, domain))
            {
                WriteFailure(new ValidationException("MailFromOutsideIdentity", $"-MailFromDomain {mailFrom} must be a subdomain of {domain}, such as bounce.{domain}."), MailFromDomain);
                return;
            }
            if (!ShouldProcess(domain, $"Set MAIL FROM domain {mailFrom} ({BehaviorOnMxFailure})")) return;
            var behavior = BehaviorOnMxFailure == "RejectMessage" ? "REJECT_MESSAGE" : "USE_DEFAULT_VALUE";
            var service = new SesAccountService(Clients, Messages);
            var dns = Dns;
            ForItem(domain, () => WriteObject(Run(ct => service.SetMailFromAsync(domain, mailFrom, behavior, dns, ct)), true));
        }
    }

    /// <summary>
    /// <para type="synopsis">Gets the SES account's state in a region: sandbox or production, quota, suppression list, review.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SesAccount")]
    [OutputType(typeof(SesAccount))]
    public sealed class GetSesAccountCommand : OcdsAwsCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(service.GetAsync)));
        }
    }

    /// <summary>
    /// <para type="synopsis">Asks AWS to move the SES account out of the sandbox in a region.</para>
    /// <para type="description">Sends the production access request (PutAccountDetails). If the account already has production access, says so and sends nothing.</para>
    /// </summary>
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
                if (!EmailAddress.IsValid(contact)) Fail(new ValidationException("InvalidEmailAddress", $"'{contact}' is not an email address."), contact);
            if (!ShouldProcess(Clients.Session.Region.SystemName, $"Request SES production access ({MailType}, {WebsiteUrl})")) return;
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(ct => service.RequestProductionAccessAsync(
                MailType.ToUpperInvariant(), WebsiteUrl, UseCaseDescription, contacts.Length == 0 ? null : contacts, ContactLanguage, ct))));
        }
    }

    /// <summary>
    /// <para type="synopsis">Turns off the SES account-level suppression list in a region.</para>
    /// <para type="description">SES then keeps sending to addresses that bounced or complained, which can hurt your sender reputation: handle bounces and complaints yourself (see New-SesNotificationTopic).</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Disable, "SesAccountSuppression", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SesAccount))]
    public sealed class DisableSesAccountSuppressionCommand : OcdsAwsCmdlet
    {
        /// <summary>Skip the confirmation prompt (never -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            const string warning = "Disabling the account-level suppression list can hurt your sender reputation: SES will keep sending to addresses that bounced or complained.";
            if (!ShouldChange(Clients.Session.Region.SystemName, "Disable the SES account-level suppression list. " + warning, Force)) return;
            WriteWarning(warning);
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(ct => service.SetSuppressionAsync(new string[0], ct))));
        }
    }

    /// <summary>
    /// <para type="synopsis">Turns on the SES account-level suppression list for bounces, complaints or both.</para>
    /// </summary>
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
        protected override void ProcessRecord()
        {
            var reasons = Reason.Select(r => r.ToUpperInvariant()).Distinct().ToList();
            if (!ShouldProcess(Clients.Session.Region.SystemName, $"Suppress addresses for [{string.Join(", ", reasons)}]")) return;
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(ct => service.SetSuppressionAsync(reasons, ct))));
        }
    }
}
