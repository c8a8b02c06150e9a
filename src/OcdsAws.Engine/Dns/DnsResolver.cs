using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;

namespace OcdsAws.Dns
{
    /// <summary>One resource record from an answer, in presentation form.</summary>
    internal sealed class DnsAnswer
    {
        public DnsAnswer(string name, string type, string value, int? priority, int ttl)
        {
            Name = name;
            Type = type;
            Value = value;
            Priority = priority;
            Ttl = ttl;
        }

        /// <summary>Owner name, without the trailing dot.</summary>
        public string Name { get; }

        /// <summary>A, AAAA, CNAME, MX, TXT, NS or SOA.</summary>
        public string Type { get; }

        /// <summary>
        /// Address; target host without the trailing dot (CNAME, MX, NS); TXT character-strings joined;
        /// SOA as "mname rname serial refresh retry expire minimum".
        /// </summary>
        public string Value { get; }

        /// <summary>MX preference.</summary>
        public int? Priority { get; }

        public int Ttl { get; }

        public override string ToString() => $"{Name} {Ttl} {Type} {(Priority.HasValue ? Priority + " " : "")}{Value}";
    }

    /// <summary>What one question got back. DNS trouble is data here, not an exception: callers warn and go on.</summary>
    internal sealed class DnsLookup
    {
        public DnsLookup(bool reachable, string? error, bool nameExists, IReadOnlyList<DnsAnswer> answers,
            IReadOnlyList<DnsAnswer> authority, IReadOnlyList<DnsAnswer> additional, string? server)
        {
            Reachable = reachable;
            Error = error;
            NameExists = nameExists;
            Answers = answers;
            Authority = authority;
            Additional = additional;
            Server = server;
        }

        /// <summary>False when no server gave a usable answer (timeout, refusal, server failure).</summary>
        public bool Reachable { get; }

        /// <summary>Why the answer is unusable, naming the server; null when <see cref="Reachable"/>.</summary>
        public string? Error { get; }

        /// <summary>False for NXDOMAIN (and when unreachable). True with no answers means the name has no such record.</summary>
        public bool NameExists { get; }

        /// <summary>The answer section, CNAME chain included (each answer says its type and owner).</summary>
        public IReadOnlyList<DnsAnswer> Answers { get; }

        /// <summary>The authority section (where servers put the zone's SOA with a negative answer).</summary>
        public IReadOnlyList<DnsAnswer> Authority { get; }

        /// <summary>The additional section (glue addresses).</summary>
        public IReadOnlyList<DnsAnswer> Additional { get; }

        /// <summary>The server that answered, or the servers tried, as "address:port".</summary>
        public string? Server { get; }
    }

    /// <summary>DNS could not tell us what a multi-step lookup (zone, name servers) needs.</summary>
    internal sealed class DnsUnavailableException : Exception
    {
        public DnsUnavailableException(string message) : base(message)
        {
        }
    }

    /// <summary>
    /// Asks DNS the few questions the SES handoff needs, with the module's own wire code (<see cref="DnsWire"/>,
    /// <see cref="DnsTransport"/>): every answer is checked to be a well-formed response to the question asked before
    /// anything in it counts. Built on the system's resolvers (found by DnsClient), on given servers (<c>-DnsServer</c>),
    /// or — through <see cref="AuthoritativeForAsync"/> — on a zone's own name servers, so a record just added at the
    /// DNS host shows up without waiting for caches to expire.
    /// </summary>
    internal sealed class DnsResolver
    {
        /// <summary>Long enough for a distant name server, short enough that a dead one costs seconds, not a minute.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1.5);

        /// <summary>The record types <see cref="QueryAsync"/> asks for.</summary>
        public static readonly IReadOnlyList<string> SupportedTypes = new[] { "A", "AAAA", "CNAME", "MX", "TXT", "NS", "SOA" };

        /// <summary>Tries per server for a question that gets no answer in time (the first and one retry).</summary>
        private const int TriesPerServer = 2;

        /// <summary>RFC 1034 §3.6.2 chains are short; more links than this is a loop or an attack, and the rest is ignored.</summary>
        private const int MaxCnameLinks = 16;

