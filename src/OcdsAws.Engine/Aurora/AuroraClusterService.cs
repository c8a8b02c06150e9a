using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;

namespace OcdsAws.Aurora
{
    /// <summary>What New-AuroraServerlessCluster asked for, validated.</summary>
    internal sealed class AuroraClusterRequest
    {
        public string DBClusterIdentifier { get; set; } = "";
        public string? EngineVersion { get; set; }
        public double MinCapacity { get; set; }
        public double MaxCapacity { get; set; } = 2;
        public int? SecondsUntilAutoPause { get; set; }
        public string DatabaseName { get; set; } = "common";
        public int BackupRetentionPeriod { get; set; } = 1;
        public string MasterUsername { get; set; } = "postgres";
        public string DBSubnetGroupName { get; set; } = "";
        public IReadOnlyList<string> SecurityGroupIds { get; set; } = new string[0];
        public bool DataApi { get; set; } = true;
        public bool DeletionProtection { get; set; } = true;
        public IReadOnlyList<KeyValuePair<string, string>> Tags { get; set; } = new KeyValuePair<string, string>[0];
        public bool Wait { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
    }

    /// <summary>Aurora Serverless v2 PostgreSQL: engine version choice, create-or-complete, waits and deletion.</summary>
    internal sealed class AuroraClusterService
    {
        public const string Engine = "aurora-postgresql";
        public const int WaitActivityId = 5101;
        public const int DeleteActivityId = 5102;

        /// <summary>The tag that marks a cluster (and its instance) as made by New-AuroraServerlessCluster; its value is the cluster id.</summary>
        public const string ClusterTag = "ocdsaws:aurora-cluster";

        /// <summary>The region's Aurora PostgreSQL clusters (what -DBClusterIdentifier completes to).</summary>
        public static async Task<IReadOnlyList<string>> ListClusterIdentifiersAsync(AwsClientFactory clients, CancellationToken ct)
            => (await new RdsApi(clients.Get(AwsService.Rds)).DescribeDBClustersAsync(null, ct).ConfigureAwait(false))
                .Where(c => c.Engine == Engine).Select(c => c.DBClusterIdentifier).ToList();

        /// <summary>
        /// The first Aurora PostgreSQL version of each major with the Data API on Serverless v2 and provisioned clusters:
        /// AWS's table "Supported Regions and Aurora DB engines for RDS Data API" (Aurora user guide,
        /// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Data_API.html):
        /// 13.11, 14.8, 15.3, 16.1, 17.4, 18.3 "and higher" in every region that has it. A major the table does not list
        /// (older, or newer than this copy of it) is not assumed to have the Data API.
        /// </summary>
        private static readonly Dictionary<int, Version> DataApiMinimum = new Dictionary<int, Version>
        {
            [13] = new Version(13, 11), [14] = new Version(14, 8), [15] = new Version(15, 3), [16] = new Version(16, 1),
            [17] = new Version(17, 4), [18] = new Version(18, 3),
        };

        /// <summary>The Data API minimums as text, for messages.</summary>
        internal static string DataApiMinimums => string.Join(", ", DataApiMinimum.Values.Select(v => v.ToString()));

        /// <summary>
        /// Regions whose row in the same table says "Not available" for every Aurora PostgreSQL major (Serverless v2 and
        /// provisioned): Asia Pacific (Hyderabad), (Melbourne), (New Zealand); codes from botocore's partitions.json.
        /// Not confirmed here: the rows after Asia Pacific (Osaka) (the stored copies of the page read here end there), so a
        /// region further down the table that lacks the Data API is not refused and would fail at CreateDBCluster or
        /// EnableHttpEndpoint instead.
        /// </summary>
        private static readonly Dictionary<string, string> DataApiUnavailable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["ap-south-2"] = "Asia Pacific (Hyderabad)", ["ap-southeast-4"] = "Asia Pacific (Melbourne)", ["ap-southeast-6"] = "Asia Pacific (New Zealand)",
        };

