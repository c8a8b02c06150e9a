using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.IO;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>Everything one script wrote, stream by stream.</summary>
    public sealed class PsResult
    {
        public List<PSObject> Output { get; } = new();
        public List<ErrorRecord> Errors { get; } = new();
        public List<string> Verbose { get; } = new();
        public List<string> Debug { get; } = new();
        public List<string> Warnings { get; } = new();
        public List<ProgressRecord> Progress { get; } = new();
        public List<string> Information { get; } = new();
        public Exception? Terminating { get; set; }

        /// <summary>How many AWS calls the cmdlets made (one Verbose line each).</summary>
        public int AwsCalls => Verbose.Count(v => v.StartsWith("AWS call:", StringComparison.Ordinal));

        /// <summary>Every text any stream carried, for leak checks.</summary>
        public string AllText() => string.Join("\n",
            Output.Select(o => o?.ToString() ?? "")
                .Concat(Output.SelectMany(o => o?.Properties.Select(p => $"{p.Name}={SafeValue(p)}") ?? Array.Empty<string>()))
                .Concat(Errors.SelectMany(e => new[] { e.ToString(), e.Exception?.ToString() ?? "", e.ErrorDetails?.Message ?? "", e.FullyQualifiedErrorId }))
                .Concat(Verbose).Concat(Debug).Concat(Warnings).Concat(Information)
                .Concat(Progress.Select(p => p.Activity + " " + p.StatusDescription))
                .Append(Terminating?.ToString() ?? ""));

        private static string SafeValue(PSPropertyInfo p)
        {
            try { return p.Value?.ToString() ?? ""; }
            catch (Exception e) { return e.Message; }
        }
    }

    /// <summary>Runs scripts in a runspace that imported the module built next to the tests.</summary>
    public static class PowerShellHost
    {
        public static string ManifestPath => Path.Combine(AppContext.BaseDirectory, "OcdsAws.psd1");

        public static PsResult Run(string script, IDictionary<string, object?>? variables = null, Action<PowerShell>? whileRunning = null)
        {
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(new[] { ManifestPath });
            foreach (var variable in variables ?? new Dictionary<string, object?>())
                state.Variables.Add(new SessionStateVariableEntry(variable.Key, variable.Value, ""));
            using var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script);
            var result = new PsResult();
            ps.Streams.Verbose.DataAdded += (_, e) => result.Verbose.Add(ps.Streams.Verbose[e.Index].Message);
            ps.Streams.Debug.DataAdded += (_, e) => result.Debug.Add(ps.Streams.Debug[e.Index].Message);
            ps.Streams.Warning.DataAdded += (_, e) => result.Warnings.Add(ps.Streams.Warning[e.Index].Message);
            ps.Streams.Progress.DataAdded += (_, e) => result.Progress.Add(ps.Streams.Progress[e.Index]);
            ps.Streams.Information.DataAdded += (_, e) => result.Information.Add(ps.Streams.Information[e.Index].ToString());
            try
            {
                if (whileRunning == null)
                {
                    result.Output.AddRange(ps.Invoke());
                }
                else
                {
                    var output = new PSDataCollection<PSObject>();
                    var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
                    whileRunning(ps);
                    ps.EndInvoke(async);
                    result.Output.AddRange(output);
                }
            }
            catch (PipelineStoppedException e)
            {
                result.Terminating = e;
            }
            catch (RuntimeException e)
            {
                result.Terminating = e;
                if (e.ErrorRecord != null) result.Errors.Add(e.ErrorRecord);
            }
            result.Errors.AddRange(ps.Streams.Error.Where(e => !result.Errors.Contains(e)));
            return result;
        }
    }
}
