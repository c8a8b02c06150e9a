using System;
using System.Management.Automation;
using OcdsAws.Dns;

namespace OcdsAws.Deliverability
{
    /// <summary>Finds the DMARC policy that applies to a domain, as receivers do: record, policy domain and organizational domain.</summary>
    [Cmdlet(VerbsCommon.Get, "DmarcRecord")]
    [OutputType(typeof(DmarcRecordResult))]
    public sealed class GetDmarcRecordCommand : OcdsCmdlet, IDnsCmdlet, IDeadlineCmdlet
    {
        private DmarcDiscovery? _discovery;

        /// <summary>The domain, e.g. the domain of the From address.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string[] Domain { get; set; } = Array.Empty<string>();

        /// <summary>Ask this DNS server (host[:port]) instead of the system's resolvers.</summary>
        [Parameter]
        public string? DnsServer { get; set; }

        /// <summary>How long the whole command may take (all its DNS questions together).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>RFC 7489 mode: the Public Suffix List file (public_suffix_list.dat) to find organizational domains with.</summary>
        [Parameter]
        [Alias("PublicSuffixList")]
        public string? PublicSuffixListPath { get; set; }

        /// <inheritdoc />
        protected override void ValidateParameters()
        {
            var psl = PublicSuffixListPath == null ? null : PublicSuffixList.Load(GetUnresolvedProviderPathFromPSPath(PublicSuffixListPath), CancellationToken);
            _discovery = new DmarcDiscovery(Dns, psl);
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            foreach (var d in Domain)
            {
                ForItem(d, () =>
                {
                    var domain = DomainName.Normalize(d, "-Domain");
                    var discovery = _discovery!;
                    WriteObject(Run(ct => discovery.DiscoverAsync(domain, ct)));
                });
            }
        }
    }
}
