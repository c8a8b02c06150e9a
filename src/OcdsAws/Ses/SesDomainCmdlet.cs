using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
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

        // One memory of given advice per PowerShell session, like the caller identity cache (OcdsAwsCmdlet).
        private static readonly ConditionalWeakTable<Runspace, SessionNotices> Notices = new ConditionalWeakTable<Runspace, SessionNotices>();

        internal SesDomainService Service => new SesDomainService(Clients, Dns, Messages, Notices.GetValue(Runspace.DefaultRunspace, _ => new SessionNotices()));

        /// <summary>Checks -DmarcReportAddress before any AWS call; a bad address stops the command (OcdsAws.InvalidEmailAddress).</summary>
        internal IReadOnlyList<string> ValidReportAddresses(string[]? addresses)
        {
            try
            {
                return (addresses ?? new string[0]).Select(a => EmailAddress.Parse(a, "-DmarcReportAddress", "where receivers send DMARC aggregate reports")).ToList();
            }
            catch (ValidationException e)
            {
                Fail(e, addresses);
                throw; // not reached: Fail throws
            }
        }

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
