using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace OcdsAws.Dns
{
    /// <summary>Writes DNS records as a BIND zone file, CSV or JSON for the DNS host.</summary>
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
        protected override void ProcessItem() => _records.AddRange(InputObject.Where(r => r != null));

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
