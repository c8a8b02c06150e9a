using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Dns
{
    /// <summary>Writes DNS records as a BIND zone file, CSV or JSON for the DNS host.</summary>
    [Cmdlet(VerbsData.Export, "DnsRecord", SupportsShouldProcess = true)]
    [OutputType(typeof(string))]
    public sealed class ExportDnsRecordCommand : OcdsCmdlet
    {
        private readonly List<DnsRecord> _records = new List<DnsRecord>();
        private string? _file;

        /// <summary>The records; objects with a DnsRecords property bind too.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DnsRecords")]
        public DnsRecord[] InputObject { get; set; } = new DnsRecord[0];

        /// <summary>Bind (default), Csv or Json.</summary>
        [Parameter]
        public DnsExportFormat Format { get; set; } = DnsExportFormat.Bind;

        /// <summary>Write to this file instead of the pipeline: a new file, or with -Force an existing regular file.</summary>
        [Parameter]
        public string? Path { get; set; }

        /// <summary>Overwrite the -Path file if it exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ValidateParameters()
        {
            // Where the records go is known before the first record arrives: a bad -Path fails before anything is read.
            if (Path != null) _file = ExportPath.Resolve(this, Path, Force);
        }

        /// <inheritdoc />
        protected override void ProcessItem() => _records.AddRange(InputObject.Where(r => r != null));

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // One document: a bad record stops the whole export before anything is written, so a DNS host never
            // receives half a zone file.
            try
            {
                var text = Format switch
                {
                    DnsExportFormat.Csv => DnsRecordExport.ToCsv(_records),
                    DnsExportFormat.Json => DnsRecordExport.ToJson(_records),
                    _ => DnsRecordExport.ToBind(_records),
                };
                if (_file == null)
                {
                    WriteObject(text);
                    return;
                }
                if (ShouldProcess(_file, $"Write {_records.Count} DNS records as {Format}"))
                    DnsRecordExport.WriteFile(_file, text, Force);
            }
            catch (OcdsAwsException e)
            {
                Fail(e, (object?)_file ?? _records);
            }
        }
    }
}
