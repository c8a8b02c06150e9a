using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;

namespace OcdsAws.Aurora
{
    /// <summary>
    /// SQL through the RDS Data API with the cluster's RDS-managed secret: reaches a private cluster with no
    /// bastion, and waits while a paused cluster resumes.
    /// </summary>
    internal sealed class AuroraSqlService
    {
        public const int ResumeActivityId = 5103;

        private readonly RdsDataApi _data;
        private readonly RdsApi _rds;
        private readonly IOperationReporter _reporter;
        private readonly IClock _clock;

        public AuroraSqlService(AwsClientFactory clients, IOperationReporter reporter, IClock? clock = null)
        {
            _data = new RdsDataApi(clients.Get(AwsService.RdsData));
            _rds = new RdsApi(clients.Get(AwsService.Rds));
            _reporter = reporter;
            _clock = clock ?? SystemClock.Instance;
        }

        /// <summary>The cluster ARN and secret ARN: as given, or read from the cluster (never the secret's value).</summary>
        public async Task<(string ResourceArn, string SecretArn, string? Database)> ResolveAsync(string? clusterId, string? resourceArn, string? secretArn, string? database, CancellationToken ct)
        {
            if (resourceArn != null && secretArn != null) return (resourceArn, secretArn, database);
            if (string.IsNullOrEmpty(clusterId))
                throw new ValidationException("ClusterRequired", "Give -DBClusterIdentifier (or pipe New-AuroraServerlessCluster), or both -ResourceArn and -SecretArn.");
            var cluster = await _rds.FindDBClusterAsync(clusterId!, ct).ConfigureAwait(false)
                ?? throw new OcdsAwsException("DBClusterNotFound", $"There is no Aurora cluster {clusterId}.", ErrorCategory.ObjectNotFound);
            var secret = secretArn ?? cluster.MasterUserSecretArn
                ?? throw new OcdsAwsException("NoManagedSecret", $"Cluster {clusterId} has no RDS-managed master secret: give -SecretArn.", ErrorCategory.InvalidData);
            if (!cluster.HttpEndpointEnabled)
                _reporter.Warning($"The Data API looks off for {clusterId}: run New-AuroraServerlessCluster -DBClusterIdentifier {clusterId} to turn it on.");
            return (resourceArn ?? cluster.DBClusterArn ?? "", secret, database ?? cluster.DatabaseName);
        }

        /// <summary>Runs one statement, retrying while the cluster resumes from auto-pause (DatabaseResumingException).</summary>
        public Task<SqlResult> ExecuteAsync(string resourceArn, string secretArn, string sql, string? database,
            IReadOnlyList<KeyValuePair<string, object?>>? parameters, TimeSpan resumeTimeout, CancellationToken ct)
            => Poller.UntilAsync<SqlResult>(async token =>
            {
                try
                {
                    return (true, "done", await _data.ExecuteStatementAsync(resourceArn, secretArn, sql, database, parameters, token).ConfigureAwait(false));
                }
                catch (AmazonServiceException e) when (e.ErrorCode == "DatabaseResumingException")
                {
                    _reporter.Verbose("The cluster is paused and resuming; the statement will be sent again.");
                    return (false, "the database is resuming from auto-pause", new SqlResult());
                }
            }, resumeTimeout, _clock, _reporter, ResumeActivityId, "Waiting for the Aurora cluster to resume", ct);
    }
}