        private static readonly IdnMapping Idn = new IdnMapping();

        private readonly IReadOnlyList<IPEndPoint> _endpoints;
        private readonly string? _setupError;
        private readonly string _servers;
        private readonly DnsResolver? _parent;
        private readonly TimeSpan _timeout;
        private readonly bool _recursion;
        private int _queryCount;

        /// <summary>
        /// A resolver on <paramref name="servers"/>, or on the system's resolvers when null or empty.
        /// Two tries per server (<paramref name="timeout"/> each, default <see cref="DefaultTimeout"/>).
        /// </summary>
        public DnsResolver(IReadOnlyList<IPEndPoint>? servers = null, TimeSpan? timeout = null)
            : this(servers, timeout ?? DefaultTimeout, recursion: true, parent: null)
        {
        }

        private DnsResolver(IReadOnlyList<IPEndPoint>? servers, TimeSpan timeout, bool recursion, DnsResolver? parent)
        {
            _parent = parent;
            _timeout = timeout;
            _recursion = recursion;
            UsesSystemServers = servers == null || servers.Count == 0;
            IsAuthoritative = !recursion;
            AuthoritativePort = parent?.AuthoritativePort ?? 53;
            _endpoints = Array.Empty<IPEndPoint>();
            try
            {
                // Servers in the given order, so results and query counts are repeatable. The system's come from
                // DnsClient's reading of resolv.conf / the network interfaces, without a public-DNS fallback.
                _endpoints = UsesSystemServers
                    ? NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false).Select(n => new IPEndPoint(IPAddress.Parse(n.Address), n.Port)).ToList()
                    : servers!.ToList();
                if (_endpoints.Count == 0) throw new InvalidOperationException("the system names no DNS server");
                _servers = string.Join(", ", _endpoints.Select(Describe));
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // E.g. no resolv.conf: every query then reports DNS as unreachable instead of failing the command.
                _setupError = "no DNS server could be configured: " + e.Message;
                _servers = UsesSystemServers ? "the system's DNS servers" : string.Join(", ", servers!.Select(s => s.ToString()));
            }
        }

        /// <summary>True when built without explicit servers (the system's resolvers).</summary>
        public bool UsesSystemServers { get; }

        /// <summary>True for resolvers from <see cref="AuthoritativeForAsync"/> (no recursion desired).</summary>
        public bool IsAuthoritative { get; }

        /// <summary>
        /// The port <see cref="AuthoritativeForAsync"/> sends to. Always 53 in real DNS; tests point it at a
        /// loopback server because NS glue carries addresses, not ports.
        /// </summary>
        internal int AuthoritativePort { get; set; }

        /// <summary>
        /// Questions asked through this resolver and the authoritative resolvers made from it: one per
        /// <see cref="QueryAsync"/>, however many servers and retries it needed.
        /// </summary>
        public int QueryCount => Volatile.Read(ref _queryCount);

        /// <summary>The servers this resolver asks, for messages.</summary>
        public string Servers => _servers;

