using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

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
    /// Asks DNS the few questions the SES handoff needs, through DnsClient. Built on the system's resolvers,
    /// on given servers (<c>-DnsServer</c>), or — through <see cref="AuthoritativeForAsync"/> — on a zone's own
    /// name servers, so a record just added at the DNS host shows up without waiting for caches to expire.
    /// </summary>
    internal sealed class DnsResolver
    {
        /// <summary>Long enough for a distant name server, short enough that a dead one costs seconds, not a minute.</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1.5);

        /// <summary>The record types <see cref="QueryAsync"/> asks for.</summary>
        public static readonly IReadOnlyList<string> SupportedTypes = new[] { "A", "AAAA", "CNAME", "MX", "TXT", "NS", "SOA" };

        private static readonly IdnMapping Idn = new IdnMapping();

        private readonly LookupClient? _client;
        private readonly string? _setupError;
        private readonly string _servers;
        private readonly DnsResolver? _parent;
        private readonly TimeSpan _timeout;
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
            UsesSystemServers = servers == null || servers.Count == 0;
            IsAuthoritative = !recursion;
            AuthoritativePort = parent?.AuthoritativePort ?? 53;
            try
            {
                var options = UsesSystemServers ? new LookupClientOptions() : new LookupClientOptions(servers!.ToArray());
                // No cache: the point is to see what the zone says now, and one resolver lives for one command.
                options.UseCache = false;
                options.Timeout = timeout;
                options.Retries = 1;
                options.Recursion = recursion;
                // Errors come back as data (HasError); a timeout still throws and is caught in QueryAsync.
                options.ThrowDnsErrors = false;
                // DnsClient's default asks the next server after an empty (NODATA) answer; for an
                // authoritative "no such record" that only multiplies queries.
                options.ContinueOnEmptyResponse = false;
                options.ContinueOnDnsError = true;
                // Servers in the given order, so results and query counts are repeatable.
                options.UseRandomNameServer = false;
                _client = new LookupClient(options);
                _servers = string.Join(", ", _client.NameServers.Select(Describe));
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
        /// <see cref="QueryAsync"/>, however many servers and retries DnsClient needed for it.
        /// </summary>
        public int QueryCount => Volatile.Read(ref _queryCount);

        /// <summary>The servers this resolver asks, for messages.</summary>
        public string Servers => _servers;

        /// <summary>Asks for <paramref name="type"/> (A, AAAA, CNAME, MX, TXT, NS, SOA) records of <paramref name="name"/>. Never throws for DNS trouble.</summary>
        public async Task<DnsLookup> QueryAsync(string name, string type, CancellationToken cancellationToken)
        {
            var queryType = ParseType(type);
            var question = $"{Trim(name)} {queryType}";
            if (_client == null) return Unreachable($"Cannot look up {question}: {_setupError}", _servers);

            CountQuery();
            IDnsQueryResponse response;
            try
            {
                response = await _client.QueryAsync(Trim(name), queryType, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (DnsResponseException e)
            {
                // DnsClient reports a cancelled query as a failed one; the caller asked to stop, so stop.
                cancellationToken.ThrowIfCancellationRequested();
                // Timeouts and network errors after every server and retry.
                var why = e.Code == DnsResponseCode.ConnectionTimeout ? $"no answer within {_timeout.TotalSeconds:0.#} s" : e.Message.TrimEnd('.');
                return Unreachable($"DNS server {_servers} could not answer {question}: {why}.", _servers);
            }
            catch (Exception e) when (e is SocketException || e is TimeoutException || e is OperationCanceledException || e is InvalidOperationException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return Unreachable($"DNS server {_servers} could not answer {question}: {e.Message.TrimEnd('.')}.", _servers);
            }

            var server = response.NameServer != null ? Describe(response.NameServer) : _servers;
            var code = response.Header.ResponseCode;
            if (code != DnsHeaderResponseCode.NoError && code != DnsHeaderResponseCode.NotExistentDomain)
                return Unreachable($"DNS server {server} answered {question} with {code}{(IsAuthoritative ? " (is it really authoritative for the zone?)" : "")}.", server);

            return new DnsLookup(true, null, code == DnsHeaderResponseCode.NoError,
                Convert(response.Answers), Convert(response.Authorities), Convert(response.Additionals), server);
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

        private static QueryType ParseType(string type)
        {
            var t = (type ?? "").Trim().ToUpperInvariant();
            if (!SupportedTypes.Contains(t)) throw new ArgumentException($"Unsupported DNS record type '{type}'; use one of {string.Join(", ", SupportedTypes)}.", nameof(type));
            return (QueryType)Enum.Parse(typeof(QueryType), t);
        }

        private static IReadOnlyList<DnsAnswer> Convert(IEnumerable<DnsResourceRecord> records)
            => records.Select(Convert).Where(a => a != null).Select(a => a!).ToList();

        private static DnsAnswer? Convert(DnsResourceRecord record)
        {
            var name = Host(record.DomainName);
            var type = record.RecordType.ToString();
            var ttl = record.TimeToLive;
            switch (record)
            {
                case AddressRecord a: return new DnsAnswer(name, type, a.Address.ToString(), null, ttl);
                case CNameRecord c: return new DnsAnswer(name, type, Host(c.CanonicalName), null, ttl);
                case MxRecord m: return new DnsAnswer(name, type, Host(m.Exchange), m.Preference, ttl);
                case NsRecord n: return new DnsAnswer(name, type, Host(n.NSDName), null, ttl);
                // RFC 7208 §3.3: a TXT record's character-strings are joined without spaces.
                case TxtRecord t: return new DnsAnswer(name, type, string.Concat(t.Text), null, ttl);
                case SoaRecord s:
                    return new DnsAnswer(name, type, $"{Host(s.MName)} {Host(s.RName)} {s.Serial} {s.Refresh} {s.Retry} {s.Expire} {s.Minimum}", null, ttl);
                default: return null; // OPT and record types nobody asked about
            }
        }

        // Host names in the one form the module compares: ASCII, lowercase, no trailing dot. DnsClient 1.8.0
        // decodes punycode names to Unicode in DnsString.Value, and servers echo the question's letter case
        // into compressed names (asking for Example.Test can return backup.Example.Test).
        private static string Host(DnsString name)
        {
            var value = (name?.Value ?? "").TrimEnd('.');
            if (value.Any(c => c > 127))
            {
                try
                {
                    value = Idn.GetAscii(value);
                }
                catch (ArgumentException)
                {
                    // not a valid IDN: keep what the server sent
                }
            }

            return value.ToLowerInvariant();
        }

        private static string Describe(NameServer server)
            => server.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{server.Address}]:{server.Port}" : $"{server.Address}:{server.Port}";

        private static bool Same(string a, string b) => string.Equals(Trim(a), Trim(b), StringComparison.OrdinalIgnoreCase);

        private static string Trim(string name) => (name ?? "").Trim().TrimEnd('.');

        private static DnsLookup Unreachable(string error, string? server)
            => new DnsLookup(false, error, false, Array.Empty<DnsAnswer>(), Array.Empty<DnsAnswer>(), Array.Empty<DnsAnswer>(), server);
    }
}
