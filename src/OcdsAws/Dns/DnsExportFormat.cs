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
