using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Dns
{
    /// <summary>What one exchange with one server gave: a response to the question asked, or why there is none.</summary>
    internal sealed class DnsExchange
    {
        private DnsExchange(DnsWireMessage? message, string? failure, bool timedOut)
        {
            Message = message;
            Failure = failure;
            TimedOut = timedOut;
        }

        /// <summary>The response, read in full and checked to answer the question asked.</summary>
        public DnsWireMessage? Message { get; }

        /// <summary>Why there is no response (ends without a full stop).</summary>
        public string? Failure { get; }

        /// <summary>True when nothing usable came back in time (worth asking again); false for a bad answer or a refused connection.</summary>
        public bool TimedOut { get; }

        public static DnsExchange Answered(DnsWireMessage message) => new DnsExchange(message, null, false);

        public static DnsExchange Failed(string why, bool timedOut) => new DnsExchange(null, why, timedOut);
    }

    /// <summary>
    /// One question to one server over UDP (TCP when the answer is truncated), accepting only a response to that
    /// question: from the server's address and port, with the query's ID (RFC 2181 §4: "The address, along with the
    /// identifier (ID) in the reply is used for disambiguating replies, and filtering spurious responses"), QR set, and
    /// the same question section (RFC 5452 §9.1 asks resolvers to match the question too; not confirmed here in the
    /// RFC's own text). Other datagrams are ignored and the real answer awaited until the deadline, so a stray or
    /// forged datagram can neither be believed nor end the wait early; a response to the question that cannot be
    /// read is a bad answer: the exchange fails at once.
    /// </summary>
    internal static class DnsTransport
    {
        /// <summary>The largest DNS message: TCP's two-byte length (RFC 1035 §4.2.2).</summary>
        private const int MaxMessage = 65535;

        /// <summary>A fresh random query ID (RFC 5452 §4: IDs must not be predictable).</summary>
        public static ushort NewId()
        {
            var bytes = new byte[2];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            return (ushort)((bytes[0] << 8) | bytes[1]);
        }

        /// <summary>Asks <paramref name="server"/> over UDP, then over TCP when the answer has TC set (RFC 1035 §4.2.1).</summary>
        public static async Task<DnsExchange> ExchangeAsync(IPEndPoint server, string name, ushort type, bool recursionDesired, TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            var id = NewId();
            var query = DnsWire.Query(id, name, type, recursionDesired);
            var udp = await UdpAsync(server, query, id, name, type, timeout, cancellationToken).ConfigureAwait(false);
            if (udp.Message == null || !udp.Message.Header.Truncated) return udp;
            id = NewId();
            query = DnsWire.Query(id, name, type, recursionDesired);
            return await TcpAsync(server, query, id, name, type, timeout, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<DnsExchange> UdpAsync(IPEndPoint server, byte[] query, ushort id, string name, ushort type, TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            using (var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                // A connected UDP socket only receives datagrams from the server's address and port.
                socket.Connect(server);
                // Sockets on netstandard2.0 take no token: closing the socket ends a pending receive.
                using (deadline.Token.Register(() => socket.Dispose()))
                {
                    var buffer = new byte[MaxMessage];
                    var ignored = 0;
                    string? lastIgnored = null;
                    try
                    {
                        await socket.SendAsync(new ArraySegment<byte>(query), SocketFlags.None).ConfigureAwait(false);
                        while (true)
                        {
                            var count = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None).ConfigureAwait(false);
                            var why = NotAnAnswer(buffer, count, id, name, type);
                            if (why != null)
                            {
                                ignored++;
                                lastIgnored = why;
                                continue;
                            }
                            return Read(buffer, count);
                        }
                    }
                    catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is OperationCanceledException)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (e is SocketException s && !deadline.IsCancellationRequested)
                            return DnsExchange.Failed(s.SocketErrorCode == SocketError.ConnectionRefused ? "nothing listens on that port (connection refused)" : s.Message.TrimEnd('.'), timedOut: false);
                        var seconds = $"no answer within {timeout.TotalSeconds:0.#} s";
                        return DnsExchange.Failed(ignored == 0 ? seconds
                            : $"{seconds}; {ignored} datagram{(ignored == 1 ? " that was" : "s that were")} not an answer to the question ignored (the last: {lastIgnored})", timedOut: true);
                    }
                }
            }
        }

        private static async Task<DnsExchange> TcpAsync(IPEndPoint server, byte[] query, ushort id, string name, ushort type, TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            using (var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                using (deadline.Token.Register(() => socket.Dispose()))
                {
                    try
                    {
                        await socket.ConnectAsync(server).ConfigureAwait(false);
                        var framed = new byte[query.Length + 2];
                        framed[0] = (byte)(query.Length >> 8);
                        framed[1] = (byte)query.Length;
                        Array.Copy(query, 0, framed, 2, query.Length);
                        await socket.SendAsync(new ArraySegment<byte>(framed), SocketFlags.None).ConfigureAwait(false);
                        var prefix = new byte[2];
                        if (!await ReadExactlyAsync(socket, prefix, 2).ConfigureAwait(false))
                            return DnsExchange.Failed("the TCP connection closed before an answer", timedOut: false);
                        var length = (prefix[0] << 8) | prefix[1];
                        var buffer = new byte[length];
                        if (!await ReadExactlyAsync(socket, buffer, length).ConfigureAwait(false))
                            return DnsExchange.Failed($"sent a malformed answer over TCP: the connection closed inside a {length}-byte message", timedOut: false);
                        // One query on this connection: anything but its answer is a bad answer, not something to wait past.
                        var why = NotAnAnswer(buffer, length, id, name, type);
                        if (why != null) return DnsExchange.Failed($"sent something that is not an answer to the question over TCP ({why})", timedOut: false);
                        var exchange = Read(buffer, length);
                        if (exchange.Message != null && exchange.Message.Header.Truncated)
                            return DnsExchange.Failed("sent a truncated answer over TCP (TC set), which cannot be asked for again", timedOut: false);
                        return exchange;
                    }
                    catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is OperationCanceledException)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (e is SocketException s && !deadline.IsCancellationRequested)
                            return DnsExchange.Failed($"the answer was truncated and TCP failed: {(s.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : s.Message.TrimEnd('.'))}", timedOut: false);
                        return DnsExchange.Failed($"the answer was truncated and TCP gave no answer within {timeout.TotalSeconds:0.#} s", timedOut: true);
                    }
                }
            }
        }

        private static DnsExchange Read(byte[] buffer, int count)
        {
            try
            {
                return DnsExchange.Answered(DnsWire.Read(buffer, count));
            }
            catch (DnsFormatException e)
            {
                return DnsExchange.Failed("sent a malformed answer: " + e.Message, timedOut: false);
            }
        }

        /// <summary>Null when the datagram is a response to this query; otherwise why it is not.</summary>
        private static string? NotAnAnswer(byte[] buffer, int count, ushort id, string name, ushort type)
        {
            if (!DnsWire.TryReadHeader(buffer, count, out var header)) return $"{count} bytes is shorter than a DNS header";
            if (header.Id != id) return $"its ID {header.Id} is not the query's";
            if (!header.IsResponse) return "it is a query (QR=0), not a response";
            if (header.Opcode != 0) return $"its opcode is {header.Opcode}, not a standard query's";
            // A server that cannot parse a query may answer an error code without the question (RFC 1035 leaves it
            // open): its ID and address match, and an error is all it says.
            if (header.QuestionCount == 0 && header.ResponseCode != 0 && header.ResponseCode != 3) return null;
            if (!DnsWire.TryReadQuestion(buffer, count, out var qname, out var qtype, out var qclass, out var problem)) return problem;
            if (!string.Equals(qname, name.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase) || qtype != type || qclass != DnsWire.ClassIN)
                return $"it answers another question ({qname} {DnsWire.TypeName(qtype)})";
            return null;
        }

        private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, int count)
        {
            var read = 0;
            while (read < count)
            {
                var n = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, read, count - read), SocketFlags.None).ConfigureAwait(false);
                if (n == 0) return false;
                read += n;
            }
            return true;
        }
    }
}
