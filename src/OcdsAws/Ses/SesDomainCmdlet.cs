using System.Management.Automation;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>What the SES domain cmdlets share: -DnsServer and the domain service.</summary>
    public abstract class SesDomainCmdlet : OcdsAwsCmdlet, IDnsCmdlet
    {
        /// <summary>DNS server to read from, host[:port]. Default: the system's resolvers.</summary>
        [Parameter]
        public string? DnsServer { get; set; }

        /// <summary>The domain service of the current item's region.</summary>
        internal SesDomainService Service => new SesDomainService(Clients, Dns, Messages);

        /// <summary>Reads a domain; a bad one is reported for this item and false returned (no AWS call follows).</summary>
        internal bool TryReadDomain(string input, string parameter, out string domain)
            => TryRead(() => DomainName.Normalize(input, parameter), input, out domain);
    }
}
