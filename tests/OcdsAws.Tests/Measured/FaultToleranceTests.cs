using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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
    public sealed class FaultToleranceTests
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

        private static Dictionary<string, object?> Vars(string region, string endpoint, params (string, object?)[] more)
        {
            var vars = new Dictionary<string, object?>
            {
                ["aws"] = new System.Collections.Hashtable
                {
                    ["AccessKey"] = TestBed.AccessKey, ["SecretKey"] = TestBed.SecretKey, ["EndpointUrl"] = endpoint, ["Region"] = region,
                },
            };
            foreach (var (k, v) in more) vars[k] = v;
            return vars;
        }

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

        private static readonly string[] NetworkChanges = { "CreateVpc", "CreateSubnet", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "CreateDBSubnetGroup" };

        [Fact]
        public void New_AuroraNetwork_survives_faults_within_the_budget_without_duplicates()
        {
            const string region = "ca-central-1";
            var name = TestBed.Unique("fault-net");
            using var proxy = new FaultProxy(TestBed.Endpoint, NetworkChanges.Select((op, i) => WithinBudget[i % WithinBudget.Length](op))
                .Append(new Fault("DescribeVpcs", FaultKind.Throttle, 1)).ToArray());

            var r = PowerShellHost.Run("New-AuroraNetwork -Name $name @aws", Vars(region, proxy.Url, ("name", name)));

            Log(proxy, r);
            Assert.Empty(r.Errors);
            Assert.True(proxy.Injected >= NetworkChanges.Length + 1, $"{proxy.Injected} faults injected");
            AssertOneNetwork(region, name);
        }
    }
}
