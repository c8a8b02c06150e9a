using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>Time that passes only when a wait asks it to: a ten-minute wait runs in microseconds.</summary>
    internal sealed class FakeClock : IClock
    {
        public DateTimeOffset UtcNow { get; private set; } = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

        /// <summary>Every delay asked for, in order.</summary>
        public List<TimeSpan> Delays { get; } = new();

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Delays.Add(delay);
            UtcNow += delay;
            return Task.CompletedTask;
        }
    }

    /// <summary>Keeps what a service reported, for tests that call services without a cmdlet.</summary>
    internal sealed class RecordingReporter : IOperationReporter
    {
        public ConcurrentQueue<ProgressReport> Progress { get; } = new();

        public ConcurrentQueue<string> Verbose { get; } = new();

        public ConcurrentQueue<string> Warnings { get; } = new();

        void IOperationReporter.Verbose(string message) => Verbose.Enqueue(message);

        public void Debug(string message) { }

        void IOperationReporter.Warning(string message) => Warnings.Enqueue(message);

        void IOperationReporter.Progress(ProgressReport progress) => Progress.Enqueue(progress);
    }
}
