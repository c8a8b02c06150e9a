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
            // The cmdlet checked the target (AuroraValidation.SqlTarget): here a missing one is a programming error.
            if (string.IsNullOrEmpty(clusterId)) throw new ArgumentException("A cluster identifier or both ARNs are needed.", nameof(clusterId));
            var cluster = await _rds.FindDBClusterAsync(clusterId!, ct).ConfigureAwait(false)
                ?? throw new OcdsAwsException(ErrorIds.DBClusterNotFound, $"There is no Aurora cluster {clusterId}.", ErrorCategory.ObjectNotFound);
            var secret = secretArn ?? cluster.MasterUserSecretArn
                ?? throw new OcdsAwsException(ErrorIds.NoManagedSecret, $"Cluster {clusterId} has no RDS-managed master secret: give -SecretArn.", ErrorCategory.InvalidData);
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
                catch (AmazonServiceException e) when (e.ErrorCode == "AccessDeniedException" || e.ErrorCode == "ForbiddenException")
                {
                    throw AccessDenied(resourceArn, secretArn, e);
                }
            }, resumeTimeout, _clock, _reporter, ResumeActivityId, "Waiting for the Aurora cluster to resume", ct,
                "The statement was not run. Run Invoke-AuroraSql again once the cluster has resumed, or give a longer -ResumeTimeout.");

        /// <summary>
        /// What a Data API refusal means for the caller. ExecuteStatement names two 403 errors, AccessDeniedException and
        /// ForbiddenException (botocore rds-data model); the Data API reads the secret with the CALLER's permissions ("Data
        /// API transparently calls Secrets Manager, which allows (or denies) the user's request for the secret":
        /// https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.access.html). AWS's managed policy
        /// AmazonRDSDataFullAccess allows secretsmanager:GetSecretValue only on arn:aws:secretsmanager:*:*:secret:rds-db-credentials/*
        /// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonRDSDataFullAccess.html), so it never covers
        /// the RDS-managed master secret (rds!cluster-…) this module uses. GetSecretValue also needs kms:Decrypt when the secret
        /// is encrypted with a customer-managed key (Secrets Manager API reference, GetSecretValue, "Required permissions").
        /// Not confirmed here: which of the two codes AWS sends for a missing GetSecretValue; both are treated alike.
        /// </summary>
        private static OcdsAwsException AccessDenied(string resourceArn, string secretArn, AmazonServiceException e)
            => new OcdsAwsException(ErrorIds.DataApiAccessDenied,
                $"The RDS Data API refused the statement ({e.ErrorCode}: {e.Message}). The caller needs rds-data:ExecuteStatement on {resourceArn}, "
                + $"secretsmanager:GetSecretValue on {secretArn}, and kms:Decrypt on the secret's KMS key if that is a customer-managed key. "
                + "AWS's managed policy AmazonRDSDataFullAccess is not enough for an RDS-managed secret (rds!cluster-…): it allows GetSecretValue only on "
                + "arn:aws:secretsmanager:*:*:secret:rds-db-credentials/*. Add a policy that allows secretsmanager:GetSecretValue on this secret's ARN, then run the command again.",
                ErrorCategory.PermissionDenied);
    }
}
