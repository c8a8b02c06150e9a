using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Dns
{
    /// <summary>Checks DNS records against the zone's authoritative name servers: Present, Missing, Different or Conflict.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "DnsRecord")]
    [OutputType(typeof(DnsRecordCheck))]
    public sealed class TestDnsRecordCommand : OcdsCmdlet, IDnsCmdlet, IDeadlineCmdlet
    {
        private readonly List<DnsRecord> _records = new List<DnsRecord>();

        /// <summary>The records to check; objects with a DnsRecords property bind too.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DnsRecords")]
        public DnsRecord[] InputObject { get; set; } = new DnsRecord[0];

        /// <summary>Ask this DNS server (host[:port]) instead of the zone's authoritative servers.</summary>
        [Parameter]
        public string? DnsServer { get; set; }

        /// <summary>How long the whole command may take (all its DNS questions together).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <inheritdoc />
        protected override void ProcessItem() => _records.AddRange(InputObject.Where(r => r != null));

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var resolver = Dns;
            try
            {
                foreach (var check in Run(ct => DnsRecordChecker.CheckAsync(_records, resolver, DnsServer == null, ct))) WriteObject(check);
            }
            catch (ValidationException e)
            {
                Fail(e, _records);
            }
        }
    }
}