        /// <summary>Refuses (before any AWS call) a region AWS's table lists without the Data API for Aurora PostgreSQL.</summary>
        public static void CheckDataApiRegion(string region)
        {
            if (DataApiUnavailable.TryGetValue(region, out var name))
                throw new ValidationException(ErrorIds.DataApiNotInRegion,
                    $"The RDS Data API is not available for Aurora PostgreSQL in {region} ({name}), according to AWS's table \"Supported Regions and Aurora DB engines for RDS Data API\" in the Aurora user guide. "
                    + "Pass -NoDataApi (and reach the database through New-AuroraBastion), or use a region that has the Data API. Nothing was created.");
        }

        private readonly RdsApi _rds;
        private readonly IOperationReporter _reporter;
        private readonly IClock _clock;
        private readonly string _region;

        public AuroraClusterService(AwsClientFactory clients, IOperationReporter reporter, IClock? clock = null)
        {
            _rds = new RdsApi(clients.Get(AwsService.Rds));
            _reporter = reporter;
            _clock = clock ?? SystemClock.Instance;
            _region = clients.Session.Region.SystemName;
        }

        /// <summary>Whether a version has the Data API on Serverless v2: only majors AWS's table lists, from their minimum on.</summary>
        public static bool SupportsDataApi(string version)
            => TryParse(version, out var v) && DataApiMinimum.TryGetValue(v.Major, out var minimum) && v >= minimum;

        private static bool TryParse(string version, out Version parsed)
        {
            // Aurora versions look like 16.4 or 16.4.1; anything else sorts nowhere.
            if (Version.TryParse(version, out var v) && v != null) { parsed = v; return true; }
            parsed = new Version(0, 0);
            return false;
        }

        /// <summary>
        /// The engine version: the newest one DescribeDBEngineVersions lists for Serverless v2 (provisioned mode)
        /// that supports auto-pause (ServerlessV2FeaturesSupport.MinCapacity 0) when MinCapacity is 0 and the Data
        /// API when wanted; a version the caller named is checked against the same facts.
        /// </summary>
        public async Task<string> ChooseEngineVersionAsync(string? wanted, double minCapacity, bool dataApi, CancellationToken ct)
        {
            var versions = await _rds.DescribeDBEngineVersionsAsync(Engine, ct).ConfigureAwait(false);
            bool Fits(RdsEngineVersion v) => (v.SupportedEngineModes.Count == 0 || v.SupportedEngineModes.Contains("provisioned"))
                && v.ServerlessV2MinCapacity != null && v.ServerlessV2MinCapacity <= minCapacity
                && (!dataApi || SupportsDataApi(v.EngineVersion));
            if (wanted != null)
            {
                var named = versions.FirstOrDefault(v => v.EngineVersion == wanted)
                    ?? throw new ValidationException(ErrorIds.UnknownEngineVersion, $"Aurora PostgreSQL {wanted} is not offered in {_region}. Offered: {string.Join(", ", versions.Select(v => v.EngineVersion))}.");
                if (named.ServerlessV2MinCapacity == null)
                    throw new ValidationException(ErrorIds.EngineVersionNotServerless, $"Aurora PostgreSQL {wanted} does not support Serverless v2: omit -EngineVersion to get the newest that does.");
                if (named.ServerlessV2MinCapacity > minCapacity)
                    throw new ValidationException(ErrorIds.EngineVersionNoAutoPause,
                        $"Aurora PostgreSQL {wanted} cannot scale below {named.ServerlessV2MinCapacity.Value.ToString(CultureInfo.InvariantCulture)} ACU, so -MinCapacity {minCapacity.ToString(CultureInfo.InvariantCulture)} (auto-pause) is not possible: omit -EngineVersion or use 13.15, 14.12, 15.7, 16.3 or later.");
                if (dataApi && !SupportsDataApi(wanted))
                    throw new ValidationException(ErrorIds.EngineVersionNoDataApi, $"Aurora PostgreSQL {wanted} has no Data API on Serverless v2 according to AWS's Data API table (it lists {DataApiMinimums} and later of each major; a major it does not list is not assumed to have it): omit -EngineVersion, or pass -NoDataApi.");
                return wanted;
            }
            var best = versions.Where(Fits).Where(v => TryParse(v.EngineVersion, out _)).OrderByDescending(v => Version.Parse(v.EngineVersion)).FirstOrDefault();
            if (best == null)
                throw new OcdsAwsException(ErrorIds.NoSuitableEngineVersion,
                    $"No Aurora PostgreSQL version in {_region} supports Serverless v2 with MinCapacity {minCapacity.ToString(CultureInfo.InvariantCulture)}{(dataApi ? " and the Data API" : "")}.",
                    ErrorCategory.ObjectNotFound);
            _reporter.Verbose($"Using Aurora PostgreSQL {best.EngineVersion}, the newest that supports auto-pause{(dataApi ? " and the Data API" : "")} in {_region}.");
            return best.EngineVersion;
        }

