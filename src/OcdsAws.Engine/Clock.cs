using System;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws
{
    /// <summary>Time for waits, injectable so tests can run a ten-minute wait in milliseconds.</summary>
    internal interface IClock
    {
        DateTimeOffset UtcNow { get; }

        Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken);
    }

    internal sealed class SystemClock : IClock
    {
        public static readonly SystemClock Instance = new SystemClock();

        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);
    }

    /// <summary>
    /// Polls until a condition holds, with a backoff that grows from a few seconds to a minute, a
    /// progress record per check (and a Completed one however it ends), and a timeout.
    /// </summary>
    internal static class Poller
    {
        public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

        /// <summary>Calls <paramref name="check"/> until it says done; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
        /// <param name="check">Returns (done, status text, value); throws to stop with an error.</param>
        /// <param name="timeout">How long to keep checking.</param>
        /// <param name="clock">Time and delays.</param>
        /// <param name="reporter">Receives a progress record per check and a Completed one at the end.</param>
        /// <param name="activityId">The progress activity id (stable per wait kind).</param>
        /// <param name="activity">What is awaited, in words.</param>
        /// <param name="cancellationToken">Ctrl+C.</param>
        /// <param name="next">What to do after a timeout; default: run the command again or give a longer -Timeout.</param>
        public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<(bool Done, string Status, T Value)>> check, TimeSpan timeout,
            IClock clock, IOperationReporter reporter, int activityId, string activity, CancellationToken cancellationToken, string? next = null)
        {
            var started = clock.UtcNow;
            var delay = FirstDelay;
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (done, status, value) = await check(cancellationToken).ConfigureAwait(false);
                    if (done) return value;
                    var elapsed = clock.UtcNow - started;
                    var left = timeout - elapsed;
                    if (left <= TimeSpan.Zero)
                        throw new TimeoutException($"{activity}: still not done after {Format(timeout)} ({status}). "
                            + (next ?? "Nothing was undone: run the command again to go on waiting (it finds what was already done), or give a longer -Timeout."));
                    var wait = delay < left ? delay : left;
                    var percent = timeout.TotalSeconds > 0 ? (int)Math.Min(99, 100 * elapsed.TotalSeconds / timeout.TotalSeconds) : -1;
                    reporter.Progress(new ProgressReport(activityId, activity, $"{status}; next check in {Format(wait)}", percent, (int)left.TotalSeconds));
                    await clock.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
                }
            }
            finally
            {
                reporter.Progress(new ProgressReport(activityId, activity, "Done", 100, 0, completed: true));
            }
        }

        private static string Format(TimeSpan t) => t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} min" : $"{t.TotalSeconds:0} s";
    }
}
