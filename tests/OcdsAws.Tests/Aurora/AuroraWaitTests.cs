using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aurora;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aurora
{
    /// <summary>The cluster wait and the Data API resume retry: AWS's answers from a script, time from a fake clock.</summary>
    public sealed class AuroraWaitTests
    {
        private const string ClusterArn = "arn:aws:rds:eu-west-1:123456789012:cluster:ocds";
        private const string SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1a2b3c-AbCdEf";

        private static string Query(string action, string result) =>
            $"<{action}Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>";

        private static CannedResponse Cluster(string status) => new CannedResponse(200, Query("DescribeDBClusters",
            $"<DBClusters><DBCluster><DBClusterIdentifier>ocds</DBClusterIdentifier><Status>{status}</Status><Engine>aurora-postgresql</Engine><DBClusterArn>{ClusterArn}</DBClusterArn></DBCluster></DBClusters>"));

        private static CannedResponse Instance(string status) => new CannedResponse(200, Query("DescribeDBInstances",
            $"<DBInstances><DBInstance><DBInstanceIdentifier>ocds-1</DBInstanceIdentifier><DBInstanceClass>db.serverless</DBInstanceClass><DBInstanceStatus>{status}</DBInstanceStatus><DBClusterIdentifier>ocds</DBClusterIdentifier></DBInstance></DBInstances>"));

        /// <summary>Answers DescribeDBClusters and DescribeDBInstances from one list of (cluster, instance) statuses, one pair per check.</summary>
        private static CaptureServer Statuses(params (string Cluster, string Instance)[] steps)
        {
            var clusterCalls = 0;
            var instanceCalls = 0;
            return new CaptureServer((request, _) => request.BodyText.Contains("Action=DescribeDBClusters")
                ? Cluster(steps[Math.Min(Interlocked.Increment(ref clusterCalls) - 1, steps.Length - 1)].Cluster)
                : Instance(steps[Math.Min(Interlocked.Increment(ref instanceCalls) - 1, steps.Length - 1)].Instance));
        }

        private static OcdsAws.Aws.AwsClientFactory Clients(CaptureServer server) => TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret");

        [Fact]
        public async Task Creating_then_available_returns_after_three_checks_with_progress_and_growing_delays()
        {
            using var server = Statuses(("creating", "creating"), ("available", "creating"), ("available", "available"));
            using var clients = Clients(server);
            var recorder = new RecordingReporter();
            var clock = new FakeClock();

            var cluster = await new AuroraClusterService(clients, recorder, clock).WaitAvailableAsync("ocds", TimeSpan.FromMinutes(30), CancellationToken.None);

            Assert.Equal("available", cluster.Status);
            Assert.Equal(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10) }, clock.Delays);
            Assert.All(recorder.Progress, p => Assert.Equal(AuroraClusterService.WaitActivityId, p.ActivityId));
            var steps = recorder.Progress.Where(p => !p.Completed).Select(p => p.Status).ToList();
            Assert.StartsWith("cluster creating; instance ocds-1 creating", steps[0]);
            Assert.StartsWith("cluster available; instance ocds-1 creating", steps[1]);
            Assert.True(recorder.Progress.Last().Completed);
        }

        [Fact]
        public async Task A_failed_instance_stops_the_wait_with_an_error()
        {
            using var server = Statuses(("creating", "creating"), ("available", "failed"));
            using var clients = Clients(server);
            var recorder = new RecordingReporter();

            var e = await Assert.ThrowsAsync<OcdsAwsException>(() => new AuroraClusterService(clients, recorder, new FakeClock()).WaitAvailableAsync("ocds", TimeSpan.FromMinutes(30), CancellationToken.None));

            Assert.Equal("DBClusterFailed", e.ErrorId);
            Assert.True(recorder.Progress.Last().Completed);
        }

        [Fact]
        public async Task Never_available_times_out()
        {
            using var server = Statuses(("creating", "creating"));
            using var clients = Clients(server);
            var clock = new FakeClock();

            var timeout = await Assert.ThrowsAsync<TimeoutException>(() => new AuroraClusterService(clients, new RecordingReporter(), clock).WaitAvailableAsync("ocds", TimeSpan.FromMinutes(10), CancellationToken.None));
            // What to do next (#15 item 10): the default advice of every wait.
            Assert.Contains("run the command again to go on waiting", timeout.Message);
            Assert.Contains("give a longer -Timeout", timeout.Message);

            Assert.Equal(TimeSpan.FromMinutes(10), clock.Delays.Aggregate(TimeSpan.Zero, (a, b) => a + b));
        }

        [Fact]
        public async Task Ctrl_c_stops_the_wait()
        {
            using var server = Statuses(("creating", "creating"));
            using var clients = Clients(server);
            using var stop = new CancellationTokenSource();
            var recorder = new RecordingReporter();
            var clock = new CancellingClock(stop, afterDelays: 2);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AuroraClusterService(clients, recorder, clock).WaitAvailableAsync("ocds", TimeSpan.FromMinutes(30), stop.Token));

            Assert.True(recorder.Progress.Last().Completed);
        }

        [Fact]
        public void Ctrl_c_stops_new_aurora_serverless_cluster_wait_after_it_showed_progress()
        {
            using var server = Statuses(("creating", "creating"));
            var progress = 0;
            var r = PowerShellHost.Run("New-AuroraServerlessCluster -DBClusterIdentifier ocds -Wait -AccessKey a -SecretKey b -Region eu-west-1 -EndpointUrl $endpoint",
                new Dictionary<string, object?> { ["endpoint"] = server.Url },
                ps =>
                {
                    ps.Streams.Progress.DataAdded += (_, _) => Interlocked.Increment(ref progress);
                    SpinWait.SpinUntil(() => Volatile.Read(ref progress) > 0, TimeSpan.FromSeconds(30));
                    ps.Stop();
                });
            Assert.True(progress > 0, "no progress before Ctrl+C");
            Assert.IsType<System.Management.Automation.PipelineStoppedException>(r.Terminating);
            Assert.Contains(r.Progress, p => p.ActivityId == AuroraClusterService.WaitActivityId && p.StatusDescription.Contains("cluster creating"));
            Assert.DoesNotContain(server.Requests, q => q.BodyText.Contains("Action=Create"));
        }

        private sealed class CancellingClock : IClock
        {
            private readonly CancellationTokenSource _stop;
            private int _left;

            public CancellingClock(CancellationTokenSource stop, int afterDelays)
            {
                _stop = stop;
                _left = afterDelays;
            }

            public DateTimeOffset UtcNow { get; private set; } = DateTimeOffset.UnixEpoch;

            public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
            {
                UtcNow += delay;
                if (--_left == 0) _stop.Cancel(); // the user presses Ctrl+C during the second wait
                cancellationToken.ThrowIfCancellationRequested();
                return Task.CompletedTask;
            }
        }

        [Fact]
        public async Task Data_api_retries_database_resuming_then_returns_the_rows()
        {
            var resuming = new CannedResponse(400, "{\"message\":\"Database is resuming after being auto-paused. Please wait for a few seconds and try again.\"}", "application/json",
                new Dictionary<string, string> { ["x-amzn-ErrorType"] = "DatabaseResumingException" });
            var rows = new CannedResponse(200, "{\"columnMetadata\":[{\"name\":\"one\",\"label\":\"one\",\"typeName\":\"int4\"}],\"records\":[[{\"longValue\":1}]],\"numberOfRecordsUpdated\":0}", "application/json");
            using var server = new CaptureServer((_, i) => i < 2 ? resuming : rows);
            using var clients = Clients(server);
            var recorder = new RecordingReporter();
            var clock = new FakeClock();

            var result = await new AuroraSqlService(clients, recorder, clock).ExecuteAsync(ClusterArn, SecretArn, "select 1 as one", "common", null, TimeSpan.FromMinutes(5), CancellationToken.None);

            Assert.Equal(3, server.Requests.Count);
            Assert.Equal(new[] { "one" }, result.Columns);
            Assert.Equal(new object?[] { 1L }, Assert.Single(result.Rows));
            Assert.Equal(2, clock.Delays.Count);
            Assert.Contains(recorder.Progress, p => p.ActivityId == AuroraSqlService.ResumeActivityId && p.Status.Contains("resuming"));
            Assert.True(recorder.Progress.Last().Completed);
        }

        [Fact]
        public async Task Other_data_api_errors_are_not_retried()
        {
            using var server = new CaptureServer((_, _) => new CannedResponse(400, "{\"message\":\"syntax error at or near \\\"selec\\\"\"}", "application/json",
                new Dictionary<string, string> { ["x-amzn-ErrorType"] = "DatabaseErrorException" }));
            using var clients = Clients(server);

            var e = await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() =>
                new AuroraSqlService(clients, new RecordingReporter(), new FakeClock()).ExecuteAsync(ClusterArn, SecretArn, "selec 1", null, null, TimeSpan.FromMinutes(5), CancellationToken.None));

            Assert.Equal("DatabaseErrorException", e.ErrorCode);
            Assert.Single(server.Requests);
        }

        [Fact]
        public void Rows_become_objects_with_the_column_names()
        {
            var row = InvokeAuroraSqlCommand.Row(new[] { "id", "name", "id" }, new object?[] { 1L, "x", 2L });
            Assert.Equal(new[] { "id", "name", "id_2" }, row.Properties.Select(p => p.Name));
            Assert.Equal(2L, row.Properties["id_2"].Value);
        }

        [Theory]
        [InlineData("16.4", true)]
        [InlineData("16.1", true)]
        [InlineData("16.0", false)]
        [InlineData("15.3", true)]
        [InlineData("14.7", false)]
        [InlineData("13.11", true)]
        [InlineData("17.4", true)]
        [InlineData("12.9", false)]
        public void Data_api_thresholds(string version, bool supported) => Assert.Equal(supported, AuroraClusterService.SupportsDataApi(version));
    }
}
