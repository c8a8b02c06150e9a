namespace OcdsAws.Dns
{
    /// <summary>What to do with a record at the DNS host.</summary>
    public enum DnsRecordAction
    {
        /// <summary>The record does not exist yet: add it.</summary>
        Add,

        /// <summary>A record exists with another value: change it to <see cref="DnsRecord.Value"/>.</summary>
        Update,

        /// <summary>The record exists as it should: nothing to do.</summary>
        Keep,

        /// <summary>The record is no longer needed: delete it.</summary>
        Remove,
    }

    /// <summary>
    /// A DNS record to hand to the DNS host. <see cref="HostLabel"/> is relative to the zone (<c>@</c> for
    /// the apex) because GoDaddy and most hosts append the zone themselves; <see cref="Name"/> is the FQDN.
    /// </summary>
    public sealed class DnsRecord
    {
        /// <summary>The zone the record belongs in (e.g. open-contracting.org).</summary>
        public string Zone { get; set; } = "";

        /// <summary>Fully qualified name, without the trailing dot.</summary>
        public string Name { get; set; } = "";

        /// <summary>Name relative to <see cref="Zone"/>; <c>@</c> for the apex.</summary>
        public string HostLabel { get; set; } = "";

        /// <summary>CNAME, MX, TXT…</summary>
        public string Type { get; set; } = "";

        /// <summary>The value to publish (for MX, the host without the priority).</summary>
        public string Value { get; set; } = "";

        /// <summary>MX priority.</summary>
        public int? Priority { get; set; }

        /// <summary>Suggested TTL in seconds.</summary>
        public int? Ttl { get; set; }

        /// <summary>Why the record is needed (Easy DKIM, inbound mail, SPF, DMARC, MAIL FROM…).</summary>
        public string Purpose { get; set; } = "";

        /// <summary>Add, Update, Keep or Remove.</summary>
        public DnsRecordAction Action { get; set; }

        /// <summary>The value found in DNS when this record was proposed, if any.</summary>
        public string? CurrentValue { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{HostLabel} {Type} {(Priority.HasValue ? Priority + " " : "")}{Value} ({Action})";
    }
}
