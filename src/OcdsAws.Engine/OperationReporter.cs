using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws
{
    /// <summary>A progress step of a long wait, in PowerShell-free terms.</summary>
    internal sealed class ProgressReport
    {
        public ProgressReport(int activityId, string activity, string status, int percentComplete = -1, int secondsRemaining = -1, bool completed = false)
        {
            ActivityId = activityId;
            Activity = activity;
            Status = status;
            PercentComplete = percentComplete;
            SecondsRemaining = secondsRemaining;
            Completed = completed;
        }

        public int ActivityId { get; }
        public string Activity { get; }
        public string Status { get; }
        public int PercentComplete { get; }
        public int SecondsRemaining { get; }
        public bool Completed { get; }
    }

    /// <summary>
    /// How services tell the user what they do. Services never see a PSCmdlet: they may run on any
    /// thread, so the cmdlet queues their messages and writes them from the pipeline thread.
    /// </summary>
    internal interface IOperationReporter
    {
        void Verbose(string message);
        void Debug(string message);
        void Warning(string message);
        void Progress(ProgressReport progress);
    }

    /// <summary>A reporter that drops everything (tests and callers that do not care).</summary>
    internal sealed class NullReporter : IOperationReporter
    {
        public static readonly NullReporter Instance = new NullReporter();
        public void Verbose(string message) { }
        public void Debug(string message) { }
        public void Warning(string message) { }
        public void Progress(ProgressReport progress) { }
    }

    /// <summary>
    /// Queues messages from worker threads and writes them on the pipeline thread while a task runs
    /// (PowerShell only accepts Write* calls from the pipeline thread). Every text passes the secret
    /// scrubber first.
    /// </summary>
    internal sealed class PipelineMessagePump : IOperationReporter
    {
        // PowerShell numbers progress sources from 1 up; ours start far above so a bar is never confused with another's.
        private static long _lastSourceId = 0x4F43_0000_0000L;

        private readonly BlockingCollection<Action<Cmdlet>> _queue = new BlockingCollection<Action<Cmdlet>>();
        private readonly List<string> _secrets = new List<string>();
        private readonly HashSet<int> _openActivities = new HashSet<int>();
        private readonly Func<bool> _verboseAsDebug;
        private volatile bool _stopping;

        /// <param name="verboseAsDebug">
        /// Asked on the pipeline thread for each Verbose line: true sends it to the Debug stream instead (the cmdlet's
        /// -Debug without -Verbose, see OcdsCmdlet.VerboseAsDebug).
        /// </param>
        public PipelineMessagePump(Func<bool> verboseAsDebug) => _verboseAsDebug = verboseAsDebug;

        /// <summary>The progress source of this cmdlet invocation: its bars are (SourceId, ActivityId).</summary>
        public long SourceId { get; } = Interlocked.Increment(ref _lastSourceId);

        /// <summary>
        /// Set by StopProcessing (Ctrl+C). From then on PowerShell refuses every Write* call, so the pump drops
        /// messages, and writes the progress Completed records straight to the host, which still takes them:
        /// a bar must not outlive its wait.
        /// </summary>
        public void Stop() => _stopping = true;

        /// <summary>Registers a value that must never reach any stream (secret keys, tokens, passwords).</summary>
        public void AddSecret(string? secret)
        {
            if (!string.IsNullOrEmpty(secret)) lock (_secrets) _secrets.Add(secret!);
        }

        public string Scrub(string text)
        {
            lock (_secrets)
                foreach (var secret in _secrets)
                    text = text.Replace(secret, "********");
            return text;
        }

        public void Verbose(string message)
        {
            var m = Scrub(message);
            Enqueue(c =>
            {
                if (_verboseAsDebug()) c.WriteDebug(m);
                else c.WriteVerbose(m);
            });
        }

        public void Debug(string message) { var m = Scrub(message); Enqueue(c => c.WriteDebug(m)); }

        public void Warning(string message) { var m = Scrub(message); Enqueue(c => c.WriteWarning(m)); }

        public void Progress(ProgressReport p)
        {
            var record = new ProgressRecord(p.ActivityId, Scrub(p.Activity), Scrub(p.Status))
            {
                PercentComplete = p.PercentComplete,
                SecondsRemaining = p.SecondsRemaining,
                RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            _queue.Add(c => WriteProgress(c, record));
        }

        private void Enqueue(Action<Cmdlet> write) => _queue.Add(c => { if (!_stopping) write(c); });

        private void WriteProgress(Cmdlet cmdlet, ProgressRecord record)
        {
            var completes = record.RecordType == ProgressRecordType.Completed;
            bool wasOpen;
            lock (_openActivities)
            {
                wasOpen = _openActivities.Contains(record.ActivityId);
                if (completes) _openActivities.Remove(record.ActivityId);
                else _openActivities.Add(record.ActivityId);
            }
            if (!_stopping) cmdlet.CommandRuntime.WriteProgress(SourceId, record);
            else if (completes && wasOpen) WriteToHost(cmdlet, record);
        }

        /// <summary>After Ctrl+C: ends every bar this invocation still shows.</summary>
        public void CompleteOpenActivities(Cmdlet cmdlet)
        {
            int[] open;
            lock (_openActivities)
            {
                open = _openActivities.ToArray();
                _openActivities.Clear();
            }
            foreach (var id in open)
                WriteToHost(cmdlet, new ProgressRecord(id, "OcdsAws", "Stopped") { RecordType = ProgressRecordType.Completed });
        }

        private void WriteToHost(Cmdlet cmdlet, ProgressRecord record)
        {
            if (!(cmdlet is PSCmdlet ps) || ps.Host?.UI == null) return;
            var preference = ps.SessionState.PSVariable.GetValue("ProgressPreference");
            if (preference is ActionPreference p && (p == ActionPreference.SilentlyContinue || p == ActionPreference.Ignore)) return;
            ps.Host.UI.WriteProgress(SourceId, record);
        }

        /// <summary>Runs <paramref name="work"/> on the thread pool and writes its messages until it ends.</summary>
        public T Run<T>(Cmdlet cmdlet, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        {
            var task = Task.Run(() => work(cancellationToken), cancellationToken);
            using (var done = new CancellationTokenSource())
            {
                task.ContinueWith(_ => done.Cancel(), TaskScheduler.Default);
                try
                {
                    while (true) Write(cmdlet, _queue.Take(done.Token));
                }
                catch (OperationCanceledException) when (done.IsCancellationRequested)
                {
                }
            }
            Drain(cmdlet);
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Writes what is queued (also used after synchronous steps).</summary>
        public void Drain(Cmdlet cmdlet)
        {
            while (_queue.TryTake(out var write)) Write(cmdlet, write);
        }

        private void Write(Cmdlet cmdlet, Action<Cmdlet> write)
        {
            try
            {
                write(cmdlet);
            }
            catch (PipelineStoppedException) when (_stopping)
            {
                // Ctrl+C came between the check and the write: the work's own end decides what happens next.
            }
        }
    }
}