        /// <summary>Returns the cluster, creating what is missing: the cluster, its db.serverless instance, the Data API.</summary>
        public async Task<AuroraCluster> EnsureAsync(AuroraClusterRequest request, CancellationToken ct)
        {
            var id = request.DBClusterIdentifier;
            // The Data API's region was checked with the input (CheckDataApiRegion, before any call): not again here.
            var cluster = await _rds.FindDBClusterAsync(id, ct).ConfigureAwait(false);
            if (cluster == null)
            {
                if (string.IsNullOrEmpty(request.DBSubnetGroupName) || request.SecurityGroupIds.Count == 0)
                    throw new ValidationException(ErrorIds.NetworkRequired, $"Cluster {id} does not exist yet: give -DBSubnetGroupName and -SecurityGroupId, or pipe New-AuroraNetwork into New-AuroraServerlessCluster.");
                var version = await ChooseEngineVersionAsync(request.EngineVersion, request.MinCapacity, request.DataApi, ct).ConfigureAwait(false);
                var spec = new RdsClusterSpec
                {
                    DBClusterIdentifier = id,
                    Engine = Engine,
                    EngineVersion = version,
                    MasterUsername = request.MasterUsername,
                    DatabaseName = request.DatabaseName,
                    BackupRetentionPeriod = request.BackupRetentionPeriod,
                    DBSubnetGroupName = request.DBSubnetGroupName,
                    VpcSecurityGroupIds = request.SecurityGroupIds,
                    MinCapacity = request.MinCapacity,
                    MaxCapacity = request.MaxCapacity,
                    SecondsUntilAutoPause = request.SecondsUntilAutoPause,
                    // On at creation: no second call (and no window in which the cluster exists without it).
                    EnableHttpEndpoint = request.DataApi,
                    DeletionProtection = request.DeletionProtection,
                    Tags = WithClusterTag(request.Tags, id),
                };
                cluster = await LostAnswers.CreateOnceAsync("CreateDBCluster", c => _rds.CreateDBClusterAsync(spec, c), c => _rds.FindDBClusterAsync(id, c), ct).ConfigureAwait(false);
                _reporter.Verbose($"Created cluster {id} (Aurora PostgreSQL {version}, {request.MinCapacity.ToString(CultureInfo.InvariantCulture)}–{request.MaxCapacity.ToString(CultureInfo.InvariantCulture)} ACU); RDS keeps the master password in Secrets Manager.");
            }
            else
            {
                if (cluster.Engine != null && cluster.Engine != Engine)
                    throw new OcdsAwsException(ErrorIds.NotAuroraPostgreSql, $"Cluster {id} exists with engine {cluster.Engine}, not {Engine}: choose another -DBClusterIdentifier.", ErrorCategory.ResourceExists);
                _reporter.Verbose($"Cluster {id} already exists ({cluster.Status}): completing it, creating nothing twice.");
                Differences(cluster, request);
            }

            var instances = await _rds.DescribeDBInstancesAsync(id, ct).ConfigureAwait(false);
            if (instances.All(i => i.Status == "deleting"))
            {
                var instanceId = InstanceIdentifier(id);
                try
                {
                    await _rds.CreateDBInstanceAsync(instanceId, id, Engine, WithClusterTag(request.Tags, id), ct).ConfigureAwait(false);
                    _reporter.Verbose($"Created db.serverless instance {instanceId} (not publicly accessible).");
                }
                catch (AmazonServiceException e) when (e.ErrorCode == "DBInstanceAlreadyExists" || e.ErrorCode == "DBInstanceAlreadyExistsFault")
                {
                    // Made by an attempt whose answer was lost (or meanwhile): what a re-run would find.
                    _reporter.Verbose($"Instance {instanceId} exists already.");
                }
            }

            if (request.Wait)
                cluster = await WaitAvailableAsync(id, request.Timeout, ct).ConfigureAwait(false);
            else
                cluster = await _rds.FindDBClusterAsync(id, ct).ConfigureAwait(false) ?? cluster;

            // A cluster made without the Data API (by -NoDataApi, or before this module sent it at creation) gets it here.
            if (request.DataApi && !cluster.HttpEndpointEnabled)
            {
                if (cluster.Status == "available")
                {
                    // Its answer says whether the Data API is on: no read-back needed.
                    cluster.HttpEndpointEnabled = await _rds.EnableHttpEndpointAsync(cluster.DBClusterArn ?? "", ct).ConfigureAwait(false);
                    _reporter.Verbose($"Turned on the Data API for {id}.");
                }
                else
                {
                    _reporter.Warning($"Cluster {id} is {cluster.Status}: the Data API can be turned on once it is available. Run New-AuroraServerlessCluster again (or with -Wait) to finish.");
                }
            }
            return AuroraCluster.From(cluster, _region);
        }

