using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>Creates (or completes) an Aurora Serverless v2 PostgreSQL cluster that pauses when idle, with the Data API on.</summary>
    [Cmdlet(VerbsCommon.New, "AuroraServerlessCluster", SupportsShouldProcess = true)]
    [OutputType(typeof(AuroraCluster))]
    public sealed class NewAuroraServerlessClusterCommand : OcdsAwsCmdlet
    {
        /// <summary>The cluster identifier: letters, digits, hyphens; a letter first; at most 63.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string DBClusterIdentifier { get; set; } = "";

        /// <summary>The DB subnet group (from New-AuroraNetwork).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[A-Za-z0-9 ._-]{1,255}\z")]
        public string? DBSubnetGroupName { get; set; }

        /// <summary>The security group(s) of the cluster (from New-AuroraNetwork).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("VpcSecurityGroupId", "VpcSecurityGroupIds")]
        [ValidatePattern(@"^sg-[0-9a-f]{8,17}\z")]
        public string[]? SecurityGroupId { get; set; }

        /// <summary>The Aurora PostgreSQL version. Default: the newest that supports auto-pause and the Data API.</summary>
        [Parameter]
        public string? EngineVersion { get; set; }

        /// <summary>Minimum Aurora capacity units, 0 to 256 in 0.5 steps; 0 (default) lets the cluster pause.</summary>
        [Parameter]
        public double MinCapacity { get; set; }

        /// <summary>Maximum Aurora capacity units, 1 to 256 in 0.5 steps (default 2).</summary>
        [Parameter]
        public double MaxCapacity { get; set; } = 2;

        /// <summary>Idle time before the cluster pauses, 5 minutes to 24 hours (default 1 hour). Only with -MinCapacity 0.</summary>
        [Parameter]
        public TimeSpan AutoPauseAfter { get; set; } = TimeSpan.FromHours(1);

        /// <summary>The initial database (default common).</summary>
        [Parameter]
        public string DatabaseName { get; set; } = "common";

        /// <summary>Days to keep automated backups, 1 to 35 (default 1).</summary>
        [Parameter]
        public int BackupRetentionPeriod { get; set; } = 1;

        /// <summary>The master user (default postgres). Its password is generated and kept by RDS in Secrets Manager.</summary>
        [Parameter]
        public string MasterUsername { get; set; } = "postgres";

        /// <summary>Leave the RDS Data API off (needed in regions without it, and for engine versions that lack it).</summary>
        [Parameter]
        public SwitchParameter NoDataApi { get; set; }

        /// <summary>Create the cluster without deletion protection (default: on, so only Remove-AuroraServerlessCluster -Force deletes it).</summary>
        [Parameter]
        public SwitchParameter NoDeletionProtection { get; set; }

        /// <summary>Tags for the cluster and its instance, such as @{ Project = 'ocds' }.</summary>
        [Parameter]
        public System.Collections.Hashtable? Tag { get; set; }

        /// <summary>Wait, with progress, until the cluster and its instance are available (then turn on the Data API of an existing cluster that lacks it).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait waits (default 30 minutes).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <inheritdoc />
        private int? _autoPause;

        private IReadOnlyList<KeyValuePair<string, string>> _tags = new KeyValuePair<string, string>[0];

        /// <inheritdoc />
        protected override void ValidateParameters()
        {
            AuroraValidation.Capacity(MinCapacity, MaxCapacity);
            _autoPause = AuroraValidation.AutoPause(AutoPauseAfter);
            AuroraValidation.BackupRetention(BackupRetentionPeriod);
            InputRules.Positive(Timeout, "-Timeout");
            _tags = AuroraValidation.Tags(Tag);
            if (EngineVersion != null && !System.Text.RegularExpressions.Regex.IsMatch(EngineVersion, @"^\d+(\.\d+){1,2}\z"))
                throw new ValidationException(ErrorIds.InvalidEngineVersion, $"-EngineVersion '{EngineVersion}' is not a version such as 16.4.");
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var region = Clients.Session.Region.SystemName;
            var (autoPause, tags) = (_autoPause, _tags);
            if (!TryRead(() =>
            {
                if (!NoDataApi.IsPresent) AuroraClusterService.CheckDataApiRegion(region);
                return new AuroraClusterRequest
                {
                    DBClusterIdentifier = AuroraValidation.ClusterIdentifier(DBClusterIdentifier),
                    EngineVersion = EngineVersion,
                    MinCapacity = MinCapacity,
                    MaxCapacity = MaxCapacity,
                    // AWS accepts SecondsUntilAutoPause only for clusters that can pause (MinCapacity 0).
                    SecondsUntilAutoPause = MinCapacity == 0 ? autoPause : (int?)null,
                    DatabaseName = AuroraValidation.DatabaseName(DatabaseName),
                    BackupRetentionPeriod = BackupRetentionPeriod,
                    MasterUsername = AuroraValidation.MasterUsername(MasterUsername),
                    DBSubnetGroupName = DBSubnetGroupName ?? "",
                    SecurityGroupIds = SecurityGroupId ?? new string[0],
                    DataApi = !NoDataApi.IsPresent,
                    DeletionProtection = !NoDeletionProtection.IsPresent,
                    Tags = tags,
                    Wait = Wait.IsPresent,
                    Timeout = Timeout,
                };
            }, DBClusterIdentifier, out var request)) return;
            if (MinCapacity > 0 && MyInvocation.BoundParameters.ContainsKey(nameof(AutoPauseAfter)))
                WriteWarning("-AutoPauseAfter applies only with -MinCapacity 0: a cluster with a minimum capacity never pauses.");
            var min = MinCapacity.ToString(CultureInfo.InvariantCulture);
            var max = MaxCapacity.ToString(CultureInfo.InvariantCulture);
            if (!ShouldProcess(request.DBClusterIdentifier,
                $"Create or complete Aurora Serverless v2 PostgreSQL cluster ({min}–{max} ACU, pause after {AutoPauseAfter}, database {request.DatabaseName}, backups {BackupRetentionPeriod} day(s), {(request.DataApi ? "Data API on" : "Data API off")}, deletion protection {(request.DeletionProtection ? "on" : "off")}{(request.Tags.Count == 0 ? "" : ", tags " + string.Join(", ", request.Tags.Select(t => t.Key + "=" + t.Value)))})"))
                return;
            var service = new AuroraClusterService(Clients, Messages, SystemClock.Instance);
            ForItem(request.DBClusterIdentifier, () => WriteObject(Run(ct => service.EnsureAsync(request, ct))));
        }
    }
}
