using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Tests.Dns
{
    /// <summary>A query as the hostile server read it.</summary>
    public sealed record HostileQuery(ushort Id, string Name, ushort Type, bool RecursionDesired);

    /// <summary>
    /// A DNS "server" on 127.0.0.1 (UDP) that answers each query with whatever datagrams the test crafts: malformed
    /// packets, stray datagrams with the wrong ID, answers to other questions. Unlike <see cref="LoopbackDnsServer"/>
    /// (a real server library, which only ever sends well-formed answers) it lets a test play a broken or hostile
    /// name server byte by byte.
    /// <code>
    /// using var dns = new HostileDnsServer(q => new[] { DnsPacket.Response(q).Answer(DnsPacket.A(q.Name, "127.0.0.2")).Build() });
    /// </code>
    /// </summary>
    public sealed class HostileDnsServer : IDisposable
    {
        private readonly UdpClient _socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly Func<HostileQuery, IEnumerable<byte[]>> _respond;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _loop;
        private readonly object _gate = new object();
        private readonly List<HostileQuery> _queries = new List<HostileQuery>();

        public HostileDnsServer(Func<HostileQuery, IEnumerable<byte[]>> respond)
        {
            _respond = respond;
            _loop = Task.Run(LoopAsync);
        }

        public IPEndPoint Endpoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

        /// <summary>"127.0.0.1:port", for -DnsServer.</summary>
        public string Address => $"127.0.0.1:{Endpoint.Port}";

        /// <summary>Every query received so far.</summary>
        public IReadOnlyList<HostileQuery> Queries
        {
            get { lock (_gate) return _queries.ToList(); }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Dispose();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // the loop ends with the socket
            }
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult received;
                try
                {
                    received = await _socket.ReceiveAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is SocketException)
                {
                    if (_stop.IsCancellationRequested) return;
                    continue;
                }
                var query = Parse(received.Buffer);
                lock (_gate) _queries.Add(query);
                foreach (var datagram in _respond(query))
                {
                    try
                    {
                        await _socket.SendAsync(datagram, datagram.Length, received.RemoteEndPoint);
                    }
                    catch (Exception e) when (e is ObjectDisposedException || e is SocketException)
                    {
                        return;
                    }
                }
            }
        }

        private static HostileQuery Parse(byte[] data)
        {
            var id = (ushort)((data[0] << 8) | data[1]);
            var rd = (data[2] & 0x01) != 0;
            var labels = new List<string>();
            var offset = 12;
            while (data[offset] != 0)
            {
                labels.Add(Encoding.ASCII.GetString(data, offset + 1, data[offset]));
                offset += data[offset] + 1;
            }
            var type = (ushort)((data[offset + 1] << 8) | data[offset + 2]);
            return new HostileQuery(id, string.Join(".", labels), type, rd);
        }
    }

    /// <summary>One resource record to put in a crafted packet: owner, type and raw RDATA.</summary>
    public sealed record CraftedRecord(string Owner, ushort Type, byte[] Data, ushort? DataLength = null);

    /// <summary>Builds DNS responses byte by byte (RFC 1035 §4.1), well-formed unless told otherwise.</summary>
    public sealed class DnsPacket
    {
        private readonly HostileQuery _query;
        private readonly List<CraftedRecord> _answers = new List<CraftedRecord>();
        private ushort? _id;
        private bool _qr = true;
        private string? _questionName;
        private ushort? _questionType;
        private ushort? _answerCount;
        private int _rcode;

        private DnsPacket(HostileQuery query) => _query = query;

        /// <summary>A response to <paramref name="query"/>: same ID and question, QR and AA set, NOERROR.</summary>
        public static DnsPacket Response(HostileQuery query) => new DnsPacket(query);

        public static CraftedRecord A(string owner, string address) => new CraftedRecord(owner, 1, IPAddress.Parse(address).GetAddressBytes());

        public static CraftedRecord Cname(string owner, string target) => new CraftedRecord(owner, 5, Name(target));

        public static CraftedRecord Txt(string owner, string text)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            return new CraftedRecord(owner, 16, new[] { (byte)bytes.Length }.Concat(bytes).ToArray());
        }

        public DnsPacket Answer(params CraftedRecord[] records)
        {
            _answers.AddRange(records);
            return this;
        }

        public DnsPacket WithId(ushort id)
        {
            _id = id;
            return this;
        }

        /// <summary>QR=0: the packet claims to be a query, not a response.</summary>
        public DnsPacket AsQuery()
        {
            _qr = false;
            return this;
        }

        public DnsPacket ForQuestion(string name, ushort? type = null)
        {
            _questionName = name;
            _questionType = type;
            return this;
        }

        public DnsPacket WithAnswerCount(ushort count)
        {
            _answerCount = count;
            return this;
        }

        public DnsPacket WithResponseCode(int rcode)
        {
            _rcode = rcode;
            return this;
        }

        public byte[] Build()
        {
            var b = new List<byte>();
            Put16(b, _id ?? _query.Id);
            Put16(b, (ushort)((_qr ? 0x8000 : 0) | 0x0400 | (_query.RecursionDesired ? 0x0100 : 0) | _rcode));
            Put16(b, 1);
            Put16(b, _answerCount ?? (ushort)_answers.Count);
            Put16(b, 0);
            Put16(b, 0);
            b.AddRange(Name(_questionName ?? _query.Name));
            Put16(b, _questionType ?? _query.Type);
            Put16(b, 1);
            foreach (var r in _answers)
            {
                b.AddRange(Name(r.Owner));
                Put16(b, r.Type);
                Put16(b, 1);
                Put16(b, 0);
                Put16(b, 300);
                Put16(b, r.DataLength ?? (ushort)r.Data.Length);
                b.AddRange(r.Data);
            }
            return b.ToArray();
        }

        /// <summary>Where the first answer record starts in <see cref="Build"/>'s bytes (after header and question).</summary>
        public int FirstAnswerOffset => 12 + Name(_questionName ?? _query.Name).Length + 4;

        /// <summary>A name in uncompressed wire form.</summary>
        public static byte[] Name(string name)
        {
            var b = new List<byte>();
            foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                b.Add((byte)label.Length);
                b.AddRange(Encoding.ASCII.GetBytes(label));
            }
            b.Add(0);
            return b.ToArray();
        }

        private static void Put16(List<byte> b, ushort v)
        {
            b.Add((byte)(v >> 8));
            b.Add((byte)v);
        }
    }
}