        /// <summary>The caller's tags plus the module's own, which Remove-AuroraServerlessCluster looks for.</summary>
        private static IReadOnlyList<KeyValuePair<string, string>> WithClusterTag(IReadOnlyList<KeyValuePair<string, string>> tags, string id)
            => tags.Where(t => t.Key != ClusterTag).Concat(new[] { new KeyValuePair<string, string>(ClusterTag, id) }).ToList();

        /// <summary>The named cluster (any engine: the caller named it), or null when there is none.</summary>
        public async Task<AuroraCluster?> GetAsync(string id, CancellationToken ct)
        {
            var cluster = await _rds.FindDBClusterAsync(id, ct).ConfigureAwait(false);
            return cluster == null ? null : AuroraCluster.From(cluster, _region);
        }

        /// <summary>The region's Aurora PostgreSQL clusters (others are skipped, and counted in a Verbose line).</summary>
        public async Task<IReadOnlyList<AuroraCluster>> ListAsync(CancellationToken ct)
        {
            var all = await _rds.DescribeDBClustersAsync(null, ct).ConfigureAwait(false);
            var others = all.Count(c => c.Engine != Engine);
            if (others > 0) _reporter.Verbose($"Skipped {others} cluster(s) in {_region} that are not {Engine}: name one with -DBClusterIdentifier to see it.");
            return all.Where(c => c.Engine == Engine).Select(c => AuroraCluster.From(c, _region)).ToList();
        }

        /// <summary>The instance name for a cluster: -1 appended, kept within the 63-character limit.</summary>
        public static string InstanceIdentifier(string clusterId)
            => (clusterId.Length > 61 ? clusterId.Substring(0, 61).TrimEnd('-') : clusterId) + "-1";

        /// <summary>Says (without changing anything) where an existing cluster differs from what was asked.</summary>
        private void Differences(RdsCluster cluster, AuroraClusterRequest request)
        {
            var notes = new List<string>();
            if (cluster.MinCapacity != null && cluster.MinCapacity != request.MinCapacity) notes.Add($"MinCapacity {cluster.MinCapacity}");
            if (cluster.MaxCapacity != null && cluster.MaxCapacity != request.MaxCapacity) notes.Add($"MaxCapacity {cluster.MaxCapacity}");
            if (request.SecondsUntilAutoPause != null && cluster.SecondsUntilAutoPause != null && cluster.SecondsUntilAutoPause != request.SecondsUntilAutoPause) notes.Add($"SecondsUntilAutoPause {cluster.SecondsUntilAutoPause}");
            if (cluster.DatabaseName != null && cluster.DatabaseName != request.DatabaseName) notes.Add($"DatabaseName {cluster.DatabaseName}");
            if (cluster.DeletionProtection != request.DeletionProtection) notes.Add($"deletion protection {(cluster.DeletionProtection ? "on" : "off")}");
            var missing = request.Tags.Where(t => !cluster.Tags.Contains(t)).Select(t => t.Key).ToList();
            if (missing.Count > 0) notes.Add($"tags without {string.Join(", ", missing)}");
            if (notes.Count > 0)
                _reporter.Warning($"Cluster {cluster.DBClusterIdentifier} already exists with {string.Join(", ", notes)}; it was not changed.");
        }

