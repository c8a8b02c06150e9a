using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace OcdsAws.Dns
{
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
}
