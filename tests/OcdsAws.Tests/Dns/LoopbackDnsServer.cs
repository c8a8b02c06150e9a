using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ARSoft.Tools.Net.Dns;
using OcdsAws.Dns;
using ArName = ARSoft.Tools.Net.DomainName;

namespace OcdsAws.Tests.Dns
{
    /// <summary>One question the server received.</summary>
    public sealed record ReceivedQuery(string Name, string Type, bool RecursionDesired);

    /// <summary>How <see cref="LoopbackDnsServer.Fail"/> makes a name fail.</summary>
    public enum DnsFault
    {
        /// <summary>Answer SERVFAIL (RFC 1035 §4.1.1 RCODE 2): the server is up but cannot answer.</summary>
        ServerFailure,

        /// <summary>Answer nothing (a dropped or lost packet): the client times out.</summary>
        Silence,
    }

    /// <summary>
    /// A real DNS server (ARSoft.Tools.Net) on 127.0.0.1, UDP and TCP on one free port, answering from an
    /// in-memory zone that tests edit as they go:
    /// <code>
    /// using var dns = new LoopbackDnsServer().AddZone("example.test");
    /// dns.Add("example.test", "TXT", "v=spf1 -all").Add("example.test", "MX", "10 mail.example.test");
    /// var resolver = dns.CreateResolver();
    /// </code>
    /// It answers authoritatively for names inside a zone added with <see cref="AddZone"/> (SOA in the
    /// authority section of negative answers), follows CNAMEs it holds, adds glue for NS and MX targets, and
    /// answers NXDOMAIN for names it has never heard of. <see cref="Refuse"/> makes it answer REFUSED.
    /// </summary>
    public sealed class LoopbackDnsServer : IDisposable
    {
        private sealed record Entry(string Name, string Type, string Value, int Ttl, string[]? Strings);

        private readonly object _gate = new object();
        private readonly List<Entry> _entries = new List<Entry>();
        private readonly List<ReceivedQuery> _queries = new List<ReceivedQuery>();
        private readonly List<Exception> _errors = new List<Exception>();
        private readonly DnsServer _server;
        private readonly List<(string Name, DnsFault Fault)> _faults = new List<(string, DnsFault)>();
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        public LoopbackDnsServer()
        {
            // Ports come from the OS; another process can grab one between the probe and the bind, so retry.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreeUdpAndTcpPort();
                var endpoint = new IPEndPoint(IPAddress.Loopback, port);
                var server = new DnsServer(new UdpServerTransport(endpoint, 5000), new TcpServerTransport(endpoint, 5000, 5000));
                try
                {
                    server.QueryReceived += OnQueryReceived;
                    server.ExceptionThrown += (_, e) =>
                    {
                        lock (_gate) _errors.Add(e.Exception);
                        return Task.CompletedTask;
                    };
                    server.Start();
                    _server = server;
                    Endpoint = endpoint;
                    return;
                }
                catch (SocketException) when (attempt < 5)
                {
                    server.Stop();
                }
            }
        }

        /// <summary>127.0.0.1 and the port the server listens on (UDP and TCP).</summary>
        public IPEndPoint Endpoint { get; }

        public int Port => Endpoint.Port;

        /// <summary>Answer REFUSED to every question (a server that is up but will not help).</summary>
        public bool Refuse { get; set; }

        /// <summary>Put the addresses of NS and MX targets in the additional section (default true).</summary>
        public bool Glue { get; set; } = true;

        /// <summary>Every question received so far, in order.</summary>
        public IReadOnlyList<ReceivedQuery> Queries
        {
            get { lock (_gate) return _queries.ToList(); }
        }

        public int QueryCount
        {
            get { lock (_gate) return _queries.Count; }
        }

        /// <summary>Exceptions the server library reported (a test can assert there were none).</summary>
        public IReadOnlyList<Exception> Errors
        {
            get { lock (_gate) return _errors.ToList(); }
        }