        /// <summary>Polls until the cluster and all its instances are available.</summary>
        public Task<RdsCluster> WaitAvailableAsync(string id, TimeSpan timeout, CancellationToken ct)
            => Poller.UntilAsync<RdsCluster>(async token =>
            {
                var cluster = await _rds.FindDBClusterAsync(id, token).ConfigureAwait(false)
                    ?? throw new OcdsAwsException(ErrorIds.DBClusterNotFound, $"Cluster {id} disappeared while waiting for it.", ErrorCategory.ObjectNotFound);
                var instances = await _rds.DescribeDBInstancesAsync(id, token).ConfigureAwait(false);
                Fatal(cluster.Status, $"cluster {id}");
                foreach (var i in instances) Fatal(i.Status, $"instance {i.DBInstanceIdentifier}");
                var done = cluster.Status == "available" && instances.Count > 0 && instances.All(i => i.Status == "available");
                var status = $"cluster {cluster.Status}; " + (instances.Count == 0 ? "no instance" : string.Join(", ", instances.Select(i => $"instance {i.DBInstanceIdentifier} {i.Status}")));
                return (done, status, cluster);
            }, timeout, _clock, _reporter, WaitActivityId, $"Waiting for Aurora cluster {id} in {_region}", ct);

        private static void Fatal(string? status, string what)
        {
            if (status == "failed" || status == "incompatible-parameters" || status == "incompatible-network" || status == "inaccessible-encryption-credentials" || status == "storage-full")
                throw new OcdsAwsException(ErrorIds.DBClusterFailed, $"The {what} is {status}: check it in the RDS console; delete it with Remove-AuroraServerlessCluster and create it again.", ErrorCategory.InvalidResult);
        }

        /// <summary>The cluster Remove-AuroraServerlessCluster would delete, read before its prompt; null when there is none.</summary>
        public async Task<RdsCluster?> FindForRemovalAsync(string id, CancellationToken ct)
        {
            var cluster = await _rds.FindDBClusterAsync(id, ct).ConfigureAwait(false);
            if (cluster == null) _reporter.Verbose($"No cluster {id} in {_region}: nothing to delete.");
            return cluster;
        }

        /// <summary>Whether the module made the cluster: Aurora PostgreSQL with the module's tag.</summary>
        public static bool IsOwnCluster(RdsCluster cluster)
            => cluster.Engine == Engine && cluster.Tags.Any(t => t.Key == ClusterTag);

        /// <summary>
        /// Refuses, before anything is deleted, a cluster this module did not make unless -Force came with the identifier typed on the
        /// command line (not piped), and a cluster with deletion protection unless -Force.
        /// </summary>
        public static void CheckRemovable(RdsCluster cluster, bool force, bool namedOnCommandLine)
        {
            var id = cluster.DBClusterIdentifier;
            if (!IsOwnCluster(cluster) && !(force && namedOnCommandLine))
                throw new OcdsAwsException(ErrorIds.NotAnOcdsAwsCluster,
                    $"Cluster {id} is {cluster.Engine} {cluster.EngineVersion}" + (cluster.Engine == Engine ? $" without the {ClusterTag} tag" : "")
                    + ": New-AuroraServerlessCluster did not make it, so nothing was deleted. If you really mean to delete it, run "
                    + $"Remove-AuroraServerlessCluster -DBClusterIdentifier {id} -Force (typed, not piped) with -FinalSnapshotIdentifier or -SkipFinalSnapshot.",
                    ErrorCategory.InvalidOperation);
            if (cluster.DeletionProtection && !force)
                throw new OcdsAwsException(ErrorIds.DeletionProtected,
                    $"Cluster {id} has deletion protection on, so nothing was deleted. Run again with -Force to turn deletion protection off and delete it.",
                    ErrorCategory.InvalidOperation);
        }

