using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>What the proxy does instead of (or after) forwarding a request.</summary>
    public enum FaultKind
    {
        /// <summary>The service's throttling error (Throttling, RequestLimitExceeded, SlowDown, TooManyRequestsException…).</summary>
        Throttle,
        /// <summary>HTTP 500 InternalFailure.</summary>
        ServerError,
        /// <summary>HTTP 503 ServiceUnavailable.</summary>
        Unavailable,
        /// <summary>The TCP connection is reset (RST) without an answer.</summary>
        Reset,
        /// <summary>The answer comes, but late (<see cref="Fault.Delay"/>).</summary>
        Slow,
        /// <summary>No answer at all until the test ends (for Ctrl+C in the middle of a step).</summary>
        Hang,
    }

    /// <summary>
    /// One fault rule: the first <see cref="Count"/> requests of <see cref="Operation"/> get <see cref="Kind"/>.
    /// With <see cref="AfterForwarding"/> the request reaches moto first and only the answer is lost: the
    /// case that makes a naive retry create a duplicate.
    /// </summary>
    public sealed record Fault(string Operation, FaultKind Kind, int Count, bool AfterForwarding = false, TimeSpan Delay = default)
    {
        public override string ToString() => $"{Operation}: {Kind} x{Count}{(AfterForwarding ? " after forwarding" : "")}";
    }

    /// <summary>One request the proxy saw, with what it did to it.</summary>
    public sealed record ProxiedRequest(string Operation, string Method, string Path, FaultKind? Fault, bool Forwarded);

    /// <summary>
    /// A loopback HTTP proxy in front of moto that injects faults per operation. It speaks HTTP/1.1 on raw
    /// sockets (so it can reset a connection), forwards everything else unchanged (the Host header too, so
    /// moto's signature check still passes), and names each request's operation the way the AWS protocols do:
    /// Query <c>Action=</c>, JSON <c>X-Amz-Target</c>, REST by method and path.
    /// </summary>
    public sealed class FaultProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly Uri _upstream;
        private readonly HttpClient _http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false, AllowAutoRedirect = false });
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly List<Fault> _faults = new List<Fault>();
        private readonly Dictionary<Fault, int> _used = new Dictionary<Fault, int>();
        private readonly List<ProxiedRequest> _seen = new List<ProxiedRequest>();
        private int _requestNumber;

        public FaultProxy(string upstream, params Fault[] faults)
        {
            _upstream = new Uri(upstream);
            _faults.AddRange(faults);
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
            _ = Task.Run(AcceptLoop);
        }

        /// <summary>The proxy's endpoint, for -EndpointUrl.</summary>
        public string Url { get; }

        /// <summary>Every request so far, in order.</summary>
        public IReadOnlyList<ProxiedRequest> Requests
        {
            get { lock (_seen) return _seen.ToList(); }
        }

        /// <summary>Replaces the fault rules (their counts start again).</summary>
        public void SetFaults(params Fault[] faults)
        {
            lock (_seen)
            {
                _faults.Clear();
                _faults.AddRange(faults);
                _used.Clear();
            }
        }

        /// <summary>How many faults were injected.</summary>
        public int Injected => Requests.Count(r => r.Fault != null);

        /// <summary>Requests of one operation (every attempt counts).</summary>
        public int Attempts(string operation) => Requests.Count(r => r.Operation == operation);

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    return;
                }
                _ = Task.Run(() => Serve(socket));
            }
        }

        private async Task Serve(Socket socket)
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var request = await HttpWire.ReadRequestAsync(stream, _stop.Token).ConfigureAwait(false);
                    if (request == null) return; // the client closed the connection
                    var operation = OperationOf(request);
                    var fault = Take(operation);
                    Interlocked.Increment(ref _requestNumber);
                    var forward = fault == null || fault.AfterForwarding || fault.Kind == FaultKind.Slow;
                    lock (_seen) _seen.Add(new ProxiedRequest(operation, request.Method, request.Path, fault?.Kind, forward));

                    HttpWire.Response? answer = null;
                    if (forward) answer = await ForwardAsync(request).ConfigureAwait(false);
                    switch (fault?.Kind)
                    {
                        case null:
                            break;
                        case FaultKind.Reset:
                            socket.LingerState = new LingerOption(true, 0); // close with RST, not FIN
                            socket.Close();
                            return;
                        case FaultKind.Hang:
                            await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                            return;
                        case FaultKind.Slow:
                            await Task.Delay(fault.Delay == default ? TimeSpan.FromSeconds(1) : fault.Delay, _stop.Token).ConfigureAwait(false);
                            break;
                        default:
                            answer = ErrorFor(request, operation, fault.Kind);
                            break;
                    }
                    await HttpWire.WriteResponseAsync(stream, answer!, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            catch (IOException)
            {
                // The client went away (Ctrl+C tests) or reset the connection itself.
            }
        }

        private Fault? Take(string operation)
        {
            lock (_seen)
            {
                foreach (var fault in _faults.Where(f => f.Operation == operation || f.Operation == "*"))
                {
                    _used.TryGetValue(fault, out var used);
                    if (used >= fault.Count) continue;
                    _used[fault] = used + 1;
                    return fault;
                }
                return null;
            }
        }

        private async Task<HttpWire.Response> ForwardAsync(HttpWire.Request request)
        {
            var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_upstream, request.Target));
            var content = new ByteArrayContent(request.Body);
            foreach (var (name, value) in request.Headers)
            {
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
                    continue;
                if (!message.Headers.TryAddWithoutValidation(name, value)) content.Headers.TryAddWithoutValidation(name, value);
            }
            if (request.Body.Length > 0 || request.Method is "POST" or "PUT") message.Content = content;
            using var response = await _http.SendAsync(message, _stop.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(_stop.Token).ConfigureAwait(false);
            var headers = response.Headers.Concat(response.Content.Headers)
                .Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                    && !h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                .SelectMany(h => h.Value.Select(v => (h.Key, v))).ToList();
            return new HttpWire.Response((int)response.StatusCode, response.ReasonPhrase ?? "", headers, body);
        }

        /// <summary>The error each protocol's service really sends for a fault kind.</summary>
        private HttpWire.Response ErrorFor(HttpWire.Request request, string operation, FaultKind kind)
        {
            var id = "fault-" + _requestNumber;
            var service = ServiceOf(request);
            (int Status, string Code, string Message) e = (service, kind) switch
            {
                ("ec2", FaultKind.Throttle) => (503, "RequestLimitExceeded", "Request limit exceeded."),
                ("s3", FaultKind.Throttle) => (503, "SlowDown", "Please reduce your request rate."),
                ("json", FaultKind.Throttle) => (429, "TooManyRequestsException", "Maximum sending rate exceeded."),
                (_, FaultKind.Throttle) => (400, "Throttling", "Rate exceeded"),
                ("ec2", FaultKind.ServerError) or ("s3", FaultKind.ServerError) => (500, "InternalError", "An internal error has occurred."),
                (_, FaultKind.ServerError) => (500, "InternalFailure", "The request processing has failed because of an unknown error."),
                _ => (503, "ServiceUnavailable", "Service is unavailable. Try again later."),
            };
            string body;
            var headers = new List<(string, string)> { ("x-amzn-RequestId", id) };
            switch (service)
            {
                case "ec2":
                    body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{e.Code}</Code><Message>{e.Message}</Message></Error></Errors><RequestID>{id}</RequestID></Response>";
                    headers.Add(("Content-Type", "text/xml"));
                    break;
                case "s3":
                    body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{e.Code}</Code><Message>{e.Message}</Message><RequestId>{id}</RequestId></Error>";
                    headers.Add(("Content-Type", "application/xml"));
                    break;
                case "json":
                    body = $"{{\"__type\":\"{e.Code}\",\"message\":\"{e.Message}\"}}";
                    headers.Add(("Content-Type", "application/json"));
                    headers.Add(("x-amzn-ErrorType", e.Code));
                    break;
                default:
                    var type = e.Status >= 500 ? "Receiver" : "Sender";
                    body = $"<ErrorResponse><Error><Type>{type}</Type><Code>{e.Code}</Code><Message>{e.Message}</Message></Error><RequestId>{id}</RequestId></ErrorResponse>";
                    headers.Add(("Content-Type", "text/xml"));
                    break;
            }
            return new HttpWire.Response(e.Status, e.Status == 429 ? "Too Many Requests" : e.Status >= 500 ? "Error" : "Bad Request", headers, Encoding.UTF8.GetBytes(body));
        }

        /// <summary>"query", "ec2", "s3" or "json" (REST-JSON and JSON 1.1): which error shape the service speaks.</summary>
        private static string ServiceOf(HttpWire.Request request)
        {
            var scope = Regex.Match(request.Header("Authorization") ?? "", @"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/").Groups[1].Value;
            if (scope == "ec2") return "ec2";
            if (scope == "s3") return "s3";
            if (request.Header("X-Amz-Target") != null || (request.Header("Content-Type") ?? "").Contains("json", StringComparison.OrdinalIgnoreCase)
                || (scope == "ses" && request.Path.StartsWith("/v2/", StringComparison.Ordinal)) || scope == "rds-data")
                return "json";
            return "query";
        }

        // REST operations of the runbook (SESv2, RDS Data, S3), by method and path.
        private static readonly (string Method, Regex Path, string Operation)[] RestOperations =
        {
            ("POST", new Regex("^/v2/email/identities/?$"), "CreateEmailIdentity"),
            ("GET", new Regex("^/v2/email/identities/?$"), "ListEmailIdentities"),
            ("GET", new Regex("^/v2/email/identities/[^/]+/?$"), "GetEmailIdentity"),
            ("DELETE", new Regex("^/v2/email/identities/[^/]+/?$"), "DeleteEmailIdentity"),
            ("PUT", new Regex("^/v2/email/identities/[^/]+/mail-from/?$"), "PutEmailIdentityMailFromAttributes"),
            ("GET", new Regex("^/v2/email/account/?$"), "GetAccount"),
            ("POST", new Regex("^/v2/email/account/details/?$"), "PutAccountDetails"),
            ("PUT", new Regex("^/v2/email/account/suppression/?$"), "PutAccountSuppressionAttributes"),
            ("POST", new Regex("^/v2/email/outbound-emails/?$"), "SendEmail"),
            ("POST", new Regex("^/Execute/?$"), "ExecuteStatement"),
        };

        private static string OperationOf(HttpWire.Request request)
        {
            var action = Regex.Match(request.Method == "GET" ? request.Query : Encoding.UTF8.GetString(request.Body), @"(?:^|&)Action=([A-Za-z0-9]+)");
            if (action.Success) return action.Groups[1].Value;
            if (request.Header("X-Amz-Target") is string target) return target.Substring(target.LastIndexOf('.') + 1);
            foreach (var (method, path, operation) in RestOperations)
                if (method == request.Method && path.IsMatch(request.Path)) return operation;
            if (ServiceOf(request) == "s3") return S3OperationOf(request);
            return request.Method + " " + request.Path;
        }

        private static string S3OperationOf(HttpWire.Request request)
        {
            var parts = request.Path.Trim('/').Split('/', 2);
            var bucketOnly = parts.Length == 1 || parts[1].Length == 0;
            var query = "&" + request.Query;
            bool Has(string sub) => query.Contains("&" + sub + "=", StringComparison.Ordinal) || query.Contains("&" + sub + "&", StringComparison.Ordinal) || query.EndsWith("&" + sub, StringComparison.Ordinal);
            return (request.Method, bucketOnly) switch
            {
                ("PUT", true) when Has("policy") => "PutBucketPolicy",
                ("PUT", true) when Has("tagging") => "PutBucketTagging",
                ("PUT", true) when Has("publicAccessBlock") => "PutPublicAccessBlock",
                ("PUT", true) => "CreateBucket",
                ("DELETE", true) => "DeleteBucket",
                ("POST", true) when Has("delete") => "DeleteObjects",
                ("GET", true) when Has("policy") => "GetBucketPolicy",
                ("GET", true) when Has("tagging") => "GetBucketTagging",
                ("GET", true) when Has("location") => "GetBucketLocation",
                ("GET", true) => "ListObjectsV2",
                ("HEAD", true) => "HeadBucket",
                ("GET", false) => "GetObject",
                ("PUT", false) => "PutObject",
                ("DELETE", false) => "DeleteObject",
                _ => request.Method + " " + request.Path,
            };
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _http.Dispose();
        }
    }

    /// <summary>Just enough HTTP/1.1 framing for the proxy: Content-Length and chunked bodies, keep-alive.</summary>
    internal static class HttpWire
    {
        public sealed record Request(string Method, string Target, List<(string Name, string Value)> Headers, byte[] Body)
        {
            public string Path => Target.Split('?', 2)[0];
            public string Query => Target.Contains('?') ? Target.Split('?', 2)[1] : "";
            public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
        }

        public sealed record Response(int Status, string Reason, List<(string Name, string Value)> Headers, byte[] Body);

        public static async Task<Request?> ReadRequestAsync(Stream stream, CancellationToken ct)
        {
            var head = await ReadHeadAsync(stream, ct).ConfigureAwait(false);
            if (head == null) return null;
            var lines = head.Split("\r\n");
            var start = lines[0].Split(' ');
            var headers = lines.Skip(1).Where(l => l.Length > 0).Select(l => (l.Substring(0, l.IndexOf(':')).Trim(), l.Substring(l.IndexOf(':') + 1).Trim())).ToList();
            var request = new Request(start[0], start[1], headers, Array.Empty<byte>());
            if (request.Header("Expect")?.Equals("100-continue", StringComparison.OrdinalIgnoreCase) == true)
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n"), ct).ConfigureAwait(false);
            byte[] body;
            if (request.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
            {
                using var buffer = new MemoryStream();
                while (true)
                {
                    var size = Convert.ToInt32((await ReadLineAsync(stream, ct).ConfigureAwait(false)).Split(';')[0].Trim(), 16);
                    if (size == 0)
                    {
                        while ((await ReadLineAsync(stream, ct).ConfigureAwait(false)).Length > 0) { }
                        break;
                    }
                    buffer.Write(await ReadExactlyAsync(stream, size, ct).ConfigureAwait(false));
                    await ReadLineAsync(stream, ct).ConfigureAwait(false);
                }
                body = buffer.ToArray();
            }
            else
            {
                body = await ReadExactlyAsync(stream, int.Parse(request.Header("Content-Length") ?? "0"), ct).ConfigureAwait(false);
            }
            return request with { Body = body };
        }

        public static async Task WriteResponseAsync(Stream stream, Response response, CancellationToken ct)
        {
            var head = new StringBuilder($"HTTP/1.1 {response.Status} {response.Reason}\r\n");
            foreach (var (name, value) in response.Headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
            head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct).ConfigureAwait(false);
            await stream.WriteAsync(response.Body, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }

        private static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken ct)
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                var n = await stream.ReadAsync(one, ct).ConfigureAwait(false);
                if (n == 0) return bytes.Count == 0 ? null : throw new IOException("connection closed inside a request head");
                bytes.Add(one[0]);
                var c = bytes.Count;
                if (c >= 4 && bytes[c - 4] == '\r' && bytes[c - 3] == '\n' && bytes[c - 2] == '\r' && bytes[c - 1] == '\n')
                    return Encoding.ASCII.GetString(bytes.ToArray(), 0, c - 4);
            }
        }

        private static async Task<string> ReadLineAsync(Stream stream, CancellationToken ct)
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                if (await stream.ReadAsync(one, ct).ConfigureAwait(false) == 0) throw new IOException("connection closed inside a chunked body");
                if (one[0] == '\n') return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
                bytes.Add(one[0]);
            }
        }

        private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken ct)
        {
            var buffer = new byte[count];
            await stream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
            return buffer;
        }
    }
}
