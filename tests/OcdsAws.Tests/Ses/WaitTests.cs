using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Dns;
using OcdsAws.Ses;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ses
{
    /// <summary>Wait-SesDomainVerification's loop: SES's statuses from a script, time from a fake clock.</summary>
    public sealed class WaitTests
    {
        private static CannedResponse Identity(string status, bool verified = false) => new CannedResponse(200,
            $"{{\"IdentityType\":\"DOMAIN\",\"VerifiedForSendingStatus\":{(verified ? "true" : "false")},\"VerificationStatus\":\"{status}\",\"DkimAttributes\":{{\"Status\":\"{status}\",\"Tokens\":[\"a\",\"b\",\"c\"]}}}}",
            "application/json");

        private static (SesDomainService, RecordingReporter, OcdsAws.Aws.AwsClientFactory) Service(CaptureServer server)
        {
            var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret");
            var recorder = new RecordingReporter();
            return (new SesDomainService(clients, new DnsResolver(null), recorder), recorder, clients);
        }

        [Fact]
        public async Task Pending_pending_success_returns_after_three_checks_with_growing_delays()
        {
            using var server = new CaptureServer((_, i) => i < 2 ? Identity("PENDING") : Identity("SUCCESS", true));
            var (service, recorder, clients) = Service(server);
            using var _ = clients;
            var clock = new FakeClock();

            var state = await service.WaitAsync("example.org", TimeSpan.FromMinutes(30), clock, CancellationToken.None);

            Assert.True(state.VerifiedForSending);
            Assert.Equal(3, server.Requests.Count);
            Assert.Equal(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10) }, clock.Delays);
            Assert.All(recorder.Progress, p => Assert.Equal(SesDomainService.WaitActivityId, p.ActivityId));
            Assert.Contains("example.org", recorder.Progress.First().Activity);
            Assert.Contains("PENDING", recorder.Progress.First().Status);
            Assert.True(recorder.Progress.Last().Completed);
        }

        [Fact]
        public async Task Failed_stops_with_an_error_that_says_what_to_do()
        {
            using var server = new CaptureServer((_, i) => i < 1 ? Identity("PENDING") : Identity("FAILED"));
            var (service, recorder, clients) = Service(server);
            using var _ = clients;

            var e = await Assert.ThrowsAsync<OcdsAwsException>(() => service.WaitAsync("example.org", TimeSpan.FromMinutes(30), new FakeClock(), CancellationToken.None));

            Assert.Equal("DomainVerificationFailed", e.ErrorId);
            Assert.Contains("Test-DnsRecord", e.Message);
            Assert.True(recorder.Progress.Last().Completed);
        }

        [Fact]
        public async Task Never_verified_times_out_with_backoff_capped_at_a_minute()
        {
            using var server = new CaptureServer((_, _) => Identity("PENDING"));
            var (service, recorder, clients) = Service(server);
            using var _ = clients;
            var clock = new FakeClock();

            var timeout = await Assert.ThrowsAsync<TimeoutException>(() => service.WaitAsync("example.org", TimeSpan.FromMinutes(10), clock, CancellationToken.None));
            // The timeout says what to do next (#15 item 10): check the records, then wait again or longer.
            Assert.Contains("Test-DnsRecord", timeout.Message);
            Assert.Contains("run Wait-SesDomainVerification again or give a longer -Timeout", timeout.Message);

            Assert.Equal(TimeSpan.FromMinutes(10), clock.Delays.Aggregate(TimeSpan.Zero, (a, b) => a + b));
            Assert.Equal(TimeSpan.FromMinutes(1), clock.Delays.Max());
            Assert.Equal(new[] { 5, 10, 20, 40, 60, 60 }, clock.Delays.Take(6).Select(d => (int)d.TotalSeconds));
            Assert.True(recorder.Progress.Last().Completed);
        }

        [Fact]
        public async Task Cancellation_stops_the_real_wait_promptly()
        {
            using var server = new CaptureServer((_, _) => Identity("PENDING"));
            var (service, recorder, clients) = Service(server);
            using var _ = clients;
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var clock = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.WaitAsync("example.org", TimeSpan.FromMinutes(30), SystemClock.Instance, cancel.Token));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
            Assert.True(recorder.Progress.Last().Completed);
        }
    }
}