        /// <summary>
        /// Asks for <paramref name="type"/> (A, AAAA, CNAME, MX, TXT, NS, SOA) records of <paramref name="name"/>. Never
        /// throws for DNS trouble: no answer, an error code, or a bad answer (malformed, or not a response to this
        /// question) from every server is an unreachable lookup, the one way callers see a temporary DNS failure.
        /// The answer section holds only the records of the name asked and of the CNAME chain from it.
        /// </summary>
        public async Task<DnsLookup> QueryAsync(string name, string type, CancellationToken cancellationToken)
        {
            var typeName = ParseType(type);
            var typeNumber = DnsWire.TypeNumber(typeName);
            var asked = Ascii(Trim(name));
            var question = $"{asked} {typeName}";
            if (_setupError != null) return Unreachable($"Cannot look up {question}: {_setupError}", _servers);
            if (!IsDnsName(asked))
            {
                // No such name can exist in DNS (RFC 1035 §2.3.4 limits): it has no records, and nothing is asked.
                return new DnsLookup(true, null, false, Array.Empty<DnsAnswer>(), Array.Empty<DnsAnswer>(), Array.Empty<DnsAnswer>(), null);
            }

            CountQuery();
            string? lastError = null;
            string lastServer = _servers;
            foreach (var endpoint in _endpoints)
            {
                var server = Describe(endpoint);
                DnsExchange? exchange = null;
                for (var attempt = 1; attempt <= TriesPerServer; attempt++)
                {
                    exchange = await DnsTransport.ExchangeAsync(endpoint, asked, typeNumber, _recursion, _timeout, cancellationToken).ConfigureAwait(false);
                    if (!exchange.TimedOut) break;
                }

                lastServer = server;
                var message = exchange!.Message;
                if (message == null)
                {
                    lastError = $"DNS server {server} could not answer {question}: {exchange.Failure}. A bad or missing answer counts as a temporary DNS failure.";
                    continue; // the next server, as a resolver does
                }

                var code = message.Header.ResponseCode;
                if (code != 0 && code != 3)
                {
                    lastError = $"DNS server {server} answered {question} with {DnsWire.ResponseCodeName(code)}{(IsAuthoritative ? " (is it really authoritative for the zone?)" : "")}.";
                    continue;
                }

                return new DnsLookup(true, null, code == 0, Chain(asked, typeName, message.Answers), message.Authority, message.Additional, server);
            }

            return Unreachable(lastError ?? $"DNS server {_servers} could not answer {question}.", _endpoints.Count == 1 ? lastServer : _servers);
        }

        /// <summary>
        /// The apex of the zone that holds <paramref name="name"/>: the nearest name, walking up, whose SOA
        /// query answers with an SOA of its own or names the zone in the authority section (servers do that
        /// with NXDOMAIN and empty answers, which usually saves the walk). Null when no zone is found.
        /// </summary>
        /// <exception cref="DnsUnavailableException">DNS cannot be reached.</exception>
        public async Task<string?> FindZoneAsync(string name, CancellationToken cancellationToken)
        {
            var current = Trim(name);
            while (current.Length > 0)
            {
                var lookup = await QueryAsync(current, "SOA", cancellationToken).ConfigureAwait(false);
                if (!lookup.Reachable) throw new DnsUnavailableException(lookup.Error!);
                if (lookup.Answers.Any(a => a.Type == "SOA" && Same(a.Name, current))) return current;
                // Only an SOA above the name counts: after a CNAME the authority is the target's zone.
                var owner = lookup.Authority.FirstOrDefault(a => a.Type == "SOA" && a.Name.Length > 0 && DomainName.IsSameOrSubdomainOf(current, a.Name));
                if (owner != null) return owner.Name;
                var dot = current.IndexOf('.');
                current = dot < 0 ? "" : current.Substring(dot + 1);
            }

            return null;
        }

        /// <summary>
        /// A resolver that asks <paramref name="zone"/>'s own name servers directly (no recursion, no cache),
        /// found with this resolver: the NS set, then each name server's address (glue when given).
        /// </summary>
        /// <exception cref="DnsUnavailableException">The name servers or their addresses cannot be found.</exception>
        public async Task<DnsResolver> AuthoritativeForAsync(string zone, CancellationToken cancellationToken)
        {
            zone = Trim(zone);
            var ns = await QueryAsync(zone, "NS", cancellationToken).ConfigureAwait(false);
            if (!ns.Reachable) throw new DnsUnavailableException(ns.Error!);
            var hosts = ns.Answers.Where(a => a.Type == "NS" && Same(a.Name, zone)).Select(a => a.Value.ToLowerInvariant())
                .Distinct().OrderBy(h => h, StringComparer.Ordinal).ToList();
            if (hosts.Count == 0) throw new DnsUnavailableException($"DNS server {ns.Server} knows no name servers (NS records) for the zone {zone}.");

            var endpoints = new List<IPEndPoint>();
            var problems = new List<string>();
            foreach (var host in hosts)
            {
                var addresses = Addresses(ns.Additional, host, "A");
                if (addresses.Count == 0) addresses = await LookUpAddressesAsync(host, "A", problems, cancellationToken).ConfigureAwait(false);
                // IPv6 only when a server has no IPv4 address: many networks cannot reach IPv6 and each dead address costs a timeout.
                if (addresses.Count == 0) addresses = await LookUpAddressesAsync(host, "AAAA", problems, cancellationToken).ConfigureAwait(false);
                foreach (var address in addresses)
                {
                    var endpoint = new IPEndPoint(address, AuthoritativePort);
                    if (!endpoints.Contains(endpoint)) endpoints.Add(endpoint); // name servers often share addresses
                }
            }

            if (endpoints.Count == 0)
                throw new DnsUnavailableException($"The name servers of {zone} ({string.Join(", ", hosts)}) have no address{(problems.Count > 0 ? ": " + problems[0] : ".")}");
            return new DnsResolver(endpoints, _timeout, recursion: false, parent: this);
        }

