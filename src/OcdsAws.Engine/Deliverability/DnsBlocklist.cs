using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Dns;

namespace OcdsAws.Deliverability
{
    /// <summary>What a blocklist said about one address or domain.</summary>
    public enum DnsBlocklistStatus
    {
        /// <summary>The list has no entry (NXDOMAIN).</summary>
        NotListed,

        /// <summary>The list has an entry; <see cref="DnsBlocklistResult.Meaning"/> says which.</summary>
        Listed,

        /// <summary>No trustworthy answer: DNS failed, or the list answered with an error code (e.g. your resolver is blocked).</summary>
        Error,
    }

    /// <summary>One address or domain checked against one blocklist zone.</summary>
    public sealed class DnsBlocklistResult
    {
        internal DnsBlocklistResult(string target, string zone, string query)
        {
            Target = target;
            Zone = zone;
            Query = query;
        }

        /// <summary>The IP address or domain checked.</summary>
        public string Target { get; }

        /// <summary>The blocklist zone, e.g. zen.spamhaus.org.</summary>
        public string Zone { get; }

        /// <summary>The name asked for (reversed address or domain, then the zone).</summary>
        public string Query { get; }

        /// <summary>Listed, NotListed or Error.</summary>
        public DnsBlocklistStatus Status { get; internal set; }

        /// <summary>The A records the list answered, e.g. 127.0.0.2.</summary>
        public IReadOnlyList<string> ReturnCodes { get; internal set; } = Array.Empty<string>();

        /// <summary>What the return codes mean (or why the answer is an error).</summary>
        public string? Meaning { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => $"{Target} {Zone}: {Status}{(Meaning == null ? "" : " (" + Meaning + ")")}";
    }

    /// <summary>DNS blocklist (DNSBL/RHSBL) queries and what their answers mean.</summary>
    internal static class DnsBlocklist
    {
        /// <summary>Lists for sending IP addresses: Spamhaus ZEN (SBL, CSS, XBL, PBL), SpamCop, Barracuda.</summary>
        public static readonly IReadOnlyList<string> DefaultIpZones = new[] { "zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org" };

        /// <summary>Lists for domains: Spamhaus DBL and SURBL.</summary>
        public static readonly IReadOnlyList<string> DefaultDomainZones = new[] { "dbl.spamhaus.org", "multi.surbl.org" };

        // Spamhaus's documented return codes (ZEN for addresses, DBL for domains).
        private static readonly Dictionary<string, string> Spamhaus = new Dictionary<string, string>
        {
            ["127.0.0.2"] = "SBL: Spamhaus SBL data (known spam source)",
            ["127.0.0.3"] = "CSS: Spamhaus CSS (snowshoe spam or low-reputation sending)",
            ["127.0.0.4"] = "XBL: CBL data (exploited host, e.g. malware or open proxy)",
            ["127.0.0.9"] = "DROP: Spamhaus DROP/EDROP (hijacked network)",
            ["127.0.0.10"] = "PBL: ISP-maintained policy block list (dynamic/end-user address, should not send directly)",
            ["127.0.0.11"] = "PBL: Spamhaus-maintained policy block list (should not send directly)",
            ["127.0.1.2"] = "DBL: spam domain",
            ["127.0.1.4"] = "DBL: phishing domain",
            ["127.0.1.5"] = "DBL: malware domain",
            ["127.0.1.6"] = "DBL: botnet command-and-control domain",
            ["127.0.1.102"] = "DBL: abused legitimate spam domain",
            ["127.0.1.103"] = "DBL: abused legitimate spammed redirector domain",
            ["127.0.1.104"] = "DBL: abused legitimate phishing domain",
            ["127.0.1.105"] = "DBL: abused legitimate malware domain",
            ["127.0.1.106"] = "DBL: abused legitimate botnet command-and-control domain",
        };

        // Answers that are errors, never listings (Spamhaus documents these; other lists follow suit).
        private static readonly Dictionary<string, string> ErrorCodes = new Dictionary<string, string>
        {
            ["127.255.255.252"] = "error 127.255.255.252: the query is malformed or the zone name has a typo",
            ["127.255.255.254"] = "error 127.255.255.254: your resolver is blocked by the list (queries through a public/open resolver are refused); use your own resolver with -DnsServer",
            ["127.255.255.255"] = "error 127.255.255.255: your resolver is rate-limited by the list (excessive number of queries)",
            ["127.0.1.255"] = "error 127.0.1.255: this domain list does not take IP address queries",
        };

