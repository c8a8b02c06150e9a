using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OcdsAws.Dns
{
    /// <summary>
    /// <see cref="DnsRecord"/>s in the forms DNS hosts import: BIND zone-file lines, CSV, JSON. Records come
    /// out in the order given, so the same input always gives the same text.
    /// </summary>
    internal static class DnsRecordExport
    {
        /// <summary>TTL for records that do not suggest one.</summary>
        public const int DefaultTtl = 3600;

        private static readonly string[] HostTypes = { "CNAME", "MX", "NS" };

        /// <summary>
        /// One zone-file line per record: <c>name. ttl IN type [priority] value</c>, names fully qualified.
        /// Records to remove are commented out (importing them would add them); an update is preceded by a
        /// comment naming the value it replaces, because importing adds and does not replace.
        /// </summary>
        public static string ToBind(IEnumerable<DnsRecord> records)
        {
            var text = new StringBuilder();
            foreach (var r in records)
            {
                var type = r.Type.ToUpperInvariant();
                var line = $"{Fqdn(r.Name)} {r.Ttl ?? DefaultTtl} IN {type} {(type == "MX" ? (r.Priority ?? 0).ToString(CultureInfo.InvariantCulture) + " " : "")}{BindValue(type, r.Value)}";
                if (r.Action == DnsRecordAction.Remove)
                {
                    text.Append("; remove: ").Append(line).Append('\n');
                    continue;
                }

                if (r.Action == DnsRecordAction.Update && r.CurrentValue != null)
                    text.Append("; replaces: ").Append(BindValue(type, r.CurrentValue)).Append('\n');
                text.Append(line).Append('\n');
            }

            return text.ToString();
        }

        /// <summary>
        /// CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break) with the
        /// header <c>Type,Host,Value,Priority,TTL,Action,Purpose</c>; Host is relative to the zone (<c>@</c> for the apex).
        /// </summary>
        public static string ToCsv(IEnumerable<DnsRecord> records)
        {
            var text = new StringBuilder("Type,Host,Value,Priority,TTL,Action,Purpose\r\n");
            foreach (var r in records)
            {
                var fields = new[]
                {
                    r.Type.ToUpperInvariant(), Host(r), r.Value,
                    r.Priority?.ToString(CultureInfo.InvariantCulture) ?? "", (r.Ttl ?? DefaultTtl).ToString(CultureInfo.InvariantCulture),
                    r.Action.ToString(), r.Purpose,
                };
                text.Append(string.Join(",", fields.Select(Csv))).Append("\r\n");
            }

            return text.ToString();
        }

        /// <summary>A JSON array of objects named like <see cref="DnsRecord"/>'s properties (Action as its name), indented, "\n" line ends.</summary>
        public static string ToJson(IEnumerable<DnsRecord> records)
        {
            using (var stream = new MemoryStream())
            {
                // Relaxed escaping: this is a file for people and tools, not HTML, so "+all" stays "+all".
                using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    json.WriteStartArray();
                    foreach (var r in records)
                    {
                        json.WriteStartObject();
                        json.WriteString(nameof(DnsRecord.Zone), r.Zone);
                        json.WriteString(nameof(DnsRecord.Name), r.Name);
                        json.WriteString(nameof(DnsRecord.HostLabel), Host(r));
                        json.WriteString(nameof(DnsRecord.Type), r.Type.ToUpperInvariant());
                        json.WriteString(nameof(DnsRecord.Value), r.Value);
                        Number(json, nameof(DnsRecord.Priority), r.Priority);
                        Number(json, nameof(DnsRecord.Ttl), r.Ttl);
                        json.WriteString(nameof(DnsRecord.Purpose), r.Purpose);
                        json.WriteString(nameof(DnsRecord.Action), r.Action.ToString());
                        if (r.CurrentValue == null) json.WriteNull(nameof(DnsRecord.CurrentValue));
                        else json.WriteString(nameof(DnsRecord.CurrentValue), r.CurrentValue);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                // The writer uses Environment.NewLine; the same records should give the same file everywhere.
                return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
            }
        }

        private static void Number(Utf8JsonWriter json, string name, int? value)
        {
            if (value.HasValue) json.WriteNumber(name, value.Value);
            else json.WriteNull(name);
        }

        private static string Fqdn(string name) => name.Trim().TrimEnd('.') + ".";

        private static string BindValue(string type, string value)
        {
            if (HostTypes.Contains(type)) return Fqdn(value);
            return type == "TXT" ? Quote(value) : value;
        }

        // A TXT value as quoted character-strings of at most 255 bytes each (RFC 1035 §3.3.14). Bytes outside
        // printable ASCII are written as \DDD, so a split can never cut a UTF-8 character in a way a server misreads.
        private static string Quote(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            var parts = new List<string>();
            for (var start = 0; start < bytes.Length || parts.Count == 0; start += 255)
            {
                var part = new StringBuilder("\"");
                for (var i = start; i < Math.Min(start + 255, bytes.Length); i++)
                {
                    var b = bytes[i];
                    if (b == (byte)'"' || b == (byte)'\\') part.Append('\\').Append((char)b);
                    else if (b < 0x20 || b > 0x7E) part.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
                    else part.Append((char)b);
                }

                parts.Add(part.Append('"').ToString());
            }

            return string.Join(" ", parts);
        }

        private static string Host(DnsRecord r)
        {
            if (!string.IsNullOrEmpty(r.HostLabel)) return r.HostLabel;
            if (!string.IsNullOrEmpty(r.Zone) && DomainName.IsSameOrSubdomainOf(r.Name, r.Zone)) return DomainName.RelativeHostLabel(r.Name, r.Zone);
            return r.Name;
        }

        private static string Csv(string? field)
        {
            var f = field ?? "";
            return f.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 ? "\"" + f.Replace("\"", "\"\"") + "\"" : f;
        }
    }
}
