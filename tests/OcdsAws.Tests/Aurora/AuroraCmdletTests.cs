using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Aurora;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aurora
{
    /// <summary>
    /// The Aurora section against moto (signature checking on), read back with boto3. The counting test uses
    /// ap-southeast-2, which no other test class uses; the rest use unique names in ap-northeast-2. Both are
    /// regions moto's RDS Data backend has (it follows botocore's endpoint list, which lacks e.g. eu-north-1).
    /// </summary>
    public sealed class AuroraCmdletTests
    {
        private const string CountRegion = "ap-southeast-2";
        private const string Region = "ap-northeast-2";

        private static Dictionary<string, object?> Vars(string region, params (string, object?)[] more)
            => ScriptVariables.For(region, null, more);

        private static JsonObject P(string name, params string[] values)
            => new JsonObject { ["Filters"] = new JsonArray(new JsonObject { ["Name"] = name, ["Values"] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()) }) };

        private static JsonArray Ec2(string method, string key, JsonObject? parameters, string region) => Witness.Call("ec2", method, parameters, region)[key]!.AsArray();

        /// <summary>How many of each resource the region holds (the section must not add any on a re-run).</summary>
        private static (int Vpcs, int Subnets, int Groups, int SubnetGroups, int Clusters, int Instances) Counts(string region) => (
            Ec2("describe_vpcs", "Vpcs", null, region).Count,
            Ec2("describe_subnets", "Subnets", null, region).Count,
            Ec2("describe_security_groups", "SecurityGroups", null, region).Count,
            Witness.Call("rds", "describe_db_subnet_groups", null, region)["DBSubnetGroups"]!.AsArray().Count,
            Witness.Call("rds", "describe_db_clusters", null, region)["DBClusters"]!.AsArray().Count,
            Witness.Call("rds", "describe_db_instances", null, region)["DBInstances"]!.AsArray().Count);

        private const string Section =
            "$net = New-AuroraNetwork -Name $name @aws\n" +
            "$cluster = $net | New-AuroraServerlessCluster -DBClusterIdentifier $cluster -Wait @aws\n" +
            "$net; $cluster\n";

        [Fact]
        public void The_section_builds_the_runbook_database_re_runs_create_nothing_and_remove_leaves_nothing()
            => Story.Run(step =>
            {
                step("The whole section: network, cluster (-Wait), Data API");
                var name = TestBed.Unique("net");
                var clusterId = TestBed.Unique("ocds");
                var vars = Vars(CountRegion, ("name", name), ("cluster", clusterId));
                var before = Counts(CountRegion);

                var r = PowerShellHost.Run(Section, vars);

                Assert.Empty(r.Errors);
                var net = (AuroraNetwork)r.Output[0].BaseObject;
                var cluster = (AuroraCluster)r.Output[1].BaseObject;
                Assert.Contains(r.Progress, p => p.ActivityId == AuroraClusterService.WaitActivityId && p.RecordType == ProgressRecordType.Completed); // -Wait's progress ends

                step("The network, read back by boto3");
                // The network, read back by boto3.
                var vpc = Ec2("describe_vpcs", "Vpcs", new JsonObject { ["VpcIds"] = new JsonArray(net.VpcId) }, CountRegion).Single()!;
                Assert.Equal("10.0.0.0/16", (string)vpc["CidrBlock"]!);
                Assert.Contains(vpc["Tags"]!.AsArray(), t => (string)t!["Key"]! == "Name" && (string)t["Value"]! == name);
                var subnets = Ec2("describe_subnets", "Subnets", P("vpc-id", net.VpcId), CountRegion).Select(s => s!).ToList();
                Assert.Equal(new[] { "10.0.1.0/24", "10.0.2.0/24" }, subnets.Select(s => (string)s["CidrBlock"]!).OrderBy(c => c));
                Assert.Equal(2, subnets.Select(s => (string)s["AvailabilityZone"]!).Distinct().Count());
                Assert.Equal(net.SubnetIds.OrderBy(s => s), subnets.Select(s => (string)s["SubnetId"]!).OrderBy(s => s));
                var group = Ec2("describe_security_groups", "SecurityGroups", new JsonObject { ["GroupIds"] = new JsonArray(net.SecurityGroupId) }, CountRegion).Single()!;
                var rule = Assert.Single(group["IpPermissions"]!.AsArray())!;
                Assert.Equal(("tcp", 5432, 5432), ((string)rule["IpProtocol"]!, (int)rule["FromPort"]!, (int)rule["ToPort"]!));
                Assert.Equal("10.0.0.0/16", (string)Assert.Single(rule["IpRanges"]!.AsArray())!["CidrIp"]!);
                var subnetGroup = Witness.Call("rds", "describe_db_subnet_groups", new JsonObject { ["DBSubnetGroupName"] = net.DBSubnetGroupName }, CountRegion)["DBSubnetGroups"]![0]!;
                Assert.Equal(net.VpcId, (string)subnetGroup["VpcId"]!);
                Assert.Equal(net.SubnetIds.OrderBy(s => s), subnetGroup["Subnets"]!.AsArray().Select(s => (string)s!["SubnetIdentifier"]!).OrderBy(s => s));

                step("The cluster and its instance");
                // The cluster and its instance.
                var c = Witness.Call("rds", "describe_db_clusters", new JsonObject { ["DBClusterIdentifier"] = clusterId }, CountRegion)["DBClusters"]![0]!;
                Assert.Equal("aurora-postgresql", (string)c["Engine"]!);
                Assert.Equal("16.4", (string)c["EngineVersion"]!); // the companion's newest with auto-pause and the Data API
                Assert.Equal("provisioned", (string)c["EngineMode"]!);
                Assert.Equal((0.0, 2.0, 3600), ((double)c["ServerlessV2ScalingConfiguration"]!["MinCapacity"]!, (double)c["ServerlessV2ScalingConfiguration"]!["MaxCapacity"]!, (int)c["ServerlessV2ScalingConfiguration"]!["SecondsUntilAutoPause"]!));
                Assert.Equal("common", (string)c["DatabaseName"]!);
                Assert.Equal(1, (int)c["BackupRetentionPeriod"]!);
                Assert.True((bool)c["StorageEncrypted"]!);
                Assert.True((bool)c["HttpEndpointEnabled"]!);
                Assert.StartsWith("arn:aws:secretsmanager:", (string)c["MasterUserSecret"]!["SecretArn"]!);
                Assert.Equal(net.DBSubnetGroupName, (string)c["DBSubnetGroup"]!);
                Assert.Equal(net.SecurityGroupId, (string)c["VpcSecurityGroups"]![0]!["VpcSecurityGroupId"]!);
                var instance = Witness.Call("rds", "describe_db_instances", new JsonObject { ["DBInstanceIdentifier"] = clusterId + "-1" }, CountRegion)["DBInstances"]![0]!;
                Assert.Equal(("db.serverless", clusterId, false), ((string)instance["DBInstanceClass"]!, (string)instance["DBClusterIdentifier"]!, (bool)instance["PubliclyAccessible"]!));

                Assert.Equal((c["MasterUserSecret"]!["SecretArn"]!.ToString(), true, 3600, 0.0), (cluster.MasterUserSecretArn, cluster.HttpEndpointEnabled, cluster.SecondsUntilAutoPause, cluster.MinCapacity));
                step("The managed password stays in Secrets Manager");
                // The managed password stays in Secrets Manager: no stream carries it.
                var password = (string)Witness.Call("secretsmanager", "get_secret_value", new JsonObject { ["SecretId"] = cluster.MasterUserSecretArn }, CountRegion)["SecretString"]!;
                Assert.DoesNotContain(JsonNode.Parse(password)!["password"]!.ToString(), r.AllText());
                var after = Counts(CountRegion);
                Assert.Equal((before.Vpcs + 1, before.Subnets + 2, before.Groups + 2, before.SubnetGroups + 1, before.Clusters + 1, before.Instances + 1), after); // + the VPC's default group

                step("Re-running the whole section creates nothing");
                // Re-running the whole section creates nothing; -WhatIf calls nothing.
                var rerun = PowerShellHost.Run(Section.Replace("@aws", "@aws -Verbose"), vars);
                Assert.Empty(rerun.Errors);
                Assert.Equal(after, Counts(CountRegion));
                Assert.Equal(net.VpcId, ((AuroraNetwork)rerun.Output[0].BaseObject).VpcId);
                Assert.Contains(rerun.Verbose, v => v.Contains("already exists"));
                Assert.DoesNotContain(rerun.Verbose, v => v.Contains("AWS call:") && v.Contains("Create"));
                var whatIf = PowerShellHost.Run("New-AuroraNetwork -Name x$name @aws -WhatIf -Verbose; New-AuroraServerlessCluster -DBClusterIdentifier x$cluster -DBSubnetGroupName x -SecurityGroupId sg-12345678 @aws -WhatIf -Verbose;" +
                    "Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Force -WhatIf @aws -Verbose; Remove-AuroraNetwork $name -Force -WhatIf @aws -Verbose", vars);
                Assert.Empty(whatIf.Errors);
                Assert.Equal(0, whatIf.AwsCalls);
                Assert.Equal(after, Counts(CountRegion));

                step("The Data API through the pipeline (moto answers ExecuteStatement with no rows)");
                // The Data API through the pipeline (moto answers ExecuteStatement with no rows).
                var sql = PowerShellHost.Run("Get-Variable -ValueOnly c | Invoke-AuroraSql 'select 1 as one' @aws -Verbose", Vars(CountRegion, ("c", cluster)));
                Assert.Empty(sql.Errors);
                Assert.Equal(1, sql.AwsCalls); // ExecuteStatement only: the pipeline gave the ARNs

                step("The network of a live cluster is not torn down, and nothing of it is deleted");
                // The network of a live cluster is not torn down, and nothing of it is deleted.
                var inUse = PowerShellHost.Run("Remove-AuroraNetwork -Name $name -Force @aws", vars);
                Assert.StartsWith("OcdsAws.NetworkInUse", Assert.Single(inUse.Errors).FullyQualifiedErrorId);
                Assert.Equal(after, Counts(CountRegion));

                step("Teardown leaves nothing");
                // Teardown leaves nothing; a second teardown finds nothing to do.
                var remove = PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Wait -Force @aws; Remove-AuroraNetwork -Name $name -Force @aws", vars);
                Assert.Empty(remove.Errors);
                var deleted = remove.Output.Select(o => (AuroraDeletedResource)o.BaseObject).ToList();
                Assert.Contains(deleted, d => d.ResourceType == "DBCluster" && d.ResourceId == clusterId);
                Assert.Contains(deleted, d => d.ResourceType == "DBInstance" && d.ResourceId == clusterId + "-1");
                Assert.Contains(deleted, d => d.ResourceType == "Vpc" && d.ResourceId == net.VpcId);
                Assert.Equal(2, deleted.Count(d => d.ResourceType == "Subnet"));
                Assert.Contains(deleted, d => d.ResourceType == "DBSubnetGroup" && d.ResourceId == net.DBSubnetGroupName);
                Assert.Equal(before, Counts(CountRegion));
                var twice = PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Force @aws; Remove-AuroraNetwork -Name $name -Force @aws", vars);
                Assert.Empty(twice.Errors);
                Assert.Empty(twice.Output);
            });

        [Theory]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier 1abc", "InvalidDBClusterIdentifier")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ab--c", "InvalidDBClusterIdentifier")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier abc-", "InvalidDBClusterIdentifier")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ab_c", "InvalidDBClusterIdentifier")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier a123456789012345678901234567890123456789012345678901234567890123", "InvalidDBClusterIdentifier")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -DatabaseName 1db", "InvalidDatabaseName")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -DatabaseName template1", "InvalidDatabaseName")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -DatabaseName my-db", "InvalidDatabaseName")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -MinCapacity -1", "InvalidCapacity")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -MaxCapacity 257", "InvalidCapacity")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -MaxCapacity 2.3", "InvalidCapacity")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -MinCapacity 4 -MaxCapacity 2", "InvalidCapacity")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -AutoPauseAfter 00:04:59", "InvalidAutoPause")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -AutoPauseAfter 1.00:00:01", "InvalidAutoPause")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -BackupRetentionPeriod 0", "InvalidBackupRetentionPeriod")]
        [InlineData("New-AuroraServerlessCluster -DBClusterIdentifier ok -MasterUsername rdsadmin", "InvalidMasterUsername")]
        [InlineData("New-AuroraNetwork -Name n -CidrBlock 10.0.0.0/33", "InvalidCidrBlock")]
        [InlineData("New-AuroraNetwork -Name n -CidrBlock 10.0.0.1/16", "InvalidCidrBlock")]
        [InlineData("New-AuroraNetwork -Name n -CidrBlock 10.0.0.0/8", "InvalidCidrBlock")]
        [InlineData("New-AuroraNetwork -Name n -SubnetCidrBlock 10.1.1.0/24,10.0.2.0/24", "SubnetOutsideVpc")]
        [InlineData("New-AuroraNetwork -Name n -SubnetCidrBlock 10.0.1.0/24,10.0.1.128/25", "OverlappingSubnets")]
        [InlineData("New-AuroraNetwork -Name n -SubnetCidrBlock 10.0.1.0/24", "TooFewSubnets")]
        [InlineData("New-AuroraNetwork -Name n -AvailabilityZone ap-northeast-2a,ap-northeast-2a", "TooFewZones")]
        [InlineData("New-AuroraNetwork -Name n -AvailabilityZone ap-northeast-2a", "ZoneCountMismatch")]
        [InlineData("New-AuroraNetwork -Name n -AllowedCidr 300.0.0.0/8", "InvalidCidrBlock")]
        [InlineData("Remove-AuroraServerlessCluster -DBClusterIdentifier ok -FinalSnapshotIdentifier bad--name -Force", "InvalidDBClusterIdentifier")]
        [InlineData("Remove-AuroraNetwork -VpcId nope -Force", "InvalidVpcId")]
        [InlineData("Invoke-AuroraSql 'select 1'", "ClusterRequired")]
        public void Bad_input_fails_clearly_with_no_aws_call(string command, string errorId)
        {
            var r = PowerShellHost.Run(command + " @aws -Verbose", Vars(Region));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws." + errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, r.AwsCalls);
        }

        [Fact]
        public void Allowing_postgresql_from_anywhere_works_but_warns()
        {
            var name = TestBed.Unique("any");
            var vars = Vars(Region, ("name", name));
            var r = PowerShellHost.Run("New-AuroraNetwork -Name $name -AllowedCidr 0.0.0.0/0 @aws", vars);
            Assert.Empty(r.Errors);
            Assert.Contains(r.Warnings, w => w.Contains("0.0.0.0/0"));
            var net = (AuroraNetwork)r.Output.Single().BaseObject;
            var group = Ec2("describe_security_groups", "SecurityGroups", new JsonObject { ["GroupIds"] = new JsonArray(net.SecurityGroupId) }, Region).Single()!;
            Assert.Equal("0.0.0.0/0", (string)group["IpPermissions"]![0]!["IpRanges"]![0]!["CidrIp"]!);
            Assert.Empty(PowerShellHost.Run("Remove-AuroraNetwork $name -Force @aws", vars).Errors);
            Assert.Empty(Ec2("describe_vpcs", "Vpcs", P("tag:Name", name), Region));
        }

        [Fact]
        public void An_existing_cluster_missing_its_instance_and_data_api_is_completed_not_duplicated()
        {
            var name = TestBed.Unique("cmp");
            var clusterId = TestBed.Unique("cmp");
            var vars = Vars(Region, ("name", name), ("cluster", clusterId));
            var first = PowerShellHost.Run("New-AuroraNetwork -Name $name @aws | New-AuroraServerlessCluster -DBClusterIdentifier $cluster -NoDataApi @aws", vars);
            Assert.Empty(first.Errors);
            Assert.False(((AuroraCluster)first.Output.Single().BaseObject).HttpEndpointEnabled);
            Witness.Call("rds", "delete_db_instance", new JsonObject { ["DBInstanceIdentifier"] = clusterId + "-1" }, Region);

            var r = PowerShellHost.Run("New-AuroraServerlessCluster -DBClusterIdentifier $cluster @aws -Verbose", vars);

            Assert.Empty(r.Errors);
            var cluster = (AuroraCluster)r.Output.Single().BaseObject;
            Assert.True(cluster.HttpEndpointEnabled);
            Assert.Single(Witness.Call("rds", "describe_db_clusters", null, Region)["DBClusters"]!.AsArray(), c => (string)c!["DBClusterIdentifier"]! == clusterId);
            Assert.Contains(r.Verbose, v => v.StartsWith("AWS call:") && v.Contains("CreateDBInstance"));
            Assert.DoesNotContain(r.Verbose, v => v.StartsWith("AWS call:") && v.Contains("CreateDBCluster"));

            var remove = PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -FinalSnapshotIdentifier ($cluster + '-final') -Wait -Force @aws; Remove-AuroraNetwork $name -Force @aws", vars);
            Assert.Empty(remove.Errors);
            Assert.Equal("error", Witness.TryCall("rds", "describe_db_clusters", new JsonObject { ["DBClusterIdentifier"] = clusterId }, Region).AsObject().Single().Key);
        }

        [Fact]
        public void A_new_cluster_gets_the_data_api_from_CreateDBCluster_with_no_second_call()
        {
            var name = TestBed.Unique("api");
            var clusterId = TestBed.Unique("api");
            var vars = Vars(Region, ("name", name), ("cluster", clusterId));

            var r = PowerShellHost.Run("New-AuroraNetwork -Name $name @aws | New-AuroraServerlessCluster -DBClusterIdentifier $cluster @aws -Verbose", vars);

            Assert.Empty(r.Errors);
            Assert.True(((AuroraCluster)r.Output.Single().BaseObject).HttpEndpointEnabled);
            Assert.True((bool)Witness.Call("rds", "describe_db_clusters", new JsonObject { ["DBClusterIdentifier"] = clusterId }, Region)["DBClusters"]![0]!["HttpEndpointEnabled"]!);
            Assert.Single(r.Verbose, v => v.StartsWith("AWS call:") && v.Contains("CreateDBCluster"));
            Assert.DoesNotContain(r.Verbose, v => v.StartsWith("AWS call:") && v.Contains("EnableHttpEndpoint"));

            var again = PowerShellHost.Run("New-AuroraServerlessCluster -DBClusterIdentifier $cluster @aws -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.DoesNotContain(again.Verbose, v => v.StartsWith("AWS call:") && (v.Contains("Create") || v.Contains("EnableHttpEndpoint")));

            Assert.Empty(PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Wait -Force @aws; Remove-AuroraNetwork $name -Force @aws", vars).Errors);
        }

        [Fact]
        public void The_bastion_gets_a_public_subnet_of_its_own_ssh_from_the_allowed_block_only_and_a_tunnel_line()
        {
            var name = TestBed.Unique("bst");
            var clusterId = TestBed.Unique("bst");
            var vars = Vars(Region, ("name", name), ("cluster", clusterId));
            const string Script = "$net = New-AuroraNetwork -Name $name @aws; $c = $net | New-AuroraServerlessCluster -DBClusterIdentifier $cluster @aws; $net | New-AuroraBastion -AllowedSshCidr 203.0.113.7/32 -KeyName ops -DBClusterIdentifier $cluster @aws -Verbose; $net; $c";

            var r = PowerShellHost.Run(Script, vars);

            Assert.Empty(r.Errors);
            var bastion = (AuroraBastion)r.Output[0].BaseObject;
            var net = (AuroraNetwork)r.Output[1].BaseObject;
            var cluster = (AuroraCluster)r.Output[2].BaseObject;
            Assert.Equal($"ssh -i \"$HOME/.ssh/ops.pem\" -N -L 5432:{cluster.Endpoint}:5432 ec2-user@{bastion.PublicDnsName}", bastion.SshTunnelCommand);
            Assert.Equal(net.SecurityGroupId, bastion.SecurityGroupId);

            var instance = Ec2("describe_instances", "Reservations", new JsonObject { ["InstanceIds"] = new JsonArray(bastion.InstanceId) }, Region)[0]!["Instances"]![0]!;
            Assert.Equal(("t3.micro", "ops", bastion.SubnetId), ((string)instance["InstanceType"]!, (string)instance["KeyName"]!, (string)instance["SubnetId"]!));
            var ami = (string)Witness.Call("ssm", "get_parameter", new JsonObject { ["Name"] = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }, Region)["Parameter"]!["Value"]!;
            Assert.Equal(ami, (string)instance["ImageId"]!);
            Assert.Equal("required", (string)instance["MetadataOptions"]!["HttpTokens"]!);

            var sshGroup = Ec2("describe_security_groups", "SecurityGroups", new JsonObject { ["GroupIds"] = new JsonArray(bastion.BastionSecurityGroupId) }, Region).Single()!;
            var ssh = Assert.Single(sshGroup["IpPermissions"]!.AsArray())!;
            Assert.Equal((22, "203.0.113.7/32"), ((int)ssh["FromPort"]!, (string)Assert.Single(ssh["IpRanges"]!.AsArray())!["CidrIp"]!));
            var dbGroup = Ec2("describe_security_groups", "SecurityGroups", new JsonObject { ["GroupIds"] = new JsonArray(net.SecurityGroupId) }, Region).Single()!;
            Assert.Contains(dbGroup["IpPermissions"]!.AsArray(), p => (int)p!["FromPort"]! == 5432 && p["UserIdGroupPairs"]!.AsArray().Any(g => (string)g!["GroupId"]! == bastion.BastionSecurityGroupId));

            // Only the bastion's subnet routes to the internet gateway; the database subnets stay private.
            var tables = Ec2("describe_route_tables", "RouteTables", P("vpc-id", net.VpcId), Region).Select(t => t!).ToList();
            var publicTable = tables.Single(t => t["Routes"]!.AsArray().Any(x => (string?)x!["GatewayId"] == bastion.InternetGatewayId));
            Assert.Equal(new[] { bastion.SubnetId }, publicTable["Associations"]!.AsArray().Select(a => (string?)a!["SubnetId"]).Where(x => x != null));
            Assert.DoesNotContain(net.SubnetIds, s => publicTable["Associations"]!.AsArray().Any(a => (string?)a!["SubnetId"] == s));
            var subnet = Ec2("describe_subnets", "Subnets", new JsonObject { ["SubnetIds"] = new JsonArray(bastion.SubnetId) }, Region).Single()!;
            Assert.Equal("10.0.0.0/24", (string)subnet["CidrBlock"]!);

            // Again: nothing new. -WhatIf: no call. SSH from anywhere needs -Force.
            var again = PowerShellHost.Run("New-AuroraBastion -Name $name -AllowedSshCidr 203.0.113.7/32 -KeyName ops @aws -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.Equal(bastion.InstanceId, ((AuroraBastion)again.Output.Single().BaseObject).InstanceId);
            Assert.DoesNotContain(again.Verbose, v => v.StartsWith("AWS call:") && (v.Contains("Create") || v.Contains("RunInstances") || v.Contains("Authorize")));
            var whatIf = PowerShellHost.Run("New-AuroraBastion -Name $name -AllowedSshCidr 198.51.100.0/24 @aws -WhatIf -Verbose", vars);
            Assert.Equal(0, whatIf.AwsCalls);
            var anywhere = PowerShellHost.Run("New-AuroraBastion -Name $name -AllowedSshCidr 0.0.0.0/0 @aws -Verbose", vars);
            Assert.StartsWith("OcdsAws.SshFromAnywhere", Assert.Single(anywhere.Errors).FullyQualifiedErrorId);
            Assert.Equal(0, anywhere.AwsCalls);

            var remove = PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Wait -Force @aws; Remove-AuroraNetwork $name -Force @aws", vars);
            Assert.Empty(remove.Errors);
            var deleted = remove.Output.Select(o => (AuroraDeletedResource)o.BaseObject).ToList();
            Assert.Contains(deleted, d => d.ResourceType == "Instance" && d.ResourceId == bastion.InstanceId);
            Assert.Contains(deleted, d => d.ResourceType == "InternetGateway" && d.ResourceId == bastion.InternetGatewayId);
            Assert.Contains(deleted, d => d.ResourceType == "RouteTable" && d.ResourceId == bastion.RouteTableId);
            Assert.Empty(Ec2("describe_vpcs", "Vpcs", P("tag:Name", name), Region));
            Assert.Empty(Ec2("describe_internet_gateways", "InternetGateways", new JsonObject { ["InternetGatewayIds"] = new JsonArray() , ["Filters"] = new JsonArray(new JsonObject { ["Name"] = "internet-gateway-id", ["Values"] = new JsonArray(bastion.InternetGatewayId) }) }, Region));
        }

        [Fact]
        public void A_named_engine_version_without_auto_pause_is_refused_before_creating()
        {
            var r = PowerShellHost.Run("New-AuroraServerlessCluster -DBClusterIdentifier $cluster -DBSubnetGroupName x -SecurityGroupId sg-12345678 -EngineVersion 15.3 @aws -Verbose",
                Vars(Region, ("cluster", TestBed.Unique("old"))));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.EngineVersionNoAutoPause", error.FullyQualifiedErrorId);
            Assert.Equal(2, r.AwsCalls); // DescribeDBClusters, DescribeDBEngineVersions
        }
    }

    /// <summary>Where AWS's Data API table says there is no Data API: refused before any AWS call.</summary>
    public sealed class AuroraDataApiAvailabilityTests
    {
        [Theory]
        [InlineData("12.22", false)]
        [InlineData("13.10", false)]
        [InlineData("13.11", true)]
        [InlineData("16.0", false)]
        [InlineData("16.1", true)]
        [InlineData("17.3", false)]
        [InlineData("17.4", true)]
        [InlineData("18.2", false)]
        [InlineData("18.3", true)]
        [InlineData("19.1", false)] // a major the table does not list is not assumed to have it
        public void Data_api_support_follows_the_table_version_by_version(string version, bool expected)
            => Assert.Equal(expected, AuroraClusterService.SupportsDataApi(version));

        [Theory]
        [InlineData("ap-south-2", "Hyderabad")]
        [InlineData("ap-southeast-4", "Melbourne")]
        [InlineData("ap-southeast-6", "New Zealand")]
        public void A_region_without_the_data_api_is_refused_with_no_aws_call_unless_NoDataApi(string region, string name)
        {
            var vars = new Dictionary<string, object?>
            {
                ["aws"] = ScriptVariables.For(region)["aws"],
                ["cluster"] = TestBed.Unique("noapi"),
            };
            const string Create = "New-AuroraServerlessCluster -DBClusterIdentifier $cluster -DBSubnetGroupName x -SecurityGroupId sg-12345678 @aws -Verbose";

            var r = PowerShellHost.Run(Create, vars);

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.DataApiNotInRegion", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(region, error.Exception.Message);
            Assert.Contains(name, error.Exception.Message);
            Assert.Contains("-NoDataApi", error.Exception.Message);
            Assert.Equal(0, r.AwsCalls);

            var without = PowerShellHost.Run(Create + " -NoDataApi -WhatIf", vars);
            Assert.Empty(without.Errors);
            Assert.Equal(0, without.AwsCalls);
        }
    }

    /// <summary>The engine version choice, against the companion's DescribeDBEngineVersions.</summary>
    public sealed class AuroraEngineVersionTests
    {
        private static AuroraClusterService Service(OcdsAws.Aws.AwsClientFactory clients) => new AuroraClusterService(clients, NullReporter.Instance);

        [Theory]
        [InlineData(0.0, true, "16.4")]
        [InlineData(0.5, true, "16.4")]
        [InlineData(0.0, false, "16.4")]
        public async System.Threading.Tasks.Task The_default_is_the_newest_version_with_auto_pause_and_the_data_api(double min, bool dataApi, string expected)
        {
            using var clients = TestBed.Clients("ap-northeast-2");
            Assert.Equal(expected, await Service(clients).ChooseEngineVersionAsync(null, min, dataApi, System.Threading.CancellationToken.None));
        }

        [Theory]
        [InlineData("14.12", 0.0, true, null)]
        [InlineData("13.12", 0.5, false, null)]
        [InlineData("13.12", 0.0, true, "EngineVersionNoAutoPause")]
        [InlineData("16.1", 0.0, true, "EngineVersionNoAutoPause")]
        [InlineData("16.1", 0.5, true, null)]
        [InlineData("9.6", 0.5, false, "UnknownEngineVersion")]
        public async System.Threading.Tasks.Task A_named_version_is_checked_against_what_aws_says_it_supports(string version, double min, bool dataApi, string? errorId)
        {
            using var clients = TestBed.Clients("ap-northeast-2");
            var choose = Service(clients).ChooseEngineVersionAsync(version, min, dataApi, System.Threading.CancellationToken.None);
            if (errorId == null) Assert.Equal(version, await choose);
            else Assert.Equal(errorId, (await Assert.ThrowsAsync<ValidationException>(() => choose)).ErrorId);
        }
    }
}
