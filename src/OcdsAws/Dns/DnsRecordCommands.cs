using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace OcdsAws.Dns
{
    /// <summary>Shared -DnsServer handling.</summary>
    internal static class DnsCmdlets
    {
        public static DnsResolver Resolver(OcdsCmdlet cmdlet, string? server)
        {
            try
            {
                return server == null ? new DnsResolver(null) : new DnsResolver(new[] { DnsServerAddress.Parse(server) });
            }
            catch (ValidationException e)
            {
                cmdlet.Fail(e, server);
                throw; // not reached
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Checks DNS records against the zone's authoritative name servers: Present, Missing or Different.</para>
    /// <para type="description">Asks the zone's own name servers directly (no resolver cache), or the -DnsServer given. Pipe in New-SesDomainVerification's output or DnsRecord objects.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "DnsRecord")]
    [OutputType(typeof(DnsRecordCheck))]
    public sealed class TestDnsRecordCommand : OcdsCmdlet
    {
        private readonly List<DnsRecord> _records = new List<DnsRecord>();

        /// <summary>The records to check; objects with a DnsRecords property bind too.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DnsRecords")]
        public DnsRecord[] InputObject { get; set; } = new DnsRecord[0];

        /// <summary>Ask this DNS server (host[:port]) instead of the zone's authoritative servers.</summary>
        [Parameter]
        public string? DnsServer { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord() => _records.AddRange(InputObject.Where(r => r != null));

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var resolver = DnsCmdlets.Resolver(this, DnsServer);
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

    /// <summary>Formats of Export-DnsRecord.</summary>
    public enum DnsExportFormat
    {
        /// <summary>BIND zone-file lines (FQDNs with trailing dots): GoDaddy and most DNS hosts import these.</summary>
        Bind,

        /// <summary>CSV with host names relative to the zone.</summary>
        Csv,

        /// <summary>JSON.</summary>
        Json,
    }

    /// <summary>
    /// <para type="synopsis">Writes DNS records as a BIND zone file, CSV or JSON for the DNS host.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "DnsRecord", SupportsShouldProcess = true)]
    [OutputType(typeof(string))]
    public sealed class ExportDnsRecordCommand : OcdsCmdlet
    {
        private readonly List<DnsRecord> _records = new List<DnsRecord>();

        /// <summary>The records; objects with a DnsRecords property bind too.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DnsRecords")]
        public DnsRecord[] InputObject { get; set; } = new DnsRecord[0];

        /// <summary>Bind (default), Csv or Json.</summary>
        [Parameter]
        public DnsExportFormat Format { get; set; } = DnsExportFormat.Bind;

        /// <summary>Write to this file instead of the pipeline.</summary>
        [Parameter]
        public string? Path { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord() => _records.AddRange(InputObject.Where(r => r != null));

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var text = Format switch
            {
                DnsExportFormat.Csv => DnsRecordExport.ToCsv(_records),
                DnsExportFormat.Json => DnsRecordExport.ToJson(_records),
                _ => DnsRecordExport.ToBind(_records),
            };
            if (Path == null)
            {
                WriteObject(text);
                return;
            }
            var full = GetUnresolvedProviderPathFromPSPath(Path);
            if (ShouldProcess(full, $"Write {_records.Count} DNS records as {Format}"))
                File.WriteAllText(full, text, new UTF8Encoding(false));
        }
    }
}