        /// <summary>
        /// Adds a record. Values in presentation form without quotes: A/AAAA address, CNAME/NS target,
        /// MX "10 host", TXT text (split into 255-character strings), SOA "mname rname serial refresh retry expire minimum".
        /// </summary>
        public LoopbackDnsServer Add(string name, string type, string value, int ttl = 300)
        {
            var t = type.ToUpperInvariant();
            string[]? strings = null;
            if (t == "TXT")
                strings = Enumerable.Range(0, Math.Max(1, (value.Length + 254) / 255)).Select(i => value.Substring(i * 255, Math.Min(255, value.Length - i * 255))).ToArray();
            lock (_gate) _entries.Add(new Entry(Norm(name), t, value, ttl, strings));
            return this;
        }

        /// <summary>Adds one TXT record made of several character-strings, exactly as given.</summary>
        public LoopbackDnsServer AddTxt(string name, params string[] characterStrings)
        {
            lock (_gate) _entries.Add(new Entry(Norm(name), "TXT", string.Concat(characterStrings), 300, characterStrings));
            return this;
        }

        /// <summary>
        /// Makes the server authoritative for <paramref name="zone"/>: an SOA, an NS record naming
        /// <paramref name="nameServer"/> (default ns1.&lt;zone&gt;) and, when the name server is inside the zone,
        /// its glue A record (default 127.0.0.1, i.e. this server).
        /// </summary>
        public LoopbackDnsServer AddZone(string zone, string? nameServer = null, string address = "127.0.0.1")
        {
            var z = Norm(zone);
            var ns = Norm(nameServer ?? "ns1." + z);
            Add(z, "SOA", $"{ns} hostmaster.{z} 1 3600 600 86400 300");
            Add(z, "NS", ns);
            if (DomainName.IsSameOrSubdomainOf(ns, z)) Add(ns, "A", address);
            return this;
        }

        /// <summary>Forgets every record (the demo's server reloads its zone file this way).</summary>
        public LoopbackDnsServer Clear()
        {
            lock (_gate) _entries.Clear();
            return this;
        }

        /// <summary>Removes the records of <paramref name="type"/> (all types when null) at <paramref name="name"/>.</summary>
        public LoopbackDnsServer Remove(string name, string? type = null)
        {
            lock (_gate) _entries.RemoveAll(e => e.Name == Norm(name) && (type == null || e.Type == type.ToUpperInvariant()));
            return this;
        }

        /// <summary>
        /// Makes every question about <paramref name="name"/> fail with <paramref name="fault"/> (the question is
        /// still recorded in <see cref="Queries"/>): a name server that is broken or unreachable for that name only.
        /// </summary>
        public LoopbackDnsServer Fail(string name, DnsFault fault = DnsFault.ServerFailure)
        {
            lock (_gate) _faults.Add((Norm(name), fault));
            return this;
        }

        /// <summary>A resolver that asks this server, with authoritative lookups sent to this server's port.</summary>
        internal DnsResolver CreateResolver(TimeSpan? timeout = null)
            => new DnsResolver(new[] { Endpoint }, timeout) { AuthoritativePort = Port };

        public void Dispose()
        {
            _stopping.Cancel();
            try
            {
                _server.Stop();
            }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
            {
                // ARSoft's Stop() cancels its listener tasks and then waits on them, so it can throw their
                // cancellation back at us (it does when Stop runs on a thread-pool thread right after a query).
            }
        }

        private async Task OnQueryReceived(object sender, QueryReceivedEventArgs e)
        {
            if (!(e.Query is DnsMessage query) || query.Questions.Count != 1) return;
            var response = query.CreateResponseInstance();
            var question = query.Questions[0];
            var name = Norm(question.Name.ToString());
            var type = question.RecordType.ToString().ToUpperInvariant();
            DnsFault? fault;
            lock (_gate)
            {
                _queries.Add(new ReceivedQuery(name, type, query.IsRecursionDesired));
                fault = _faults.Where(f => f.Name == name).Select(f => (DnsFault?)f.Fault).FirstOrDefault();
                if (Refuse) response.ReturnCode = ReturnCode.Refused;
                else if (fault == DnsFault.ServerFailure) response.ReturnCode = ReturnCode.ServerFailure;
                else if (fault == null) Answer(response, name, type);
            }

            if (fault == DnsFault.Silence)
            {
                // ARSoft answers SERVFAIL when the handler sets no response, so silence is a late answer instead:
                // long after any client's timeout, or never when the server stops first.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                response.ReturnCode = ReturnCode.ServerFailure;
            }

            e.Response = response;
        }

