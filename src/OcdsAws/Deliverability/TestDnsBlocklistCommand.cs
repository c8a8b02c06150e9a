using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OcdsAws.Dns;

namespace OcdsAws.Deliverability
{
    /// <summary>Checks IP addresses or domains against DNS blocklists: Listed, NotListed, Error, NotAnswering or Unreliable, with what the return code means.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "DnsBlocklist", DefaultParameterSetName = IpSet)]
    [OutputType(typeof(DnsBlocklistResult))]
    public sealed class TestDnsBlocklistCommand : OcdsCmdlet, IDnsCmdlet, IDeadlineCmdlet
    {
        private const string IpSet = "IPAddress";
        private const string DomainSet = "Domain";

        private readonly List<(string Target, string Labels)> _targets = new List<(string, string)>();

        /// <summary>IPv4 or IPv6 addresses, e.g. the sending IPs from a bounce's headers.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = IpSet)]
        [Alias("IP")]
        public string[] IPAddress { get; set; } = Array.Empty<string>();

        /// <summary>Domains to check against domain lists (RHSBL).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DomainSet)]
        public string[] Domain { get; set; } = Array.Empty<string>();

        /// <summary>Blocklist zones to ask instead of the defaults (zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org; for domains dbl.spamhaus.org, multi.surbl.org).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Zone { get; set; }

        /// <summary>Ask this DNS server (host[:port]) instead of the system's resolvers.</summary>
        [Parameter]
        public string? DnsServer { get; set; }

        /// <summary>How long the whole command may take (all its DNS questions together).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

        private List<string>? _zones;

        /// <inheritdoc />
        protected override void ValidateParameters() => _zones = Zone?.Select(z => DomainName.Normalize(z, "-Zone")).Distinct().ToList();

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (ParameterSetName == DomainSet)
            {
                foreach (var d in Domain)
                    ForItem(d, () => _targets.Add((DomainName.Normalize(d, "-Domain"), DomainName.Normalize(d, "-Domain"))));
            }
            else
            {
                foreach (var ip in IPAddress)
                    ForItem(ip, () =>
                    {
                        var address = DnsBlocklist.ParseAddress(ip);
                        _targets.Add((address.ToString(), DnsBlocklist.ReversedName(address)));
                    });
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_targets.Count == 0) return;
            var resolver = Dns;
            // The defaults are picked here: with piped input, the parameter set is known only once items have bound.
            var zones = _zones ?? (ParameterSetName == DomainSet ? DnsBlocklist.DefaultDomainZones : DnsBlocklist.DefaultIpZones).ToList();
            // The test points are addresses (RFC 5782 §5): only address lists are probed.
            var results = Run(ct => DnsBlocklist.CheckAsync(_targets, zones, resolver, ct, probeTestPoints: ParameterSetName != DomainSet));
            foreach (var result in results) WriteObject(result);
        }
    }
}
