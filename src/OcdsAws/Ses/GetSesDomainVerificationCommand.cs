using System.Collections.Generic;
using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Gets a domain's SES verification status and the DNS records it needs; with no -Domain, every domain identity of the region.</summary>
    [Cmdlet(VerbsCommon.Get, "SesDomainVerification")]
    [OutputType(typeof(SesDomainVerification))]
    public sealed class GetSesDomainVerificationCommand : SesDomainCmdlet
    {
        /// <summary>The domain(s). Default: every domain identity of the region.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesDomainCompleter))]
        public string[] Domain { get; set; } = new string[0];

        /// <summary>Where the proposed DMARC record sends aggregate reports (rua=mailto:...): one or more email addresses.</summary>
        [Parameter]
        public string[]? DmarcReportAddress { get; set; }

        /// <summary>Auto: include SES's inbound MX only when the domain has no MX. Always or Never.</summary>
        [Parameter]
        public InboundMxMode InboundMx { get => (InboundMxMode)_inboundMx; set => _inboundMx = (int)value; }

        // Kept as the enum's number: a field of an OcdsAws.Engine value type would make PowerShell's import-time scan of
        // this assembly load OcdsAws.Engine before DependencyLoader.cs can (RootModuleTests checks every cmdlet).
        private int _inboundMx = (int)InboundMxMode.Auto;

        private IReadOnlyList<string> _reports = new string[0];

        /// <inheritdoc />
        protected override void ValidateParameters() => _reports = ReadReportAddresses(DmarcReportAddress);

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var domains = SesIdentityNames.GivenOrListed(this, Domain, SesIdentities.Domain);
            foreach (var input in domains)
            {
                if (!TryReadDomain(input, "-Domain", out var domain)) continue;
                var service = Service;
                service.DmarcReportAddresses = _reports;
                ForItem(domain, () => WriteObject(Run(async ct =>
                {
                    var dns = await service.ReadDnsAsync(domain, InboundMx, ct).ConfigureAwait(false);
                    return await service.GetAsync(domain, dns, ct).ConfigureAwait(false);
                })));
            }
        }
    }
}
