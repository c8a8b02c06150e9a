using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Text.Json.Nodes;
using OcdsAws.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OcdsAws.Tests.Measured
{
    /// <summary>
    /// Issue 8, "Fault tolerance": every mutating runbook cmdlet through a loopback fault proxy in front of moto.
    /// Within Core's retry budget (3 attempts) it succeeds and makes nothing twice, even when the fault comes after
    /// moto made the change (the answer is lost); beyond the budget it fails with a clear error and a re-run finishes
    /// the job. boto3 counts what moto holds.
    /// </summary>
    public sealed partial class FaultToleranceTests
    {
        private readonly ITestOutputHelper _output;

        public FaultToleranceTests(ITestOutputHelper output) => _output = output;

        /// <summary>The fault kinds handed out in turn, one per mutating operation, each twice (within the budget of 3 attempts).</summary>
        private static readonly Func<string, Fault>[] WithinBudget =
        {
            op => new Fault(op, FaultKind.ServerError, 2, AfterForwarding: true),
            op => new Fault(op, FaultKind.Reset, 2, AfterForwarding: true),
            op => new Fault(op, FaultKind.Throttle, 2),
            op => new Fault(op, FaultKind.Unavailable, 2),
            op => new Fault(op, FaultKind.Reset, 2),
            op => new Fault(op, FaultKind.Slow, 1, Delay: TimeSpan.FromMilliseconds(700)),
        };

        private static JsonArray Ec2(string method, string key, string region, string filter, string value)
            => Witness.Call("ec2", method, new JsonObject { ["Filters"] = new JsonArray(new JsonObject { ["Name"] = filter, ["Values"] = new JsonArray(value) }) }, region)[key]!.AsArray();

        private void Log(FaultProxy proxy, PsResult r)
        {
            foreach (var q in proxy.Requests) _output.WriteLine($"{q.Operation} {(q.Fault?.ToString() ?? "ok")}{(q.Forwarded ? "" : " (not forwarded)")}");
            foreach (var e in r.Errors) _output.WriteLine("ERROR " + e.FullyQualifiedErrorId + ": " + (e.ErrorDetails?.Message ?? e.Exception.Message));
        }

        private static void AssertOneNetwork(string region, string name)
        {
            var vpc = Assert.Single(Ec2("describe_vpcs", "Vpcs", region, "tag:Name", name))!;
            var vpcId = (string)vpc["VpcId"]!;
            Assert.Equal(new[] { "10.0.1.0/24", "10.0.2.0/24" }, Ec2("describe_subnets", "Subnets", region, "vpc-id", vpcId).Select(s => (string)s!["CidrBlock"]!).OrderBy(c => c));
            var groups = Ec2("describe_security_groups", "SecurityGroups", region, "vpc-id", vpcId).Where(g => (string)g!["GroupName"]! != "default").ToList();
            var group = Assert.Single(groups)!;
            var rule = Assert.Single(group["IpPermissions"]!.AsArray())!;
            Assert.Single(rule["IpRanges"]!.AsArray());
            var subnetGroup = Witness.Call("rds", "describe_db_subnet_groups", new JsonObject { ["DBSubnetGroupName"] = name.ToLowerInvariant() }, region)["DBSubnetGroups"]![0]!;
            Assert.Equal(vpcId, (string)subnetGroup["VpcId"]!);
        }

        private static readonly Func<string, Fault>[] TurnedAway =
        {
            op => new Fault(op, FaultKind.Throttle, 2),
            op => new Fault(op, FaultKind.Unavailable, 2),
        };

        private void AssertNoErrors(PsResult r)
        {
            Assert.True(r.Terminating == null, "terminating: " + r.Terminating);
            Assert.Empty(r.Errors);
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Faults_within_the_budget_are_survived_without_duplicates(string name)
        {
            var c = CaseNamed(name);
            using var x = new Ctx(c);
            c.Prepare(x);
            var kinds = name == "Send-SesTestEmail" ? TurnedAway : WithinBudget; // a mail cannot be looked up: no ambiguous faults for it
            var faults = c.Changes.Select((op, i) => kinds[i % kinds.Length](op)).ToList();
            if (c.FirstRead != null) faults.Add(new Fault(c.FirstRead, FaultKind.Throttle, 1));
            using var proxy = new FaultProxy(TestBed.Endpoint, faults.ToArray());

            var r = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));

            Log(proxy, r);
            AssertNoErrors(r);
            foreach (var op in c.Changes.Concat(c.FirstRead == null ? Array.Empty<string>() : new[] { c.FirstRead }))
                Assert.True(proxy.Requests.Any(q => q.Operation == op && q.Fault != null), $"{op} was never faulted");
            c.AssertDone(x);
        }

        /// <summary>(case, index of one of its changes) for every change of the cases that pass <paramref name="which"/>.</summary>
        private static TheoryData<string, int> ChangesOf(Func<FaultCase, bool> which)
        {
            var data = new TheoryData<string, int>();
            foreach (var c in AllCases.Where(which))
                for (var k = 0; k < c.Changes.Length; k++) data.Add(c.Name, k);
            return data;
        }

        public static TheoryData<string, int> LostAnswerSteps => ChangesOf(c => c.Name != "Send-SesTestEmail");

        /// <summary>
        /// The rotation above gives each change one kind; this gives every change, one at a time, the case the lost-answer
        /// guard is for: moto makes the change twice over but both answers are lost, and the third attempt must not make it again.
        /// </summary>
        [Theory]
        [MemberData(nameof(LostAnswerSteps))]
        public void A_change_whose_answers_are_lost_within_the_budget_is_made_once(string name, int step)
        {
            var c = CaseNamed(name);
            using var x = new Ctx(c);
            c.Prepare(x);
            var op = c.Changes[step];
            using var proxy = new FaultProxy(TestBed.Endpoint, new Fault(op, FaultKind.ServerError, 2, AfterForwarding: true));

            var r = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));

            Log(proxy, r);
            AssertNoErrors(r);
            Assert.True(proxy.Requests.Any(q => q.Operation == op && q.Fault != null), $"{op} was never faulted");
            c.AssertDone(x);
        }

        [Theory]
        [MemberData(nameof(Names))]
        public void Beyond_the_budget_it_fails_clearly_and_a_re_run_finishes_the_job(string name)
        {
            var c = CaseNamed(name);
            using var x = new Ctx(c);
            c.Prepare(x);
            var first = c.Changes[0];
            using var proxy = new FaultProxy(TestBed.Endpoint, new Fault(first, FaultKind.Unavailable, 10));

            var r = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));

            Log(proxy, r);
            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("Aws.ServiceUnavailable", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            var message = error.ErrorDetails?.Message ?? error.Exception.Message;
            Assert.Contains("3 attempts", message);
            Assert.Contains("run the command again", message);
            Assert.Equal(3, proxy.Attempts(first)); // Core's standard budget

            proxy.SetFaults();
            var again = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));
            Log(proxy, again);
            AssertNoErrors(again);
            c.AssertDone(x);
        }

        public static TheoryData<string> LostAnswerNames => new TheoryData<string>(AllCases.Where(c => c.Name != "Send-SesTestEmail").Select(c => c.Name));

        [Theory]
        [MemberData(nameof(LostAnswerNames))]
        public void Every_answer_lost_fails_clearly_or_works_and_a_re_run_makes_nothing_twice(string name)
        {
            var c = CaseNamed(name);
            using var x = new Ctx(c);
            c.Prepare(x);
            using var proxy = new FaultProxy(TestBed.Endpoint, c.Changes.Select(op => new Fault(op, FaultKind.ServerError, 10, AfterForwarding: true)).ToArray());

            var r = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));

            Log(proxy, r);
            Assert.True(r.Terminating == null, "terminating: " + r.Terminating);
            Assert.True(proxy.Injected > 0);
            foreach (var e in r.Errors)
            {
                Assert.Matches("^(Aws|OcdsAws)\\.", e.FullyQualifiedErrorId);
                Assert.IsNotType<NullReferenceException>(e.Exception);
                Assert.IsNotType<InvalidOperationException>(e.Exception);
                Assert.False(string.IsNullOrWhiteSpace(e.ErrorDetails?.Message ?? e.Exception.Message));
            }

            proxy.SetFaults();
            var again = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));
            Log(proxy, again);
            AssertNoErrors(again);
            c.AssertDone(x);
        }

        [Fact]
        public void A_lost_answer_to_SendEmail_is_one_clear_error_and_one_message_not_two()
        {
            var c = CaseNamed("Send-SesTestEmail");
            using var x = new Ctx(c);
            c.Prepare(x);
            using var proxy = new FaultProxy(TestBed.Endpoint, new Fault("SendEmail", FaultKind.ServerError, 2, AfterForwarding: true));

            var r = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));

            Log(proxy, r);
            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.LostAnswer", error.FullyQualifiedErrorId);
            Assert.Contains("not sent again", error.ErrorDetails?.Message ?? error.Exception.Message);
            Assert.Empty(r.Output);
            Assert.Equal(1, proxy.Attempts("SendEmail"));
            c.AssertDone(x); // the one message moto received, counted once per recipient
        }

        /// <summary>The last change of a multi-step cmdlet loses every answer (the lost-answer test above never gets past the first).</summary>
        [Theory]
        [InlineData("Get-SmtpCredential")]
        [InlineData("New-AuroraNetwork")]
        [InlineData("New-SesReceiptCapture")]
        public void Every_answer_to_the_last_change_lost_then_a_re_run_makes_nothing_twice(string name)
        {
            var c = CaseNamed(name);
            using var x = new Ctx(c);
            c.Prepare(x);
            var last = c.Changes[^1];
            using var proxy = new FaultProxy(TestBed.Endpoint, new Fault(last, FaultKind.ServerError, 10, AfterForwarding: true));

            var r = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));

            Log(proxy, r);
            Assert.True(r.Terminating == null, "terminating: " + r.Terminating);
            Assert.True(proxy.Attempts(last) > 0);
            foreach (var e in r.Errors) Assert.Matches("^(Aws|OcdsAws)\\.", e.FullyQualifiedErrorId);

            proxy.SetFaults();
            var again = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url));
            Log(proxy, again);
            AssertNoErrors(again);
            c.AssertDone(x);
        }

        public static TheoryData<string, int> Steps => ChangesOf(c => c.Made != null);

        [Theory]
        [MemberData(nameof(Steps))]
        public void Interrupted_at_a_step_a_re_run_finishes_the_job(string name, int step)
        {
            var c = CaseNamed(name);
            using var x = new Ctx(c);
            c.Prepare(x);
            var hanging = c.Changes[step];
            using var proxy = new FaultProxy(TestBed.Endpoint, new Fault(hanging, FaultKind.Hang, 1));

            var r = PowerShellHost.Run(c.Script, x.VarsFor(proxy.Url), ps =>
            {
                Assert.True(SpinWait.SpinUntil(() => proxy.Requests.Any(q => q.Operation == hanging), TimeSpan.FromSeconds(30)), $"{hanging} was never sent");
                ps.Stop();
            });

            Log(proxy, r);
            Assert.IsType<PipelineStoppedException>(r.Terminating);
            var made = c.Made!(x);
            foreach (var before in c.Changes.Take(step)) Assert.Contains(before, made);
            Assert.DoesNotContain(hanging, made);

            var again = PowerShellHost.Run(c.Script, x.VarsFor(TestBed.Endpoint));
            AssertNoErrors(again);
            c.AssertDone(x);
        }
    }
}
