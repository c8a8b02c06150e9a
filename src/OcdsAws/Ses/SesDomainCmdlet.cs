using System.Management.Automation;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>What the SES domain cmdlets share: -DnsServer and the domain service.</summary>
    public abstract class SesDomainCmdlet : OcdsAwsCmdlet
    {
        private DnsResolver? _dns;

        /// <summary>DNS server to read from, host[:port]. Default: the system's resolvers.</summary>
        [Parameter]
        public string? DnsServer { get; set; }

        internal DnsResolver Dns => _dns ??= DnsCmdlets.Resolver(this, DnsServer);

        internal SesDomainService Service => new SesDomainService(Clients, Dns, Messages);

        /// <summary>Validates a domain; a bad one is reported for this item and null returned (no AWS call follows).</summary>
        internal string? ValidDomain(string input, string parameter)
        {
            try
            {
                return DomainName.Normalize(input, parameter);
            }
            catch (ValidationException e)
            {
                WriteFailure(e, input);
                return null;
            }
        }
    }
}
