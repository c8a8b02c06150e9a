using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
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

        /// <summary>The types whose every field can be checked before it is written; SOA and the rest are never proposed.</summary>
        public static readonly IReadOnlyList<string> Types = new[] { "A", "AAAA", "CNAME", "MX", "NS", "TXT" };

        /// <summary>
        /// Refuses, before a single line is written, any record whose fields could not be written as one well-formed
        /// line (issue #16 item 6: a line break in a name would start a zone-file line of its own). Names and host
        /// values are host names (letters, digits, hyphens, underscores, 1–63 per label, 253 in all: RFC 1035 §2.3.4;
        /// underscores for _dmarc and _domainkey, RFC 8552); A and AAAA values are addresses; TXT values are written
        /// quoted and escaped, so they may hold any text; TTL 0 to 2^31-1 (RFC 2181 §8); MX preference 0 to 65535
        /// (RFC 1035 §3.3.9, a 16-bit integer). No text field may hold a control character (line breaks, tabs).
        /// </summary>
        public static void Check(IEnumerable<DnsRecord> records)
        {
            foreach (var r in records) Check(r);
        }

        private static void Check(DnsRecord r)
        {
            if (string.IsNullOrWhiteSpace(r.Name)) throw Invalid(r, "has no Name. Give the record's fully qualified name, such as _dmarc.example.org.");
            if (!IsHostName(r.Name)) throw Invalid(r, $"has the Name '{Show(r.Name)}', which is not a DNS name" + HostNameRule);
            if (string.IsNullOrWhiteSpace(r.Type)) throw Invalid(r, $"has no Type. Give one of {string.Join(", ", Types)}.");
            var type = r.Type.Trim().ToUpperInvariant();
            if (!Types.Contains(type)) throw Invalid(r, $"has the Type '{Show(r.Type)}', which Export-DnsRecord does not write; use one of {string.Join(", ", Types)}.");
            if (string.IsNullOrEmpty(r.Value)) throw Invalid(r, "has no Value. Every record OcdsAws proposes has one: pipe the records of New-SesDomainVerification or Set-SesMailFromDomain.");
            switch (type)
            {
                case "A":
                    if (!IsIPv4(r.Value)) throw Invalid(r, $"has the Value '{Show(r.Value)}', which is not an IPv4 address (four numbers 0-255 such as 192.0.2.1).");
                    break;
                case "AAAA":
                    if (!IPAddress.TryParse(r.Value, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || r.Value.IndexOf(':') < 0)
                        throw Invalid(r, $"has the Value '{Show(r.Value)}', which is not an IPv6 address (such as 2001:db8::1).");
                    break;
                case "TXT":
                    break; // written quoted with every byte outside printable ASCII escaped (Quote)
                default:
                    if (!IsHostName(r.Value)) throw Invalid(r, $"has the Value '{Show(r.Value)}', which is not a host name{(type == "MX" ? " (the MX priority goes in Priority, not in Value)" : "")}" + HostNameRule);
                    break;
            }
            if (r.Ttl < 0) throw Invalid(r, $"has the TTL {r.Ttl}; a TTL is 0 to {int.MaxValue} seconds (RFC 2181 §8).");
            if (r.Priority < 0 || r.Priority > 65535) throw Invalid(r, $"has the Priority {r.Priority}; an MX priority is 0 to 65535 (RFC 1035 §3.3.9).");
            if (!string.IsNullOrEmpty(r.Zone) && !IsHostName(r.Zone)) throw Invalid(r, $"has the Zone '{Show(r.Zone)}', which is not a DNS name" + HostNameRule);
            if (!string.IsNullOrEmpty(r.HostLabel) && r.HostLabel != "@" && !IsHostName(r.HostLabel))
                throw Invalid(r, $"has the HostLabel '{Show(r.HostLabel)}', which is neither @ nor a DNS name relative to the zone" + HostNameRule);
            if (HasControl(r.Purpose)) throw Invalid(r, $"has the Purpose '{Show(r.Purpose)}', which holds a line break or other control character; give it as one line.");
            // A TXT record's current value is written quoted and escaped like its Value; others (MX "10 host, 20 host") as they are.
            if (type != "TXT" && HasControl(r.CurrentValue))
                throw Invalid(r, $"has the CurrentValue '{Show(r.CurrentValue!)}', which holds a line break or other control character; give it as one line.");
        }

        private const string HostNameRule = ": labels of letters, digits, hyphens and underscores, 1 to 63 characters each, separated by dots, at most 253 in all.";

        private static bool IsHostName(string name)
        {
            var n = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
            if (n.Length == 0 || n.Length > 253) return false;
            return n.Split('.').All(l => l.Length >= 1 && l.Length <= 63
                && l.All(c => c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'));
        }

        // Four dotted decimals only: IPAddress.TryParse would also take "1" (0.0.0.1) and "0x7f.1".
        private static bool IsIPv4(string value)
        {
            var parts = value.Split('.');
            return parts.Length == 4 && parts.All(p => p.Length >= 1 && p.Length <= 3 && p.All(c => c >= '0' && c <= '9') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
        }

        private static bool HasControl(string? text) => text != null && text.Any(char.IsControl);

        // A value as the message shows it: control characters spelled out, so the message stays one line.
        private static string Show(string text)
        {
            var shown = new StringBuilder();
            foreach (var c in text.Length > 80 ? text.Substring(0, 80) + "…" : text)
            {
                if (c == '\n') shown.Append("\\n");
                else if (c == '\r') shown.Append("\\r");
                else if (c == '\t') shown.Append("\\t");
                else if (char.IsControl(c)) shown.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else shown.Append(c);
            }
            return shown.ToString();
        }

        private static ValidationException Invalid(DnsRecord r, string problem)
        {
            var name = string.IsNullOrWhiteSpace(r.Name) ? $"'{Show(r.ToString())}'" : Show(r.Name);
            return new ValidationException(ErrorIds.InvalidDnsRecord, $"The DNS record {name}{(string.IsNullOrWhiteSpace(r.Type) ? "" : " " + Show(r.Type))} {problem} Nothing was written.");
        }

        /// <summary>
        /// One zone-file line per record: <c>name. ttl IN type [priority] value</c>, names fully qualified. Importing a
        /// zone file adds records and never replaces one, so only records to add are written as lines; everything else is
        /// a comment saying what to do at the DNS host. A record to keep is commented out (importing it would add a
        /// duplicate); a record to remove too. An update names the record to replace and the line that replaces it, both
        /// commented: imported as written, the zone never holds the old and the new record side by side (for SPF that is
        /// a permerror, RFC 7208 §4.5: no SPF at all).
        /// </summary>
        public static string ToBind(IEnumerable<DnsRecord> records)
        {
            var list = records.ToList();
            Check(list);
            var text = new StringBuilder();
            foreach (var r in list)
            {
                var type = r.Type.Trim().ToUpperInvariant();
                var line = $"{Fqdn(r.Name)} {r.Ttl ?? DefaultTtl} IN {type} {(type == "MX" ? (r.Priority ?? 0).ToString(CultureInfo.InvariantCulture) + " " : "")}{BindValue(type, r.Value)}";
                switch (r.Action)
                {
                    case DnsRecordAction.Remove:
                        text.Append("; remove: delete this record at your DNS host: ").Append(line).Append('\n');
                        break;
                    case DnsRecordAction.Keep:
                        text.Append("; keep: already published, nothing to do: ").Append(line).Append('\n');
                        break;
                    case DnsRecordAction.Update:
                        text.Append("; update: edit the existing record at your DNS host (do not add a second one): replace\n")
                            .Append(";   ").Append(Fqdn(r.Name)).Append(" IN ").Append(type).Append(' ')
                            .Append(r.CurrentValue == null ? "(its current value)" : type == "TXT" ? Quote(r.CurrentValue) : r.CurrentValue).Append('\n')
                            .Append("; with\n")
                            .Append(";   ").Append(line).Append('\n');
                        break;
                    default:
                        text.Append(line).Append('\n');
                        break;
                }
            }

            return text.ToString();
        }

        /// <summary>
        /// CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break) with the
        /// header <c>Type,Host,Value,Priority,TTL,Action,Purpose,CurrentValue</c>; Host is relative to the zone (<c>@</c> for the
        /// apex). CurrentValue is what DNS held when the record was proposed: for an Update, the record to replace (edit it,
        /// do not add a second one).
        /// </summary>
        public static string ToCsv(IEnumerable<DnsRecord> records)
        {
            var list = records.ToList();
            Check(list);
            var text = new StringBuilder("Type,Host,Value,Priority,TTL,Action,Purpose,CurrentValue\r\n");
            foreach (var r in list)
            {
                var fields = new[]
                {
                    r.Type.Trim().ToUpperInvariant(), Host(r), r.Value,
                    r.Priority?.ToString(CultureInfo.InvariantCulture) ?? "", (r.Ttl ?? DefaultTtl).ToString(CultureInfo.InvariantCulture),
                    r.Action.ToString(), r.Purpose, r.CurrentValue,
                };
                text.Append(string.Join(",", fields.Select(Csv))).Append("\r\n");
            }

            return text.ToString();
        }

        /// <summary>A JSON array of objects named like <see cref="DnsRecord"/>'s properties (Action as its name), indented, "\n" line ends.</summary>
        public static string ToJson(IEnumerable<DnsRecord> records)
        {
            var list = records.ToList();
            Check(list);
            using (var stream = new MemoryStream())
            {
                // Relaxed escaping: this is a file for people and tools, not HTML, so "+all" stays "+all".
                using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    json.WriteStartArray();
                    foreach (var r in list)
                    {
                        json.WriteStartObject();
                        json.WriteString(nameof(DnsRecord.Zone), r.Zone);
                        json.WriteString(nameof(DnsRecord.Name), r.Name);
                        json.WriteString(nameof(DnsRecord.HostLabel), Host(r));
                        json.WriteString(nameof(DnsRecord.Type), r.Type.Trim().ToUpperInvariant());
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

        /// <summary>
        /// Writes <paramref name="text"/> (UTF-8, no byte order mark) to <paramref name="path"/>: a new file, or with
        /// <paramref name="overwrite"/> an existing one. Without it the file is created exclusively (CreateNew), so a
        /// file that appeared after the checks is not overwritten either and nothing special is ever opened.
        /// </summary>
        public static void WriteFile(string path, string text, bool overwrite)
        {
            try
            {
                using (var stream = new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    var bytes = new UTF8Encoding(false).GetBytes(text);
                    stream.Write(bytes, 0, bytes.Length);
                }
            }
            catch (IOException) when (!overwrite && (File.Exists(path) || Directory.Exists(path)))
            {
                throw new ValidationException(ErrorIds.FileExists, $"The file '{path}' already exists. Add -Force to overwrite it, or give another -Path.", System.Management.Automation.ErrorCategory.ResourceExists);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new OcdsAwsException(ErrorIds.FileWriteFailed, $"Could not write '{path}': {e.Message}", System.Management.Automation.ErrorCategory.WriteError);
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
