using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Dns
{
    /// <summary>Whether DNS publishes a record.</summary>
    public enum DnsRecordStatus
    {
        /// <summary>DNS publishes the expected value (for a record to remove: it is still there).</summary>
        Present,

        /// <summary>DNS has no record of that type at that name.</summary>
        Missing,

        /// <summary>DNS has records of that type at that name, but not the expected value.</summary>
        Different,

        /// <summary>No DNS server answered; see <see cref="DnsRecordCheck.Error"/>.</summary>
        Unreachable,

        /// <summary>
        /// DNS publishes more than one SPF record at the name: receivers then return permerror and SPF fails for all
        /// the domain's mail (RFC 7208 §4.5), whatever the records say. <see cref="DnsRecordCheck.Error"/> names the records to delete.
        /// </summary>
        Conflict,
    }

    /// <summary>What DNS says about one <see cref="DnsRecord"/> (the output of Test-DnsRecord).</summary>
    public sealed class DnsRecordCheck
    {
        internal DnsRecordCheck(DnsRecord record, DnsRecordStatus status, string[] found, string? server, string? error)
        {
            Record = record;
            Name = record.Name;
            Type = record.Type;
            Expected = DnsRecordChecker.Presentation(record.Type, record.Value, record.Priority);
            Status = status;
            Found = found;
            Server = server;
            Error = error;
        }

        /// <summary>The record's FQDN.</summary>
        public string Name { get; }

        /// <summary>CNAME, MX, TXT…</summary>
        public string Type { get; }

        /// <summary>The value looked for; MX as "10 host".</summary>
        public string Expected { get; }

        /// <summary>Present, Missing, Different or Unreachable.</summary>
        public DnsRecordStatus Status { get; }

        /// <summary>The values DNS has for that name and type (MX as "10 host").</summary>
        public string[] Found { get; }

        /// <summary>The record checked.</summary>
        public DnsRecord Record { get; }

        /// <summary>The DNS server that answered (or the ones tried), as address:port.</summary>
        public string? Server { get; }

        /// <summary>Why DNS could not be asked, when <see cref="Status"/> is Unreachable; what to delete, when it is Conflict.</summary>
        public string? Error { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name} {Type} {Expected}: {Status}";
    }

    /// <summary>Asks DNS whether records are published as proposed.</summary>
    internal static class DnsRecordChecker
    {
        private static readonly string[] HostTypes = { "CNAME", "MX", "NS" };

        /// <summary>
        /// One <see cref="DnsRecordCheck"/> per record, in order. A resolver on the system's servers is only used
        /// to find each zone's authoritative servers, which are then asked directly (no cache between the DNS
        /// host and the answer); a resolver on explicit servers (-DnsServer) is asked as is.
        /// </summary>
        public static Task<IReadOnlyList<DnsRecordCheck>> CheckAsync(IEnumerable<DnsRecord> records, DnsResolver resolver, CancellationToken cancellationToken)
            => CheckAsync(records, resolver, resolver.UsesSystemServers, cancellationToken);

        /// <summary>
        /// As above, but <paramref name="authoritative"/> says whether to use <paramref name="resolver"/> only to
        /// find each zone's name servers (true) or to ask it the questions themselves (false).
        /// </summary>
        public static async Task<IReadOnlyList<DnsRecordCheck>> CheckAsync(IEnumerable<DnsRecord> records, DnsResolver resolver,
            bool authoritative, CancellationToken cancellationToken)
        {
            // Bad input fails before any DNS query, naming the record.
            var list = records.ToList();
            foreach (var record in list)
            {
                if (string.IsNullOrWhiteSpace(record.Name))
                    throw new ValidationException(ErrorIds.InvalidDnsRecord, $"The DNS record '{record}' has no Name.");
                // A name DNS cannot carry is refused here, not sent (RFC 1035 §2.3.4: labels of 1 to 63 octets, names up to 255 octets
                // on the wire, 253 characters written out); no spaces or control characters (no DNS host takes them in a name).
                var name = record.Name.Trim().TrimEnd('.');
                var labels = name.Split('.');
                if (name.Length > 253 || labels.Any(l => l.Length == 0 || l.Length > 63) || name.Any(c => c <= ' ' || c == '\u007f' || char.IsControl(c)))
                    throw new ValidationException(ErrorIds.InvalidDnsRecord,
                        $"The DNS record name '{record.Name}' is not a DNS name: labels of 1 to 63 characters, no empty label (two dots), no spaces or control characters, at most 253 in all.");
                if (!DnsResolver.SupportedTypes.Contains((record.Type ?? "").ToUpperInvariant()))
                    throw new ValidationException(ErrorIds.InvalidDnsRecord,
                        $"The DNS record {record.Name} has the type '{record.Type}', which cannot be checked; use one of {string.Join(", ", DnsResolver.SupportedTypes)}.");
            }

            var viaZone = authoritative;
            var zones = new Dictionary<string, Task<string?>>(StringComparer.OrdinalIgnoreCase);
            var servers = new Dictionary<string, Task<DnsResolver>>(StringComparer.OrdinalIgnoreCase);
            var checks = new List<DnsRecordCheck>();
            foreach (var record in list)
            {
                var ask = resolver;
                if (viaZone)
                {
                    try
                    {
                        // Several records share a zone (the DKIM CNAMEs): find it and its servers once.
                        var zone = await Memo(zones, record.Name, () => resolver.FindZoneAsync(record.Name, cancellationToken)).ConfigureAwait(false);
                        if (zone == null) throw new DnsUnavailableException($"No DNS zone holds {record.Name}: is the domain registered?");
                        ask = await Memo(servers, zone, () => resolver.AuthoritativeForAsync(zone, cancellationToken)).ConfigureAwait(false);
                    }
                    catch (DnsUnavailableException e)
                    {
                        checks.Add(new DnsRecordCheck(record, DnsRecordStatus.Unreachable, Array.Empty<string>(), resolver.Servers, e.Message));
                        continue;
                    }
                }

                checks.Add(await CheckOneAsync(record, ask, cancellationToken).ConfigureAwait(false));
            }

            return checks;
        }

        private static async Task<DnsRecordCheck> CheckOneAsync(DnsRecord record, DnsResolver resolver, CancellationToken cancellationToken)
        {
            var type = record.Type.ToUpperInvariant();
            var lookup = await resolver.QueryAsync(record.Name, type, cancellationToken).ConfigureAwait(false);
            if (!lookup.Reachable)
                return new DnsRecordCheck(record, DnsRecordStatus.Unreachable, Array.Empty<string>(), lookup.Server, lookup.Error);

            var atName = lookup.Answers.Where(a => Same(a.Name, record.Name)).ToList();
            var found = atName.Where(a => a.Type == type).Where(a => Relevant(type, record.Value, a.Value))
                .Select(a => Presentation(a.Type, a.Value, a.Priority)).ToArray();
            // A name that is an alias can hold nothing else: show the CNAME so the user sees why.
            if (found.Length == 0 && type != "CNAME")
                found = atName.Where(a => a.Type == "CNAME").Select(a => "CNAME " + a.Value).ToArray();

            var expected = Presentation(type, record.Value, record.Priority);
            var match = found.Any(f => Matches(type, expected, f, anyValue: record.Action == DnsRecordAction.Remove && record.Value.Length == 0));
            DnsRecordStatus status;
            if (record.Action == DnsRecordAction.Remove)
                status = match ? DnsRecordStatus.Present : DnsRecordStatus.Missing; // Present = still there, delete it
            else
                status = match ? DnsRecordStatus.Present : found.Length == 0 ? DnsRecordStatus.Missing : DnsRecordStatus.Different;

            // The expected SPF record beside another is no SPF at all: "If the resultant record set includes more than one
            // record, check_host() produces the "permerror" result" (RFC 7208 §4.5). Found holds only the SPF records here.
            if (record.Action != DnsRecordAction.Remove && type == "TXT" && Spf.IsSpfRecord(record.Value) && found.Count(Spf.IsSpfRecord) > 1)
            {
                var others = found.Where(f => !match || !Matches(type, expected, f, anyValue: false)).Select(f => "\"" + f + "\"").ToList();
                var advice = match
                    ? $"keep \"{expected}\" and delete {string.Join(", ", others)}"
                    : $"publish one record, \"{expected}\", in place of {string.Join(", ", others)}";
                return new DnsRecordCheck(record, DnsRecordStatus.Conflict, found, lookup.Server,
                    $"{record.Name} publishes {found.Length} SPF records, which receivers treat as a permerror (RFC 7208 §4.5): SPF fails for all its mail. At your DNS host, {advice}.");
            }
            return new DnsRecordCheck(record, status, found, lookup.Server, null);
        }

        /// <summary>A value as people write it: MX as "10 host", host names without the trailing dot.</summary>
        internal static string Presentation(string type, string value, int? priority)
        {
            var t = (type ?? "").ToUpperInvariant();
            var v = HostTypes.Contains(t) ? (value ?? "").Trim().TrimEnd('.') : value ?? "";
            return t == "MX" ? $"{priority ?? 0} {v}" : v;
        }

        // Host names compare without case and trailing dots; addresses as addresses; TXT as exact text.
        private static bool Matches(string type, string expected, string found, bool anyValue)
        {
            if (anyValue) return !found.StartsWith("CNAME ", StringComparison.Ordinal) || type == "CNAME";
            switch (type)
            {
                case "CNAME":
                case "MX":
                case "NS":
                    return string.Equals(expected.TrimEnd('.'), found.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
                case "A":
                case "AAAA":
                    return IPAddress.TryParse(expected, out var e) && IPAddress.TryParse(found, out var f) ? e.Equals(f) : expected == found;
                default:
                    return string.Equals(expected, found, StringComparison.Ordinal);
            }
        }

        // The apex holds many TXT records (site verifications…). When the expected value is a versioned record
        // such as "v=spf1 …" or "v=DMARC1; …", only the records of that kind say whether it is published.
        private static bool Relevant(string type, string expected, string found)
        {
            if (type != "TXT") return true;
            var kind = TxtKind(expected);
            return kind == null || string.Equals(kind, TxtKind(found), StringComparison.OrdinalIgnoreCase);
        }

        private static string? TxtKind(string txt)
        {
            if (!txt.StartsWith("v=", StringComparison.OrdinalIgnoreCase)) return null;
            var end = txt.IndexOfAny(new[] { ' ', ';' });
            return end < 0 ? txt : txt.Substring(0, end);
        }

        private static Task<T> Memo<T>(Dictionary<string, Task<T>> cache, string key, Func<Task<T>> make)
        {
            if (!cache.TryGetValue(key, out var task)) cache[key] = task = make();
            return task;
        }

        private static bool Same(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }
}
