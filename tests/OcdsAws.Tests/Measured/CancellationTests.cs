using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Measured
{
    /// <summary>
    /// Issue 8, "Cancellation": Ctrl+C (<see cref="PowerShell.Stop()"/>, which runs StopProcessing) during each
    /// wait and each retried call returns control within one second and writes the progress Completed record.
    /// AWS is a loopback capture server whose answers keep the waits waiting (or hang, for the plain call).
    /// </summary>
    [Collection(Timing.Collection)]
    public sealed class CancellationTests
    {
        private const string ClusterArn = "arn:aws:rds:eu-west-1:123456789012:cluster:ocds";
        private const string SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1a2b3c-AbCdEf";

        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

        private static CannedResponse PendingIdentity(string type) => new CannedResponse(200,
            $"{{\"IdentityType\":\"{type}\",\"VerifiedForSendingStatus\":false,\"VerificationStatus\":\"PENDING\",\"DkimAttributes\":{{\"Status\":\"PENDING\",\"Tokens\":[\"a\",\"b\",\"c\"]}}}}",
            "application/json");

        private static CannedResponse EmptyBucket() => new CannedResponse(200,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>ocds-capture-test</Name><Prefix></Prefix>"
            + "<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>", "application/xml");

        private static string RdsQuery(string action, string result) =>
            $"<{action}Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{action}Response>";

        private static CannedResponse CreatingCluster() => new CannedResponse(200, RdsQuery("DescribeDBClusters",
            $"<DBClusters><DBCluster><DBClusterIdentifier>ocds</DBClusterIdentifier><Status>creating</Status><Engine>aurora-postgresql</Engine><DBClusterArn>{ClusterArn}</DBClusterArn></DBCluster></DBClusters>"));

        private static CannedResponse CreatingInstance() => new CannedResponse(200, RdsQuery("DescribeDBInstances",
            "<DBInstances><DBInstance><DBInstanceIdentifier>ocds-1</DBInstanceIdentifier><DBInstanceClass>db.serverless</DBInstanceClass><DBInstanceStatus>creating</DBInstanceStatus><DBClusterIdentifier>ocds</DBClusterIdentifier></DBInstance></DBInstances>"));

        private static CannedResponse Resuming() => new CannedResponse(400,
            "{\"message\":\"Database is resuming after being auto-paused. Please wait for a few seconds and try again.\"}", "application/json",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "DatabaseResumingException" });

        /// <summary>
        /// Runs <paramref name="script"/> against <paramref name="server"/> (<c>$endpoint</c>), presses Ctrl+C once the server
        /// saw <paramref name="requests"/> request(s) and the cmdlet had time to enter its wait, and times the Stop.
        /// </summary>
        private static (PsResult Result, TimeSpan Stop) StopDuring(CaptureServer server, string script, int requests = 1, bool waitForProgress = false)
        {
            var clock = new Stopwatch();
            var progress = 0;
            var r = PowerShellHost.Run(script + " -AccessKey AKIDEXAMPLE -SecretKey secret -Region eu-west-1 -EndpointUrl $endpoint",
                new Dictionary<string, object?> { ["endpoint"] = server.Url },
                ps =>
                {
                    ps.Streams.Progress.DataAdded += (_, _) => Interlocked.Increment(ref progress);
                    Assert.True(SpinWait.SpinUntil(() => server.Requests.Count >= requests, TimeSpan.FromSeconds(30)), "the cmdlet never called the server");
                    if (waitForProgress) SpinWait.SpinUntil(() => Volatile.Read(ref progress) > 0, TimeSpan.FromSeconds(10));
                    Thread.Sleep(200); // let the answer arrive and the cmdlet settle into its delay (or its hanging read)
                    clock.Start();
                    ps.Stop();
                    clock.Stop();
                });
            return (r, clock.Elapsed);
        }

        private static void AssertStoppedPromptly(PsResult r, TimeSpan took)
        {
            Assert.True(took < Limit, $"Ctrl+C took {took.TotalMilliseconds:0} ms");
            Assert.IsType<PipelineStoppedException>(r.Terminating);
        }

        private static void AssertCompletedProgress(PsResult r)
        {
            Assert.Contains(r.Progress, p => p.RecordType == ProgressRecordType.Processing);
            var processing = r.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).Select(p => p.ActivityId).Distinct().ToList();
            Assert.All(processing, id => Assert.Contains(r.Progress, p => p.ActivityId == id && p.RecordType == ProgressRecordType.Completed));
        }

        /// <summary>Each wait and retried call: the server's answers, the script, and how many requests come before Ctrl+C.</summary>
        private static (Func<CaptureServer> Server, string Script, int Requests, bool IsWait) Case(string name) => name switch
        {
            "Wait-SesDomainVerification" => (() => new CaptureServer((_, _) => PendingIdentity("DOMAIN")), "Wait-SesDomainVerification -Domain example.org", 1, true),
            "Wait-SesEmailVerification" => (() => new CaptureServer((_, _) => PendingIdentity("EMAIL_ADDRESS")), "Wait-SesEmailVerification -EmailAddress data@example.org", 1, true),
            "Get-SesVerificationLink -Wait" => (() => new CaptureServer((_, _) => EmptyBucket()),
                "Get-SesVerificationLink -EmailAddress data@example.org -BucketName ocds-capture-test -Wait", 1, true),
            "New-AuroraServerlessCluster -Wait" => (() => new CaptureServer((request, _) => request.BodyText.Contains("Action=DescribeDBClusters") ? CreatingCluster() : CreatingInstance()),
                "New-AuroraServerlessCluster -DBClusterIdentifier ocds -Wait", 3, true),
            "Invoke-AuroraSql resuming" => (() => new CaptureServer((_, _) => Resuming()),
                $"Invoke-AuroraSql -Sql 'select 1' -ResourceArn '{ClusterArn}' -SecretArn '{SecretArn}' -Database common", 1, true),
            // The first check of a wait never answers: Ctrl+C must cut the HTTP call itself, not only the delay between checks.
            "Wait-SesEmailVerification, hanging" => (() => new CaptureServer((_, _) => new CannedResponse(200, "", Delay: TimeSpan.FromSeconds(60))),
                "Wait-SesEmailVerification -EmailAddress data@example.org", 1, true),
            "Get-SesAccount, hanging" => (() => new CaptureServer((_, _) => new CannedResponse(200, "", Delay: TimeSpan.FromSeconds(60))), "Get-SesAccount", 1, false),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        public static TheoryData<string> All => new TheoryData<string>
        {
            "Wait-SesDomainVerification", "Wait-SesEmailVerification", "Get-SesVerificationLink -Wait", "New-AuroraServerlessCluster -Wait",
            "Invoke-AuroraSql resuming", "Wait-SesEmailVerification, hanging", "Get-SesAccount, hanging",
        };

        public static TheoryData<string> Waits => new TheoryData<string>
        {
            "Wait-SesDomainVerification", "Wait-SesEmailVerification", "Get-SesVerificationLink -Wait", "New-AuroraServerlessCluster -Wait",
            "Invoke-AuroraSql resuming", "Wait-SesEmailVerification, hanging",
        };

        [Theory]
        [MemberData(nameof(All))]
        public void Ctrl_c_returns_within_a_second(string name)
        {
            var (factory, script, requests, isWait) = Case(name);
            using var server = factory();
            var (r, took) = StopDuring(server, script, requests, waitForProgress: isWait && !name.Contains("hanging"));
            AssertStoppedPromptly(r, took);
            // Every bar the wait opened is closed, although PowerShell refuses Write-Progress once Ctrl+C came.
            if (isWait && !name.Contains("hanging")) AssertCompletedProgress(r);
            Assert.DoesNotContain(server.Requests, q => q.BodyText.Contains("Action=Create"));
        }

    }

    /// <summary>
    /// Tests that time how fast something answers run alone, after the parallel ones: on 2 cores with four test
    /// classes at work (the fault suite among them) they would time the test runner, not the module.
    /// </summary>
    [CollectionDefinition(Collection, DisableParallelization = true)]
    public sealed class Timing
    {
        public const string Collection = "Timing";
    }
}
