using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    /// <summary>
    /// SES's once-per-second operations (botocore's ses model: "You can execute this operation no more than once per
    /// second") are spaced per operation on the module's clock. These run on a fake clock; the cmdlet tests show the
    /// companion, which throttles a second call within a second, never turning one away.
    /// </summary>
    public sealed class OperationSpacingTests
    {
        /// <summary>A fake clock several threads may use: a delay moves time forward, under a lock.</summary>
        private sealed class SharedFakeClock : IClock
        {
            private readonly object _lock = new object();
            private DateTimeOffset _now = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

            public DateTimeOffset UtcNow { get { lock (_lock) return _now; } }

            public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lock (_lock) _now += delay;
                return Task.CompletedTask;
            }
        }

        [Fact]
        public async Task A_second_call_of_the_same_operation_waits_out_the_second_and_others_do_not_wait()
        {
            var clock = new FakeClock();
            var spacing = new OperationSpacing(clock, TimeSpan.FromSeconds(1));
            await spacing.RunAsync("SES|eu-west-1|SetIdentityNotificationTopic", () => Task.FromResult(1), CancellationToken.None);
            await spacing.RunAsync("SES|eu-west-1|SetIdentityHeadersInNotificationsEnabled", () => Task.FromResult(2), CancellationToken.None);
            await spacing.RunAsync("SES|eu-central-1|SetIdentityNotificationTopic", () => Task.FromResult(3), CancellationToken.None);
            Assert.Empty(clock.Delays);

            await clock.DelayAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);
            await spacing.RunAsync("SES|eu-west-1|SetIdentityNotificationTopic", () => Task.FromResult(4), CancellationToken.None);
            Assert.Equal(new[] { TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(700) }, clock.Delays);

            // A second after the last call ended, no wait.
            await clock.DelayAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            await spacing.RunAsync("SES|eu-west-1|SetIdentityNotificationTopic", () => Task.FromResult(5), CancellationToken.None);
            Assert.Equal(3, clock.Delays.Count);
        }

        [Fact]
        public async Task Calls_from_many_threads_take_turns_a_second_apart()
        {
            var clock = new SharedFakeClock();
            var spacing = new OperationSpacing(clock, TimeSpan.FromSeconds(1));
            var starts = new List<DateTimeOffset>();
            var running = 0;
            var overlapped = false;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => spacing.RunAsync("SES|us-west-2|CreateReceiptRule", async () =>
            {
                if (Interlocked.Increment(ref running) > 1) overlapped = true;
                lock (starts) starts.Add(clock.UtcNow);
                await Task.Yield();
                Interlocked.Decrement(ref running);
                return 0;
            }, CancellationToken.None))));

            Assert.False(overlapped);
            Assert.Equal(16, starts.Count);
            var ordered = starts.OrderBy(s => s).ToList();
            Assert.All(ordered.Zip(ordered.Skip(1), (a, b) => b - a), gap => Assert.True(gap >= TimeSpan.FromSeconds(1), $"gap {gap}"));
        }

        [Fact]
        public async Task Ctrl_C_ends_the_wait_at_once_and_the_call_is_not_made()
        {
            // The real clock and a ten-minute interval: only cancellation can end this wait quickly.
            var spacing = new OperationSpacing(SystemClock.Instance, TimeSpan.FromMinutes(10));
            await spacing.RunAsync("SES|eu-west-1|CreateReceiptRule", () => Task.FromResult(0), CancellationToken.None);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var called = false;
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => spacing.RunAsync("SES|eu-west-1|CreateReceiptRule", () => { called = true; return Task.FromResult(1); }, cts.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
            Assert.False(called);
        }

        [Theory]
        [InlineData("SetIdentityNotificationTopic", true)]
        [InlineData("SetIdentityHeadersInNotificationsEnabled", true)]
        [InlineData("CreateReceiptRule", true)]
        [InlineData("DescribeActiveReceiptRuleSet", true)]
        [InlineData("GetIdentityNotificationAttributes", false)]
        [InlineData("SendRawEmail", false)]
        public void The_spaced_operations_are_the_ones_the_ses_model_documents(string operation, bool spaced)
        {
            Assert.Equal(spaced, OncePerSecond.Applies(AwsService.Ses, operation));
            Assert.False(OncePerSecond.Applies(AwsService.SesV2, operation));
        }
    }
}
