using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Tests.Infrastructure;
using Xunit;
using static OcdsAws.Tests.Aurora.AuroraTestHelpers;

namespace OcdsAws.Tests.Aurora
{
    /// <summary>
    /// Issue #15 items 3, 13 (Aurora part) and 14: what Remove-AuroraServerlessCluster refuses and says, deletion protection and
    /// tags, Get-AuroraServerlessCluster. Unique names in ap-northeast-2, read back
    /// with boto3. Properties are read by name (PSObject) so the tests say what a user sees.
    /// </summary>
    public sealed class AuroraClusterSafetyTests
    {
        [Fact]
        public void Deletion_protection_is_on_by_default_tags_are_set_and_only_Force_turns_protection_off_to_delete()
        {
            var name = TestBed.Unique("dp");
            var id = TestBed.Unique("dp");
            var vars = Vars(("name", name), ("cluster", id));

            var created = PowerShellHost.Run("New-AuroraNetwork -Name $name @aws | New-AuroraServerlessCluster -DBClusterIdentifier $cluster -Tag @{ Project = 'ocds'; Owner = 'data team' } @aws", vars);

            Assert.Empty(created.Errors);
            var c = Cluster(id)!;
            Assert.True((bool)c["DeletionProtection"]!);
            var tags = c["TagList"]!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => (string)t!["Value"]!);
            Assert.Equal("ocds", tags["Project"]);
            Assert.Equal("data team", tags["Owner"]);
            Assert.Equal(id, tags["ocdsaws:aurora-cluster"]);
            var instanceTags = Instances(id).Single()!["TagList"]!.AsArray().Select(t => (string)t!["Key"]!).ToList();
            Assert.Contains("Project", instanceTags);
            Assert.Contains("ocdsaws:aurora-cluster", instanceTags);
            var cluster = created.Output.Single();
            Assert.Equal(true, Prop(cluster, "DeletionProtection"));
            Assert.Equal("postgres", Prop(cluster, "MasterUsername"));
            var secretArn = (string)c["MasterUserSecret"]!["SecretArn"]!;
            var passwordCommand = (string)Prop(cluster, "PasswordCommand")!;
            Assert.Contains(secretArn, passwordCommand);
            Assert.Contains("$env:PGPASSWORD", passwordCommand);
            var password = (string)JsonNode.Parse((string)Witness.Call("secretsmanager", "get_secret_value", new JsonObject { ["SecretId"] = secretArn }, Region)["SecretString"]!)!["password"]!;
            Assert.DoesNotContain(password, created.AllText());

            // Without -Force a protected cluster is refused before anything is deleted: its instance stays, protection stays on.
            var refused = PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Confirm:$false @aws -Verbose", vars);
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("OcdsAws.DeletionProtected", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("-Force", error.Exception.Message);
            Assert.All(Calls(refused), v => Assert.Contains("DescribeDBClusters", v));
            Assert.True((bool)Cluster(id)!["DeletionProtection"]!);
            Assert.Single(Instances(id));

            // -Force turns protection off first, then deletes; the result says deletion started and what AWS answered.
            var removed = PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Force @aws -Verbose", vars);
            Assert.Empty(removed.Errors);
            var calls = Calls(removed).ToList();
            var modify = calls.FindIndex(v => v.Contains("ModifyDBCluster"));
            Assert.True(modify >= 0 && modify < calls.FindIndex(v => v.Contains("DeleteDBInstance")), string.Join("\n", calls));
            var deleted = removed.Output.Single(o => (string)Prop(o, "ResourceType")! == "DBCluster");
            Assert.Equal("deleting", Prop(deleted, "Status"));
            Assert.Equal("available", Prop(deleted, "AwsStatus")); // moto's answer, passed on verbatim (AWS answers available too while it takes a final snapshot)
            Assert.Null(Cluster(id));

            Assert.Empty(PowerShellHost.Run("Remove-AuroraNetwork $name -Force @aws", vars).Errors);
        }

