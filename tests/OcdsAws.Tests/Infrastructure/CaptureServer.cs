using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>One HTTP request as it arrived.</summary>
    public sealed class CapturedRequest
    {
        public string Method { get; init; } = "";
        /// <summary>Path as sent on the wire (still percent-encoded).</summary>
        public string RawPath { get; init; } = "";
        public string RawQuery { get; init; } = "";
        public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
        public byte[] Body { get; init; } = Array.Empty<byte>();
        public string BodyText => Encoding.UTF8.GetString(Body);
    }

    /// <summary>The canned answer for one request.</summary>
    public sealed record CannedResponse(int Status, string Body, string ContentType = "text/xml", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default);

    /// <summary>
    /// A loopback HTTP server that records requests and answers from a script: for wire tests
    /// (what exactly did the client send?) and fault tests (throttling, slow answers).
    /// </summary>
    public sealed class CaptureServer : IDisposable
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly List<CapturedRequest> _requests = new List<CapturedRequest>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Func<CapturedRequest, int, CannedResponse> _respond;

        public CaptureServer(Func<CapturedRequest, int, CannedResponse> respond)
        {
            _respond = respond;
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(Loop);
        }

        public string Url { get; }

        public IReadOnlyList<CapturedRequest> Requests
        {
            get { lock (_requests) return _requests.ToList(); }
        }

        private async Task Loop()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
                {
                    return;
                }
                _ = Task.Run(() => Handle(context));
            }
        }

        private async Task Handle(HttpListenerContext context)
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            var raw = context.Request.RawUrl ?? "/";
            var q = raw.IndexOf('?');
            var captured = new CapturedRequest
            {
                Method = context.Request.HttpMethod,
                RawPath = q < 0 ? raw : raw.Substring(0, q),
                RawQuery = q < 0 ? "" : raw.Substring(q + 1),
                Headers = context.Request.Headers.AllKeys.Where(k => k != null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase),
                Body = body.ToArray(),
            };
            int index;
            lock (_requests)
            {
                _requests.Add(captured);
                index = _requests.Count - 1;
            }
            var answer = _respond(captured, index);
            try
            {
                if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay, _stop.Token).ConfigureAwait(false);
                var bytes = Encoding.UTF8.GetBytes(answer.Body);
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = answer.ContentType;
                context.Response.Headers["x-amzn-RequestId"] = "capture-" + index;
                foreach (var header in answer.Headers ?? new Dictionary<string, string>()) context.Response.Headers[header.Key] = header.Value;
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                context.Response.Close();
            }
            catch (Exception)
            {
                // The client went away (cancellation tests) or the server is stopping.
            }
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                _listener.Stop();
                _listener.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