        /// <summary>What the prompt says: engine, size, instances, deletion protection, snapshot choice.</summary>
        public static string DescribeRemoval(RdsCluster cluster, string? finalSnapshotIdentifier)
        {
            var size = cluster.MinCapacity == null ? "" : $", {cluster.MinCapacity.Value.ToString(CultureInfo.InvariantCulture)}–{(cluster.MaxCapacity ?? 0).ToString(CultureInfo.InvariantCulture)} ACU";
            var instances = cluster.MemberInstances.Count == 0 ? "no instance" : $"{cluster.MemberInstances.Count} instance(s) ({string.Join(", ", cluster.MemberInstances)})";
            return $"Delete Aurora cluster ({cluster.Engine} {cluster.EngineVersion}{size}, database {cluster.DatabaseName ?? "(none)"}, {instances}"
                + (cluster.DeletionProtection ? "; deletion protection is on and will be turned off" : "")
                + (IsOwnCluster(cluster) ? "" : "; NOT made by New-AuroraServerlessCluster")
                + (finalSnapshotIdentifier == null ? ") WITHOUT a final snapshot: its data is gone for good" : $") after final snapshot {finalSnapshotIdentifier}");
        }

        /// <summary>
        /// Turns deletion protection off when on (the caller checked -Force), deletes the instances, then the cluster (with a final
        /// snapshot unless skipped); optionally waits until it is gone. The instances go first: DeleteDBCluster refuses a cluster with
        /// members (AWS: InvalidDBClusterStateFault, the cluster "still contains DB instances in non-deleting state", per
        /// https://repost.aws/knowledge-center/rds-error-delete-aurora-cluster; moto: DBClusterToBeDeletedHasActiveMembers).
        /// Protection is turned off before any instance is deleted: AWS deletes the instances of a protected cluster ("DB instances in a
        /// DB cluster can be deleted even when deletion protection is enabled for the DB cluster", botocore rds model,
        /// ModifyDBInstanceMessage.DeletionProtection) but refuses the cluster, which would leave it without an instance.
        /// </summary>
        public async Task<IReadOnlyList<AuroraDeletedResource>> RemoveAsync(RdsCluster cluster, string? finalSnapshotIdentifier, bool wait, TimeSpan timeout, CancellationToken ct)
        {
            var id = cluster.DBClusterIdentifier;
            var deleted = new List<AuroraDeletedResource>();
            if (cluster.DeletionProtection && cluster.Status != "deleting")
            {
                await _rds.ModifyDBClusterDeletionProtectionAsync(id, false, ct).ConfigureAwait(false);
                _reporter.Verbose($"Turned deletion protection off for {id} (-Force).");
            }
            foreach (var instance in await _rds.DescribeDBInstancesAsync(id, ct).ConfigureAwait(false))
            {
                if (instance.Status == "deleting") continue;
                var gone = await _rds.DeleteDBInstanceAsync(instance.DBInstanceIdentifier, ct).ConfigureAwait(false);
                deleted.Add(new AuroraDeletedResource("DBInstance", instance.DBInstanceIdentifier, "deleting", gone.Status));
            }
            if (cluster.Status != "deleting")
            {
                var gone = await _rds.DeleteDBClusterAsync(id, finalSnapshotIdentifier, ct).ConfigureAwait(false);
                // AWS's answer can still say "available": "The status of the DB cluster is available while the snapshot is being taken"
                // (aws-cli's delete-db-cluster example). Status says deletion started; AwsStatus keeps what AWS answered.
                deleted.Add(new AuroraDeletedResource("DBCluster", id, "deleting", gone.Status));
                _reporter.Verbose((finalSnapshotIdentifier == null ? $"Deleting cluster {id} without a final snapshot" : $"Deleting cluster {id}; final snapshot {finalSnapshotIdentifier}")
                    + $" (AWS answered status {gone.Status ?? "(none)"}).");
            }
            if (wait)
            {
                await Poller.UntilAsync<bool>(async token =>
                {
                    var still = await _rds.FindDBClusterAsync(id, token).ConfigureAwait(false);
                    return (still == null, $"cluster {still?.Status ?? "gone"}", true);
                }, timeout, _clock, _reporter, DeleteActivityId, $"Waiting for Aurora cluster {id} to be deleted", ct).ConfigureAwait(false);
                deleted = deleted.Select(d => new AuroraDeletedResource(d.ResourceType, d.ResourceId, "deleted", d.AwsStatus)).ToList();
            }
            return deleted;
        }
    }
}