        [Fact]
        public void The_prompt_names_engine_size_and_snapshot_choice_and_a_re_run_keeps_protection_as_it_is()
        {
            var name = TestBed.Unique("pr");
            var id = TestBed.Unique("pr");
            var vars = Vars(("name", name), ("cluster", id));
            Assert.Empty(PowerShellHost.Run("New-AuroraNetwork -Name $name @aws | New-AuroraServerlessCluster -DBClusterIdentifier $cluster -NoDeletionProtection @aws", vars).Errors);
            Assert.False((bool)Cluster(id)!["DeletionProtection"]!);

            // A non-interactive session cannot show the prompt: its text comes back in the HostException.
            var snapshot = PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -FinalSnapshotIdentifier ($cluster + '-final') @aws", vars);
            var prompt = Assert.IsType<System.Management.Automation.Host.HostException>(Assert.Single(snapshot.Errors).Exception).Message;
            Assert.Contains("aurora-postgresql 16.4", prompt);
            Assert.Contains("0–2 ACU", prompt);
            Assert.Contains($"after final snapshot {id}-final", prompt);
            var skip = PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot @aws", vars);
            Assert.Contains("WITHOUT a final snapshot", Assert.Single(skip.Errors).Exception.Message);
            Assert.NotNull(Cluster(id));
            Assert.Single(Instances(id));

            // Re-running New- with other options changes nothing and says so.
            var again = PowerShellHost.Run("New-AuroraServerlessCluster -DBClusterIdentifier $cluster -Tag @{ Project = 'x' } @aws -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.Contains(again.Warnings, w => w.Contains("deletion protection off") && w.Contains("Project"));
            Assert.DoesNotContain(Calls(again), v => v.Contains("Modify") || v.Contains("Tags"));
            Assert.False((bool)Cluster(id)!["DeletionProtection"]!);

            Assert.Empty(PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Wait -Force @aws; Remove-AuroraNetwork $name -Force @aws", vars).Errors);
        }

        [Fact]
        public void Clusters_this_module_did_not_make_are_refused_unless_Force_names_them_and_Get_lists_and_gets()
        {
            var prefix = TestBed.Unique("fg");
            var mysql = prefix + "-mysql";
            var plain = prefix + "-pg";
            Witness.Call("rds", "create_db_cluster", new JsonObject
            {
                ["DBClusterIdentifier"] = mysql, ["Engine"] = "aurora-mysql", ["MasterUsername"] = "admin", ["MasterUserPassword"] = "not-a-real-one-1",
            }, Region);
            Witness.Call("rds", "create_db_cluster", new JsonObject
            {
                ["DBClusterIdentifier"] = plain, ["Engine"] = "aurora-postgresql", ["EngineVersion"] = "16.4", ["MasterUsername"] = "postgres", ["ManageMasterUserPassword"] = true,
                ["ServerlessV2ScalingConfiguration"] = new JsonObject { ["MinCapacity"] = 0.5, ["MaxCapacity"] = 4 },
            }, Region);
            var vars = Vars(("mysql", mysql), ("plain", plain), ("prefix", prefix));

            // Get: the region's Aurora PostgreSQL clusters (a pattern filters them); a named cluster whatever its engine; a missing one is an error.
            var list = PowerShellHost.Run("Get-AuroraServerlessCluster \"$prefix*\" @aws", vars);
            Assert.Empty(list.Errors);
            Assert.Equal(new[] { plain }, list.Output.Select(o => (string)Prop(o, "DBClusterIdentifier")!));
            Assert.Equal((4.0, Region), ((double?)Prop(list.Output[0], "MaxCapacity"), (string?)Prop(list.Output[0], "Region")));
            var all = PowerShellHost.Run("Get-AuroraServerlessCluster @aws", vars);
            Assert.Contains(all.Output, o => (string)Prop(o, "DBClusterIdentifier")! == plain);
            Assert.DoesNotContain(all.Output, o => (string)Prop(o, "DBClusterIdentifier")! == mysql);
            var named = PowerShellHost.Run("Get-AuroraServerlessCluster $mysql @aws", vars);
            Assert.Equal("aurora-mysql", Prop(named.Output.Single(), "Engine"));
            var missing = PowerShellHost.Run("Get-AuroraServerlessCluster ($prefix + '-none') @aws", vars);
            var notFound = Assert.Single(missing.Errors);
            Assert.StartsWith("OcdsAws.DBClusterNotFound", notFound.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, notFound.CategoryInfo.Category);

            // Not made by this module: refused without -Force, and refused when piped even with -Force; nothing deleted.
            foreach (var script in new[]
            {
                "Remove-AuroraServerlessCluster $mysql -SkipFinalSnapshot -Confirm:$false @aws",
                "Get-AuroraServerlessCluster $mysql @aws | Remove-AuroraServerlessCluster -SkipFinalSnapshot -Force @aws",
                "Get-AuroraServerlessCluster $plain @aws | Remove-AuroraServerlessCluster -SkipFinalSnapshot -Force @aws",
            })
            {
                var refused = PowerShellHost.Run(script + " -Verbose", vars);
                var error = Assert.Single(refused.Errors);
                Assert.StartsWith("OcdsAws.NotAnOcdsAwsCluster", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
                Assert.DoesNotContain(Calls(refused), v => v.Contains("Delete") || v.Contains("Modify"));
            }
            Assert.Equal("aurora-mysql", (string)Cluster(mysql)!["Engine"]!);
            Assert.NotNull(Cluster(plain));

            // -Force with the identifier typed: the user named it, so it goes.
            var forced = PowerShellHost.Run("Remove-AuroraServerlessCluster $mysql -SkipFinalSnapshot -Force @aws; Remove-AuroraServerlessCluster $plain -SkipFinalSnapshot -Force @aws", vars);
            Assert.Empty(forced.Errors);
            Assert.Null(Cluster(mysql));
            Assert.Null(Cluster(plain));
        }
    }
}
