using System;
using System.Collections.Concurrent;
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

        /// <summary>
        /// No entry, but the list does not list its own RFC 5782 test point (127.0.0.2) either: it is not answering
        /// for this resolver, so its "no entry" means nothing.
        /// </summary>
        NotAnswering,

        /// <summary>An entry, but the list also lists 127.0.0.1, which RFC 5782 forbids: it lists everything, so the entry means nothing.</summary>
        Unreliable,
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

        /// <summary>Listed, NotListed, Error, NotAnswering or Unreliable.</summary>
        public DnsBlocklistStatus Status { get; internal set; }

        /// <summary>The A records the list answered, e.g. 127.0.0.2.</summary>
        public IReadOnlyList<string> ReturnCodes { get; internal set; } = Array.Empty<string>();

        /// <summary>What the return codes mean, or why the answer is an error, not answering or unreliable.</summary>
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

        // Spamhaus reserves all of 127.255.255.0/24 for errors about the query itself, never listings: "A new range
        // containing return codes (127.255.255.0/24) has been added to return possible errors related to the DNSBL
        // queries themselves, which should NOT be interpreted as any sort of reputation"
        // (https://www.spamhaus.org/news/article/788/). .254 and .255 are named there; .252 ("typing error in DNSBL
        // name") is from a summary of Spamhaus's codes (https://www.securityzones.net/error-return-codes-for-spamhaus-public-mirrors/),
        // not confirmed here on a Spamhaus page. Other lists are treated the same: not confirmed here that none of them
        // lists with a code in this /24, but a listing there would contradict the largest list's reserved range.
        private const string ErrorRange = "127.255.255.";

        private static readonly Dictionary<string, string> ErrorCodes = new Dictionary<string, string>
        {
            ["127.255.255.252"] = "the query is malformed or the zone name has a typo",
            ["127.255.255.254"] = "your resolver is blocked by the list (queries through a public/open resolver are refused); use your own resolver with -DnsServer",
            ["127.255.255.255"] = "your resolver is rate-limited by the list (excessive number of queries)",
            // https://docs.spamhaustech.com/10-data-type-documentation/datasets/040-zones.html: "127.0.1.255 - ERROR: IP queries not allowed" (DBL).
            ["127.0.1.255"] = "this domain list does not take IP address queries",
        };

        // RFC 5782 §5: "IPv4-based DNSxLs MUST contain an entry for 127.0.0.2 for testing purposes. IPv4-based DNSxLs
        // MUST NOT contain an entry for 127.0.0.1." (the RFC's text is quoted from implementations that cite it; the RFC
        // itself was not readable here). §7 adds that users SHOULD check the test entries and SHOULD NOT use a list
        // without them (same caveat). Domain lists (RHSBL) are asked about TEST and INVALID by §5, but whether
        // dbl.spamhaus.org and multi.surbl.org list TEST is not confirmed here (both document test names of their own),
        // so domain lists are not probed.
        private const string MustBeListed = "2.0.0.127";
        private const string MustNotBeListed = "1.0.0.127";

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
            throw new ValidationException(ErrorIds.InvalidIPAddress, $"'{text}' is not an IPv4 address (a.b.c.d) or an IPv6 address.");
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

        /// <summary>
        /// Checks every target against every zone, all queries in parallel; results in target then zone order. For
        /// address lists (<paramref name="probeTestPoints"/>) each zone's RFC 5782 test points are asked once per call,
        /// and a zone that fails them turns NotListed into NotAnswering (127.0.0.2 missing) or Listed into Unreliable
        /// (127.0.0.1 listed). Each name is asked once, so checking 127.0.0.2 itself costs no extra question.
        /// </summary>
        public static async Task<IReadOnlyList<DnsBlocklistResult>> CheckAsync(IReadOnlyList<(string Target, string Labels)> targets,
            IReadOnlyList<string> zones, DnsResolver resolver, CancellationToken ct, bool probeTestPoints = true)
        {
            var lookups = new ConcurrentDictionary<string, Lazy<Task<DnsLookup>>>(StringComparer.OrdinalIgnoreCase);
            Task<DnsLookup> Ask(string name) => lookups.GetOrAdd(name, n => new Lazy<Task<DnsLookup>>(() => resolver.QueryAsync(n, "A", ct))).Value;

            var probes = probeTestPoints
                ? zones.ToDictionary(z => z, z => ProbeAsync(z, Ask), StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, Task<ZoneHealth>>();
            var tasks = targets.SelectMany(t => zones.Select(async z =>
            {
                var result = Classify(t.Target, z, t.Labels + "." + z, await Ask(t.Labels + "." + z).ConfigureAwait(false));
                if (probes.TryGetValue(z, out var probe)) Apply(result, await probe.ConfigureAwait(false));
                return result;
            })).ToList();
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        /// <summary>What a zone's test points said: null reasons when it passed.</summary>
        private sealed class ZoneHealth
        {
            public string? NotAnswering { get; set; }

            public string? Unreliable { get; set; }
        }

        private static async Task<ZoneHealth> ProbeAsync(string zone, Func<string, Task<DnsLookup>> ask)
        {
            var health = new ZoneHealth();
            var mustName = MustBeListed + "." + zone;
            var mustNotName = MustNotBeListed + "." + zone;
            var must = Classify("127.0.0.2", zone, mustName, await ask(mustName).ConfigureAwait(false));
            var mustNot = Classify("127.0.0.1", zone, mustNotName, await ask(mustNotName).ConfigureAwait(false));
            if (must.Status != DnsBlocklistStatus.Listed)
            {
                var why = must.Status == DnsBlocklistStatus.NotListed ? "it has no entry for it" : must.Meaning;
                health.NotAnswering = $"not answering for this resolver: the list does not list its RFC 5782 test point 127.0.0.2 ({mustName}: {why}), so its \"no entry\" means nothing; ask your own resolver with -DnsServer, or check the zone name";
            }
            if (mustNot.Status == DnsBlocklistStatus.Listed)
                health.Unreliable = $"unreliable: the list also lists 127.0.0.1 ({mustNotName}: {string.Join(", ", mustNot.ReturnCodes)}), which RFC 5782 says it must never list, so it lists everything and this entry means nothing";
            return health;
        }

        private static void Apply(DnsBlocklistResult result, ZoneHealth health)
        {
            if (result.Status == DnsBlocklistStatus.NotListed && health.NotAnswering != null)
            {
                result.Status = DnsBlocklistStatus.NotAnswering;
                result.Meaning = health.NotAnswering;
            }
            else if (result.Status == DnsBlocklistStatus.Listed && health.Unreliable != null)
            {
                result.Status = DnsBlocklistStatus.Unreliable;
                result.Meaning = health.Unreliable + " (the list answered: " + result.Meaning + ")";
            }
        }

        private static DnsBlocklistResult Classify(string target, string zone, string query, DnsLookup lookup)
        {
            var result = new DnsBlocklistResult(target, zone, query);
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

            var errors = codes.Where(c => c.StartsWith(ErrorRange, StringComparison.Ordinal) || ErrorCodes.ContainsKey(c)).ToList();
            var foreign = codes.Where(c => !c.StartsWith("127.", StringComparison.Ordinal)).ToList();
            if (errors.Count > 0)
            {
                result.Status = DnsBlocklistStatus.Error;
                result.Meaning = "the list refused to answer: " + string.Join("; ", errors.Select(c => ErrorCodes.TryGetValue(c, out var why)
                    ? $"error {c}: {why}"
                    : $"error {c} (127.255.255.0/24 is reserved for errors about the query, never listings; this code is not documented here)"));
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