        private void Answer(DnsMessage response, string name, string type)
        {
            var zone = _entries.Where(x => x.Type == "SOA" && DomainName.IsSameOrSubdomainOf(name, x.Name)).OrderByDescending(x => x.Name.Length).FirstOrDefault();
            response.IsAuthoritiveAnswer = zone != null;
            response.IsRecursionAllowed = false;

            var current = name;
            for (var hops = 0; hops < 8; hops++)
            {
                var matches = _entries.Where(x => x.Name == current && x.Type == type).ToList();
                if (matches.Count > 0)
                {
                    response.AnswerRecords.AddRange(matches.Select(ToRecord));
                    break;
                }

                var alias = type == "CNAME" ? null : _entries.FirstOrDefault(x => x.Name == current && x.Type == "CNAME");
                if (alias == null) break;
                response.AnswerRecords.Add(ToRecord(alias));
                current = alias.Value.TrimEnd('.').ToLowerInvariant();
            }

            if (response.AnswerRecords.Count == 0)
            {
                // The name exists when it or anything below it has records (an empty non-terminal).
                var exists = _entries.Any(x => DomainName.IsSameOrSubdomainOf(x.Name, name));
                response.ReturnCode = exists ? ReturnCode.NoError : ReturnCode.NxDomain;
                if (zone != null) response.AuthorityRecords.Add(ToRecord(zone));
                return;
            }

            // Glue: addresses of the NS and MX targets this server knows.
            if (!Glue) return;
            var targets = _entries.Where(x => x.Name == current && x.Type == type && (type == "NS" || type == "MX"))
                .Select(x => type == "MX" ? x.Value.Split(' ')[1] : x.Value).Select(Norm).ToList();
            response.AdditionalRecords.AddRange(_entries.Where(x => (x.Type == "A" || x.Type == "AAAA") && targets.Contains(x.Name)).Select(ToRecord));
        }

        private static DnsRecordBase ToRecord(Entry e)
        {
            var name = ArName.Parse(e.Name);
            switch (e.Type)
            {
                case "A": return new ARecord(name, e.Ttl, IPAddress.Parse(e.Value));
                case "AAAA": return new AaaaRecord(name, e.Ttl, IPAddress.Parse(e.Value));
                case "CNAME": return new CNameRecord(name, e.Ttl, ArName.Parse(e.Value.TrimEnd('.')));
                case "NS": return new NsRecord(name, e.Ttl, ArName.Parse(e.Value.TrimEnd('.')));
                case "MX":
                    var parts = e.Value.Split(' ', 2);
                    return new MxRecord(name, e.Ttl, ushort.Parse(parts[0]), ArName.Parse(parts[1].TrimEnd('.')));
                case "TXT": return new TxtRecord(name, e.Ttl, e.Strings!);
                case "SOA":
                    var f = e.Value.Split(' ');
                    return new SoaRecord(name, e.Ttl, ArName.Parse(f[0]), ArName.Parse(f[1]), uint.Parse(f[2]), int.Parse(f[3]), int.Parse(f[4]), int.Parse(f[5]), int.Parse(f[6]));
                default: throw new NotSupportedException($"LoopbackDnsServer does not serve {e.Type} records.");
            }
        }

        private static string Norm(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();

        private static int FreeUdpAndTcpPort()
        {
            while (true)
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
                try
                {
                    var tcp = new TcpListener(IPAddress.Loopback, port);
                    tcp.Start();
                    tcp.Stop();
                    return port;
                }
                catch (SocketException)
                {
                    // taken for TCP: try another
                }
            }
        }
    }

    /// <summary>A UDP socket on 127.0.0.1 that reads nothing and answers nothing: a DNS server that is down.</summary>
    public sealed class SilentUdpPort : IDisposable
    {
        private readonly UdpClient _socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        public IPEndPoint Endpoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

        public void Dispose() => _socket.Dispose();
    }
}
