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
        public IReadOnlyList<string> MemberInstances { get; set; } = new string[0];

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
                MemberInstances = c.List("DBClusterMembers", "DBClusterMember").Select(m => m.Text("DBInstanceIdentifier") ?? "").ToList(),
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
    }
}