        /// <summary>The address of <paramref name="text"/>, strictly: dotted-quad IPv4 or IPv6 (no "127.1" shorthands).</summary>
        public static IPAddress ParseAddress(string? text)
        {
            var t = (text ?? "").Trim();
            if (IPAddress.TryParse(t, out var address))
            {
                if (address.AddressFamily == AddressFamily.InterNetworkV6 && t.Contains(":")) return address;
                var parts = t.Split('.');
                if (address.AddressFamily == AddressFamily.InterNetwork && parts.Length == 4
                    && parts.All(p => p.Length >= 1 && p.Length <= 3 && p.All(char.IsDigit)))
                    return address;
            }
            throw new ValidationException("InvalidIPAddress", $"'{text}' is not an IPv4 address (a.b.c.d) or an IPv6 address.");
        }

        /// <summary>The label sequence blocklists use: IPv4 octets reversed, IPv6 nibbles reversed (RFC 5782).</summary>
        public static string ReversedName(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork)
                return string.Join(".", bytes.AsEnumerable().Reverse().Select(b => b.ToString(CultureInfo.InvariantCulture)));
            var nibbles = new StringBuilder();
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                if (nibbles.Length > 0) nibbles.Append('.');
                nibbles.Append((bytes[i] & 0xF).ToString("x", CultureInfo.InvariantCulture)).Append('.').Append((bytes[i] >> 4).ToString("x", CultureInfo.InvariantCulture));
            }
            return nibbles.ToString();
        }

        /// <summary>Checks every target against every zone, all queries in parallel; results in target then zone order.</summary>
        public static async Task<IReadOnlyList<DnsBlocklistResult>> CheckAsync(IReadOnlyList<(string Target, string Labels)> targets,
            IReadOnlyList<string> zones, DnsResolver resolver, CancellationToken ct)
        {
            var tasks = targets.SelectMany(t => zones.Select(z => CheckOneAsync(t.Target, t.Labels, z, resolver, ct))).ToList();
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        private static async Task<DnsBlocklistResult> CheckOneAsync(string target, string labels, string zone, DnsResolver resolver, CancellationToken ct)
        {
            var query = labels + "." + zone;
            var result = new DnsBlocklistResult(target, zone, query);
            var lookup = await resolver.QueryAsync(query, "A", ct).ConfigureAwait(false);
            if (!lookup.Reachable)
            {
                result.Status = DnsBlocklistStatus.Error;
                result.Meaning = lookup.Error;
                return result;
            }
            var codes = lookup.Answers.Where(a => a.Type == "A").Select(a => a.Value).Distinct().ToList();
            result.ReturnCodes = codes;
            if (codes.Count == 0)
            {
                result.Status = DnsBlocklistStatus.NotListed;
                return result;
            }

            var errors = codes.Where(ErrorCodes.ContainsKey).ToList();
            var foreign = codes.Where(c => !c.StartsWith("127.", StringComparison.Ordinal)).ToList();
            if (errors.Count > 0)
            {
                result.Status = DnsBlocklistStatus.Error;
                result.Meaning = string.Join("; ", errors.Select(c => ErrorCodes[c]));
            }
            else if (foreign.Count > 0)
            {
                // Lists answer only 127.0.0.0/8; anything else is a resolver rewriting NXDOMAIN (ISP "search" pages).
                result.Status = DnsBlocklistStatus.Error;
                result.Meaning = $"answer {string.Join(", ", foreign)} is outside 127.0.0.0/8: your resolver rewrites unknown names, so this list cannot be read through it";
            }
            else
            {
                result.Status = DnsBlocklistStatus.Listed;
                result.Meaning = string.Join("; ", codes.Select(c => Meaning(zone, c)));
            }
            return result;
        }

        private static string Meaning(string zone, string code)
        {
            if (zone.EndsWith("spamhaus.org", StringComparison.OrdinalIgnoreCase) && Spamhaus.TryGetValue(code, out var m)) return m;
            if (zone.EndsWith("spamhaus.org", StringComparison.OrdinalIgnoreCase)) return $"{code}: listed (code not documented here; see spamhaus.org)";
            return $"{code}: listed";
        }
    }
}
