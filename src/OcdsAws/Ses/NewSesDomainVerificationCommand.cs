using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Verifies a domain in SES with Easy DKIM and proposes the DNS records for the DNS host.</summary>
    [Cmdlet(VerbsCommon.New, "SesDomainVerification", SupportsShouldProcess = true)]
    [OutputType(typeof(SesDomainVerification))]
    public sealed class NewSesDomainVerificationCommand : SesDomainCmdlet
    {
        /// <summary>The domain(s) to verify; internationalised names are converted to punycode.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        public string[] Domain { get; set; } = new string[0];

        /// <summary>Easy DKIM key length in bits.</summary>
        [Parameter]
        [ValidateSet("1024", "2048")]
        public int DkimKeyLength { get; set; } = 2048;

        /// <summary>A configuration set to use by default for mail from this domain.</summary>
        [Parameter]
        [ValidatePattern("^[A-Za-z0-9_-]{1,64}\\z")]
        public string? ConfigurationSetName { get; set; }

        /// <summary>Tags for the identity, as a hashtable.</summary>
        [Parameter]
        public Hashtable? Tag { get; set; }

        /// <summary>Where the proposed DMARC record sends aggregate reports (rua=mailto:...): one or more email addresses.</summary>
        [Parameter]
        public string[]? DmarcReportAddress { get; set; }

        /// <summary>Auto: propose SES's inbound MX only when the domain has no MX. Always or Never.</summary>
        [Parameter]
        public InboundMxMode InboundMx { get => (InboundMxMode)_inboundMx; set => _inboundMx = (int)value; }

        // Kept as the enum's number: a field of an OcdsAws.Engine value type would make PowerShell's import-time scan of
        // this assembly load OcdsAws.Engine before DependencyLoader.cs can (RootModuleTests checks every cmdlet).
        private int _inboundMx = (int)InboundMxMode.Auto;

        private List<KeyValuePair<string, string>>? _tags;
        private IReadOnlyList<string> _reports = new string[0];

        /// <inheritdoc />
        protected override void ValidateParameters()
        {
            _tags = Tag == null ? null : InputRules.Tags(Tag);
            _reports = ReadReportAddresses(DmarcReportAddress);
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            foreach (var input in Domain)
            {
                if (!TryReadDomain(input, "-Domain", out var domain)) continue;
                if (!ShouldProcess(domain, $"Create SES email identity with Easy DKIM ({DkimKeyLength}-bit) in {Clients.Session.Region.SystemName}")) continue;
                var service = Service;
                var tags = _tags;
                service.DmarcReportAddresses = _reports;
                ForItem(domain, () => WriteObject(Run(async ct =>
                {
                    var dns = await service.ReadDnsAsync(domain, InboundMx, ct).ConfigureAwait(false);
                    return await service.CreateAsync(domain, DkimKeyLength == 1024 ? "RSA_1024_BIT" : "RSA_2048_BIT", ConfigurationSetName, tags, dns, ct).ConfigureAwait(false);
                })));
            }
        }
    }
}
