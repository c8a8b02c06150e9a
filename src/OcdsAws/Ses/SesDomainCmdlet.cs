using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>What the SES domain cmdlets share: -DnsServer and the domain service.</summary>
    public abstract class SesDomainCmdlet : OcdsAwsCmdlet, IDnsCmdlet
    {
        // One memory of given advice per PowerShell session, like the caller identity cache (OcdsAwsCmdlet).
        private static readonly ConditionalWeakTable<Runspace, SessionNotices> Notices = new ConditionalWeakTable<Runspace, SessionNotices>();

        /// <summary>DNS server to read from, host[:port]. Default: the system's resolvers.</summary>
        [Parameter]
        public string? DnsServer { get; set; }

        /// <summary>The domain service of the current item's region.</summary>
        internal SesDomainService Service => new SesDomainService(Clients, Dns, Messages, Notices.GetValue(Runspace.DefaultRunspace, _ => new SessionNotices()));

        /// <summary>Reads a domain; a bad one is reported for this item and false returned (no AWS call follows).</summary>
        internal bool TryReadDomain(string input, string parameter, out string domain)
            => TryRead(() => DomainName.Normalize(input, parameter), input, out domain);

        /// <summary>-DmarcReportAddress as addresses; a bad one is a <see cref="ValidationException"/> (OcdsAws.InvalidEmailAddress).</summary>
        internal static IReadOnlyList<string> ReadReportAddresses(string[]? addresses)
            => (addresses ?? new string[0]).Select(a => EmailAddress.Parse(a, "-DmarcReportAddress", "where receivers send DMARC aggregate reports")).ToList();
    }
}
