using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace OcdsAws.Aws.Services
{
    /// <summary>An Aurora DB cluster as DescribeDBClusters describes it.</summary>
    internal sealed class RdsCluster
    {
        public string DBClusterIdentifier { get; set; } = "";
        public string? Status { get; set; }
        public string? Engine { get; set; }
        public string? EngineVersion { get; set; }
        public string? Endpoint { get; set; }
        public string? ReaderEndpoint { get; set; }
        public int? Port { get; set; }
        public string? DatabaseName { get; set; }
        public string? DBClusterArn { get; set; }
        public int? BackupRetentionPeriod { get; set; }
        public bool HttpEndpointEnabled { get; set; }
        public double? MinCapacity { get; set; }
        public double? MaxCapacity { get; set; }
        public int? SecondsUntilAutoPause { get; set; }
        public string? MasterUserSecretArn { get; set; }
        public string? DBSubnetGroup { get; set; }
        public IReadOnlyList<string> MemberInstances { get; set; } = new string[0];
        public string? MasterUsername { get; set; }
        public bool DeletionProtection { get; set; }
        public IReadOnlyList<KeyValuePair<string, string>> Tags { get; set; } = new KeyValuePair<string, string>[0];

        public static RdsCluster From(XElement c)
        {
            var scaling = c.Element("ServerlessV2ScalingConfiguration");
            return new RdsCluster
            {
                DBClusterIdentifier = c.Text("DBClusterIdentifier") ?? "",
                Status = c.Text("Status"),
                Engine = c.Text("Engine"),
                EngineVersion = c.Text("EngineVersion"),
                Endpoint = c.Text("Endpoint"),
                ReaderEndpoint = c.Text("ReaderEndpoint"),
                Port = c.Int("Port"),
                DatabaseName = c.Text("DatabaseName"),
                DBClusterArn = c.Text("DBClusterArn"),
                BackupRetentionPeriod = c.Int("BackupRetentionPeriod"),
                HttpEndpointEnabled = c.Bool("HttpEndpointEnabled") ?? false,
                MinCapacity = scaling?.Double("MinCapacity"),
                MaxCapacity = scaling?.Double("MaxCapacity"),
                SecondsUntilAutoPause = scaling?.Int("SecondsUntilAutoPause"),
                MasterUserSecretArn = c.Element("MasterUserSecret")?.Text("SecretArn"),
                DBSubnetGroup = c.Text("DBSubnetGroup"),
                MemberInstances = c.List("DBClusterMembers", "DBClusterMember").Select(m => m.Text("DBInstanceIdentifier") ?? "").ToList(),
                MasterUsername = c.Text("MasterUsername"),
                DeletionProtection = c.Bool("DeletionProtection") ?? false,
                // DBCluster.TagList (botocore rds model): DescribeDBClusters carries the tags, no ListTagsForResource needed.
                Tags = c.List("TagList", "Tag").Select(t => new KeyValuePair<string, string>(t.Text("Key") ?? "", t.Text("Value") ?? "")).ToList(),
            };
        }
    }

    /// <summary>An Aurora engine version and what it supports.</summary>
    internal sealed class RdsEngineVersion
    {
        public string Engine { get; set; } = "";
        public string EngineVersion { get; set; } = "";
        public double? ServerlessV2MinCapacity { get; set; }
        public IReadOnlyList<string> SupportedEngineModes { get; set; } = new string[0];
    }

    /// <summary>A DB instance as DescribeDBInstances describes it.</summary>
    internal sealed class RdsInstance
    {
        public string DBInstanceIdentifier { get; set; } = "";
        public string? DBInstanceClass { get; set; }
        public string? Status { get; set; }
        public string? DBClusterIdentifier { get; set; }
        public bool PubliclyAccessible { get; set; }

        public static RdsInstance From(XElement i) => new RdsInstance
        {
            DBInstanceIdentifier = i.Text("DBInstanceIdentifier") ?? "",
            DBInstanceClass = i.Text("DBInstanceClass"),
            Status = i.Text("DBInstanceStatus"),
            DBClusterIdentifier = i.Text("DBClusterIdentifier"),
            PubliclyAccessible = i.Bool("PubliclyAccessible") ?? false,
        };
    }

    /// <summary>A DB subnet group: its VPC and subnets.</summary>
    internal sealed class RdsSubnetGroup
    {
        public string DBSubnetGroupName { get; set; } = "";
        public string? VpcId { get; set; }
        public IReadOnlyList<string> SubnetIds { get; set; } = new string[0];

        public static RdsSubnetGroup From(XElement g) => new RdsSubnetGroup
        {
            DBSubnetGroupName = g.Text("DBSubnetGroupName") ?? "",
            VpcId = g.Text("VpcId"),
            SubnetIds = g.List("Subnets", "Subnet").Select(s => s.Text("SubnetIdentifier") ?? "").ToList(),
        };
    }

    /// <summary>What CreateDBCluster needs for an Aurora Serverless v2 cluster.</summary>
    internal sealed class RdsClusterSpec
    {
        public string DBClusterIdentifier { get; set; } = "";
        public string Engine { get; set; } = "aurora-postgresql";
        public string EngineVersion { get; set; } = "";
        public string MasterUsername { get; set; } = "postgres";
        public string? DatabaseName { get; set; }
        public int BackupRetentionPeriod { get; set; } = 1;
        public string DBSubnetGroupName { get; set; } = "";
        public IReadOnlyList<string> VpcSecurityGroupIds { get; set; } = new string[0];
        public double MinCapacity { get; set; }
        public double MaxCapacity { get; set; }
        public int? SecondsUntilAutoPause { get; set; }
        public bool EnableHttpEndpoint { get; set; }
        public bool DeletionProtection { get; set; }
        public IReadOnlyList<KeyValuePair<string, string>> Tags { get; set; } = new KeyValuePair<string, string>[0];
    }

    /// <summary>RDS (Query). List members use the model's item names (DBCluster, SubnetIdentifier…).</summary>
    internal sealed class RdsApi
    {
        private readonly AwsServiceClient _client;

        public RdsApi(AwsServiceClient client) => _client = client;

        /// <summary>The named cluster, or every cluster when <paramref name="identifier"/> is null.</summary>
        public async Task<IReadOnlyList<RdsCluster>> DescribeDBClustersAsync(string? identifier, CancellationToken ct)
        {
            var clusters = new List<RdsCluster>();
            string? marker = null;
            do
            {
                var result = await _client.QueryAsync("DescribeDBClusters",
                    new QueryParameters().Add("DBClusterIdentifier", identifier).Add("Marker", marker), ct).ConfigureAwait(false);
                clusters.AddRange(result.List("DBClusters", "DBCluster").Select(RdsCluster.From));
                marker = result.Text("Marker");
            }
            while (!string.IsNullOrEmpty(marker));
            return clusters;
        }

        public async Task<IReadOnlyList<RdsEngineVersion>> DescribeDBEngineVersionsAsync(string engine, CancellationToken ct)
        {
            var versions = new List<RdsEngineVersion>();
            string? marker = null;
            do
            {
                var result = await _client.QueryAsync("DescribeDBEngineVersions",
                    new QueryParameters().Add("Engine", engine).Add("Marker", marker), ct).ConfigureAwait(false);
                versions.AddRange(result.List("DBEngineVersions", "DBEngineVersion").Select(v => new RdsEngineVersion
                {
                    Engine = v.Text("Engine") ?? "",
                    EngineVersion = v.Text("EngineVersion") ?? "",
                    ServerlessV2MinCapacity = v.Element("ServerlessV2FeaturesSupport")?.Double("MinCapacity"),
                    SupportedEngineModes = v.List("SupportedEngineModes").Select(m => m.Value).ToList(),
                }));
                marker = result.Text("Marker");
            }
            while (!string.IsNullOrEmpty(marker));
            return versions;
        }

        /// <summary>The named subnet group, or null when there is none.</summary>
        public async Task<RdsSubnetGroup?> FindDBSubnetGroupAsync(string name, CancellationToken ct)
        {
            try
            {
                var result = await _client.QueryAsync("DescribeDBSubnetGroups", new QueryParameters().Add("DBSubnetGroupName", name), ct).ConfigureAwait(false);
                return result.List("DBSubnetGroups", "DBSubnetGroup").Select(RdsSubnetGroup.From).FirstOrDefault();
            }
            catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "DBSubnetGroupNotFoundFault")
            {
                return null;
            }
        }

        public async Task<RdsSubnetGroup> CreateDBSubnetGroupAsync(string name, string description, IReadOnlyList<string> subnetIds,
            IReadOnlyList<KeyValuePair<string, string>>? tags, CancellationToken ct)
        {
            var result = await _client.QueryAsync("CreateDBSubnetGroup", new QueryParameters()
                .Add("DBSubnetGroupName", name)
                .Add("DBSubnetGroupDescription", description)
                .AddList("SubnetIds.SubnetIdentifier", subnetIds)
                .AddList("Tags.Tag", tags, AddTag), ct).ConfigureAwait(false);
            return RdsSubnetGroup.From(result.Element("DBSubnetGroup") ?? new XElement("DBSubnetGroup"));
        }

        public Task DeleteDBSubnetGroupAsync(string name, CancellationToken ct)
            => _client.QueryAsync("DeleteDBSubnetGroup", new QueryParameters().Add("DBSubnetGroupName", name), ct);

        /// <summary>The named cluster, or null when there is none.</summary>
        public async Task<RdsCluster?> FindDBClusterAsync(string identifier, CancellationToken ct)
        {
            try
            {
                return (await DescribeDBClustersAsync(identifier, ct).ConfigureAwait(false)).FirstOrDefault();
            }
            catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "DBClusterNotFoundFault")
            {
                return null;
            }
        }

        /// <summary>An Aurora Serverless v2 cluster (provisioned engine mode) with an RDS-managed master password.</summary>
        public async Task<RdsCluster> CreateDBClusterAsync(RdsClusterSpec spec, CancellationToken ct)
        {
            var result = await _client.QueryAsync("CreateDBCluster", new QueryParameters()
                .Add("DBClusterIdentifier", spec.DBClusterIdentifier)
                .Add("Engine", spec.Engine)
                .Add("EngineVersion", spec.EngineVersion)
                .Add("EngineMode", "provisioned")
                .Add("MasterUsername", spec.MasterUsername)
                .Add("ManageMasterUserPassword", true)
                .Add("DatabaseName", spec.DatabaseName)
                .Add("BackupRetentionPeriod", spec.BackupRetentionPeriod)
                .Add("DBSubnetGroupName", spec.DBSubnetGroupName)
                .AddList("VpcSecurityGroupIds.VpcSecurityGroupId", spec.VpcSecurityGroupIds)
                .Add("StorageEncrypted", true)
                .Add("ServerlessV2ScalingConfiguration.MinCapacity", spec.MinCapacity)
                .Add("ServerlessV2ScalingConfiguration.MaxCapacity", spec.MaxCapacity)
                .Add("ServerlessV2ScalingConfiguration.SecondsUntilAutoPause", spec.SecondsUntilAutoPause)
                // The Data API can be turned on at creation: CreateDBCluster's EnableHttpEndpoint is "valid for Aurora DB
                // clusters" (botocore rds model, CreateDBClusterMessage.EnableHttpEndpoint; unlike ModifyDBCluster's, which is
                // Serverless v1 only), and the Aurora user guide's "Enabling RDS Data API" says to run create-db-cluster with
                // --enable-http-endpoint (as quoted in issue #13; that page itself was not read here).
                .Add("EnableHttpEndpoint", spec.EnableHttpEndpoint ? true : (bool?)null)
                // "The database can't be deleted when deletion protection is enabled. By default, deletion protection isn't
                // enabled. Valid for Cluster Type: Aurora DB clusters" (botocore rds model, CreateDBClusterMessage.DeletionProtection).
                .Add("DeletionProtection", spec.DeletionProtection ? true : (bool?)null)
                .AddList("Tags.Tag", spec.Tags.Count == 0 ? null : spec.Tags, AddTag), ct).ConfigureAwait(false);
            return RdsCluster.From(result.Element("DBCluster") ?? new XElement("DBCluster"));
        }

        public async Task<RdsCluster> DeleteDBClusterAsync(string identifier, string? finalSnapshotIdentifier, CancellationToken ct)
        {
            var result = await _client.QueryAsync("DeleteDBCluster", new QueryParameters()
                .Add("DBClusterIdentifier", identifier)
                .Add("SkipFinalSnapshot", finalSnapshotIdentifier == null)
                .Add("FinalDBSnapshotIdentifier", finalSnapshotIdentifier), ct).ConfigureAwait(false);
            return RdsCluster.From(result.Element("DBCluster") ?? new XElement("DBCluster"));
        }

        /// <summary>
        /// Turns a cluster's deletion protection off (or on). ApplyImmediately: the model says some changes, "such as turning on
        /// deletion protection", apply immediately whatever it is set to; it does not say so for turning it off, so it is asked
        /// for (botocore rds model, ModifyDBClusterMessage.ApplyImmediately and .DeletionProtection).
        /// </summary>
        public async Task<RdsCluster> ModifyDBClusterDeletionProtectionAsync(string identifier, bool deletionProtection, CancellationToken ct)
        {
            var result = await _client.QueryAsync("ModifyDBCluster", new QueryParameters()
                .Add("DBClusterIdentifier", identifier)
                .Add("ApplyImmediately", true)
                .Add("DeletionProtection", deletionProtection), ct).ConfigureAwait(false);
            return RdsCluster.From(result.Element("DBCluster") ?? new XElement("DBCluster"));
        }

        /// <summary>The instances of a cluster (a filter, so a cluster without instances gives an empty list, not an error).</summary>
        public async Task<IReadOnlyList<RdsInstance>> DescribeDBInstancesAsync(string clusterIdentifier, CancellationToken ct)
        {
            var instances = new List<RdsInstance>();
            string? marker = null;
            do
            {
                var result = await _client.QueryAsync("DescribeDBInstances", new QueryParameters()
                    .Add("Filters.Filter.1.Name", "db-cluster-id")
                    .Add("Filters.Filter.1.Values.Value.1", clusterIdentifier)
                    .Add("Marker", marker), ct).ConfigureAwait(false);
                instances.AddRange(result.List("DBInstances", "DBInstance").Select(RdsInstance.From));
                marker = result.Text("Marker");
            }
            while (!string.IsNullOrEmpty(marker));
            return instances;
        }

        /// <summary>A db.serverless instance in the cluster, never publicly accessible.</summary>
        public async Task<RdsInstance> CreateDBInstanceAsync(string identifier, string clusterIdentifier, string engine,
            IReadOnlyList<KeyValuePair<string, string>>? tags, CancellationToken ct)
        {
            var result = await _client.QueryAsync("CreateDBInstance", new QueryParameters()
                .Add("DBInstanceIdentifier", identifier)
                .Add("DBInstanceClass", "db.serverless")
                .Add("Engine", engine)
                .Add("DBClusterIdentifier", clusterIdentifier)
                .Add("PubliclyAccessible", false)
                .AddList("Tags.Tag", tags, AddTag), ct).ConfigureAwait(false);
            return RdsInstance.From(result.Element("DBInstance") ?? new XElement("DBInstance"));
        }

        public async Task<RdsInstance> DeleteDBInstanceAsync(string identifier, CancellationToken ct)
        {
            // No SkipFinalSnapshot: an Aurora instance has no snapshot of its own (the cluster's is taken on DeleteDBCluster).
            var result = await _client.QueryAsync("DeleteDBInstance", new QueryParameters().Add("DBInstanceIdentifier", identifier), ct).ConfigureAwait(false);
            return RdsInstance.From(result.Element("DBInstance") ?? new XElement("DBInstance"));
        }

        /// <summary>
        /// Turns on the Data API of an existing Serverless v2 or provisioned cluster (botocore rds model, EnableHttpEndpoint:
        /// "applies only to Aurora Serverless v2 and provisioned DB clusters"); a new cluster gets it from CreateDBCluster.
        /// </summary>
        public async Task<bool> EnableHttpEndpointAsync(string resourceArn, CancellationToken ct)
        {
            var result = await _client.QueryAsync("EnableHttpEndpoint", new QueryParameters().Add("ResourceArn", resourceArn), ct).ConfigureAwait(false);
            return result.Bool("HttpEndpointEnabled") ?? false;
        }

        private static void AddTag(QueryParameters q, string prefix, KeyValuePair<string, string> tag)
        {
            q.Add(prefix + ".Key", tag.Key);
            q.Add(prefix + ".Value", tag.Value);
        }
    }
}