        private async Task<List<IPAddress>> LookUpAddressesAsync(string host, string type, List<string> problems, CancellationToken cancellationToken)
        {
            var lookup = await QueryAsync(host, type, cancellationToken).ConfigureAwait(false);
            if (!lookup.Reachable) problems.Add(lookup.Error!);
            return Addresses(lookup.Answers, host, type);
        }

        private static List<IPAddress> Addresses(IEnumerable<DnsAnswer> records, string host, string type)
            => records.Where(r => r.Type == type && Same(r.Name, host))
                .Select(r => IPAddress.TryParse(r.Value, out var a) ? a : null).Where(a => a != null).Select(a => a!).ToList();

        private void CountQuery()
        {
            Interlocked.Increment(ref _queryCount);
            _parent?.CountQuery();
        }

        private static string ParseType(string type)
        {
            var t = (type ?? "").Trim().ToUpperInvariant();
            if (!SupportedTypes.Contains(t)) throw new ArgumentException($"Unsupported DNS record type '{type}'; use one of {string.Join(", ", SupportedTypes)}.", nameof(type));
            return t;
        }

        /// <summary>
        /// The records that answer the question: those owned by the name asked and, when it is an alias, by each name
        /// of its CNAME chain in turn (RFC 1034 §3.6.2). Records of any other owner — put in the answer by a broken or
        /// hostile server — never count.
        /// </summary>
        private static IReadOnlyList<DnsAnswer> Chain(string name, string type, IReadOnlyList<DnsAnswer> answers)
        {
            var kept = new List<DnsAnswer>();
            var current = name;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { current };
            for (var link = 0; link <= MaxCnameLinks; link++)
            {
                kept.AddRange(answers.Where(a => Same(a.Name, current) && a.Type == type && type != "CNAME"));
                var alias = answers.FirstOrDefault(a => Same(a.Name, current) && a.Type == "CNAME");
                if (alias == null) break;
                kept.Add(alias);
                if (type == "CNAME" || !seen.Add(alias.Value)) break; // asked for the alias itself, or a loop
                current = alias.Value;
            }
            return kept;
        }

        // Names go on the wire as ASCII: a Unicode name is asked as its IDNA (punycode) form.
        private static string Ascii(string name)
        {
            if (!name.Any(c => c > 127)) return name.ToLowerInvariant();
            try
            {
                return Idn.GetAscii(name).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                return name; // not a valid IDN: IsDnsName rejects it
            }
        }

        // RFC 1035 §2.3.4: labels of 1 to 63 octets, at most 255 octets in all on the wire.
        private static bool IsDnsName(string name)
        {
            if (name.Length == 0) return true; // the root
            if (name.Any(c => c > 127) || name.Length + 2 > 255) return false;
            return name.Split('.').All(l => l.Length >= 1 && l.Length <= 63);
        }

        private static string Describe(IPEndPoint server)
            => server.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{server.Address}]:{server.Port}" : $"{server.Address}:{server.Port}";

        private static bool Same(string a, string b) => string.Equals(Trim(a), Trim(b), StringComparison.OrdinalIgnoreCase);

        private static string Trim(string name) => (name ?? "").Trim().TrimEnd('.');

        private static DnsLookup Unreachable(string error, string? server)
            => new DnsLookup(false, error, false, Array.Empty<DnsAnswer>(), Array.Empty<DnsAnswer>(), Array.Empty<DnsAnswer>(), server);
    }
}
