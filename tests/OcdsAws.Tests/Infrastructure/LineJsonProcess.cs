using System;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>A long-running Python helper that answers one JSON line per JSON line.</summary>
    public sealed class LineJsonProcess : IDisposable
    {
        private readonly Process _process;
        private readonly object _gate = new object();

        public LineJsonProcess(string script)
        {
            var start = new ProcessStartInfo(TestBed.Python)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(TestBed.Script(script));
            _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + script);
            _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_gate) StandardError += e.Data + "\n"; };
            _process.BeginErrorReadLine();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
        }

        public string StandardError { get; private set; } = "";

        public JsonNode Ask(JsonObject request)
        {
            lock (_gate)
            {
                _process.StandardInput.WriteLine(request.ToJsonString());
                _process.StandardInput.Flush();
                var line = _process.StandardOutput.ReadLine()
                    ?? throw new InvalidOperationException($"{TestBed.Python} helper ended: {StandardError}");
                return JsonNode.Parse(line) ?? throw new InvalidOperationException("empty answer");
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited) _process.Kill(true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>botocore as the oracle of the wire format (tests/testbed/botocore_oracle.py).</summary>
    public static class Oracle
    {
        private static readonly Lazy<LineJsonProcess> Process = new Lazy<LineJsonProcess>(() => new LineJsonProcess("botocore_oracle.py"));

        public static JsonNode Ask(JsonObject request)
        {
            var answer = Process.Value.Ask(request);
            if (answer["exception"] != null) throw new InvalidOperationException("botocore oracle: " + answer["exception"]);
            return answer;
        }
    }

    /// <summary>boto3 reading moto's state back: the independent witness (tests/testbed/witness.py).</summary>
    public static class Witness
    {
        private static readonly Lazy<LineJsonProcess> Process = new Lazy<LineJsonProcess>(() => new LineJsonProcess("witness.py"));

        /// <summary>Calls a boto3 client method; throws on an AWS error.</summary>
        public static JsonNode Call(string service, string method, JsonObject? parameters = null, string region = "us-east-1")
        {
            var answer = TryCall(service, method, parameters, region);
            if (answer["result"] is JsonNode result) return result;
            throw new InvalidOperationException($"boto3 {service}.{method}: {answer.ToJsonString()}");
        }

        /// <summary>Calls a boto3 client method; returns {"result"} or {"error"}.</summary>
        public static JsonNode TryCall(string service, string method, JsonObject? parameters = null, string region = "us-east-1")
            => Process.Value.Ask(new JsonObject
            {
                ["service"] = service,
                ["method"] = method,
                ["params"] = parameters ?? new JsonObject(),
                ["region"] = region,
            });
    }
}
