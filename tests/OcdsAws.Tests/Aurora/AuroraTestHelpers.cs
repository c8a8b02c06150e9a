using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Tests.Infrastructure;

namespace OcdsAws.Tests.Aurora
{
    /// <summary>What the Aurora safety, bastion and SQL -WhatIf tests share: their region, @aws, and boto3's view of RDS.</summary>
    internal static class AuroraTestHelpers
    {
        public const string Region = "ap-northeast-2";

        public static Dictionary<string, object?> Vars(params (string, object?)[] more) => ScriptVariables.For(Region, null, more);

        public static object? Prop(PSObject o, string name) => o.Properties[name]?.Value;

        public static JsonNode? Cluster(string id)
        {
            var r = Witness.TryCall("rds", "describe_db_clusters", new JsonObject { ["DBClusterIdentifier"] = id }, Region);
            return r["result"]?["DBClusters"]?[0];
        }

        public static JsonArray Instances(string id)
            => Witness.Call("rds", "describe_db_instances", new JsonObject { ["Filters"] = new JsonArray(new JsonObject { ["Name"] = "db-cluster-id", ["Values"] = new JsonArray(id) }) }, Region)["DBInstances"]!.AsArray();

        public static IEnumerable<string> Calls(PsResult r) => r.Verbose.Where(v => v.StartsWith("AWS call:", StringComparison.Ordinal));
    }
}
