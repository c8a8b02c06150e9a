using System.Management.Automation;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>Sets a custom MAIL FROM domain for an SES domain identity and returns the MX and SPF records it needs.</summary>
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
        protected override void ProcessItem()
        {
            if (!TryReadDomain(Domain, "-Domain", out var domain) || !TryRead(() => SesInput.MailFromDomain(MailFromDomain, domain), MailFromDomain, out var mailFrom)) return;
            if (!ShouldProcess(domain, $"Set MAIL FROM domain {mailFrom} ({BehaviorOnMxFailure})")) return;
            var behavior = BehaviorOnMxFailure == "RejectMessage" ? "REJECT_MESSAGE" : "USE_DEFAULT_VALUE";
            var service = new SesAccountService(Clients, Messages);
            var dns = Dns;
            ForItem(domain, () => WriteObject(Run(ct => service.SetMailFromAsync(domain, mailFrom, behavior, dns, ct)), true));
        }
    }
}
