using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>
    /// <para type="synopsis">Creates (or finds) the network of an Aurora cluster: VPC, two subnets in two zones, a PostgreSQL security group and a DB subnet group.</para>
    /// <para type="description">Each piece is found by name first and created only when missing, so re-running changes nothing. The subnets are private: reach the database with Invoke-AuroraSql (Data API) or New-AuroraBastion.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AuroraNetwork", SupportsShouldProcess = true)]
    [OutputType(typeof(AuroraNetwork))]
    public sealed class NewAuroraNetworkCommand : OcdsAwsCmdlet
    {
        /// <summary>The network's name: the VPC's Name tag, the DB subnet group's name (lower case) and the prefix of the other names.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "ocds-aurora";

        /// <summary>The VPC's IPv4 block (default 10.0.0.0/16, as in the runbook).</summary>
        [Parameter]
        public string CidrBlock { get; set; } = "10.0.0.0/16";

        /// <summary>The database subnets, inside the VPC and not overlapping (default 10.0.1.0/24, 10.0.2.0/24).</summary>
        [Parameter]
        public string[] SubnetCidrBlock { get; set; } = { "10.0.1.0/24", "10.0.2.0/24" };

        /// <summary>One zone per subnet, at least two distinct. Default: the region's first available zones.</summary>
        [Parameter]
        [ValidatePattern(@"^[a-z]{2}-[a-z0-9-]+[0-9][a-z]$")]
        public string[]? AvailabilityZone { get; set; }

        /// <summary>Who may connect on TCP 5432. Default: the VPC's own block. 0.0.0.0/0 (anywhere) is allowed but warned about.</summary>
        [Parameter]
        public string[]? AllowedCidr { get; set; }

        /// <summary>The security group's name (default: Name-postgresql).</summary>
        [Parameter]
        public string? SecurityGroupName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            AuroraNetworkSpec spec;
            try
            {
                var name = AuroraValidation.Name(Name, "-Name");
                var (vpc, subnets) = AuroraValidation.Network(CidrBlock, SubnetCidrBlock, AvailabilityZone);
                var allowed = (AllowedCidr == null || AllowedCidr.Length == 0 ? new[] { vpc } : AllowedCidr.Select(c => Ipv4Cidr.Parse(c, "-AllowedCidr"))).ToList();
                spec = new AuroraNetworkSpec
                {
                    Name = name,
                    Vpc = vpc,
                    Subnets = subnets,
                    Zones = AvailabilityZone,
                    AllowedCidrs = allowed,
                    SecurityGroupName = AuroraValidation.Name(SecurityGroupName ?? name + "-postgresql", "-SecurityGroupName"),
                };
            }
            catch (ValidationException e)
            {
                WriteFailure(e, Name);
                return;
            }
            if (spec.AllowedCidrs.Any(c => c.Prefix == 0))
                WriteWarning("-AllowedCidr 0.0.0.0/0 lets anyone reach PostgreSQL on TCP 5432 wherever the network is routable: prefer the VPC's block or your office's.");
            if (!ShouldProcess($"{spec.Name} ({spec.Vpc})",
                $"Create or reuse VPC {spec.Vpc}, subnets {string.Join(", ", spec.Subnets)}, security group {spec.SecurityGroupName} (TCP 5432 from {string.Join(", ", spec.AllowedCidrs)}) and DB subnet group {spec.DBSubnetGroupName}"))
                return;
            var service = new AuroraNetworkService(Clients, Messages);
            ForItem(spec.Name, () => WriteObject(Run(ct => service.EnsureAsync(spec, ct))));
        }
    }

    /// <summary>
    /// <para type="synopsis">Creates (or completes) an Aurora Serverless v2 PostgreSQL cluster that pauses when idle, with the Data API on.</para>
    /// <para type="description">The engine version defaults to the newest Aurora PostgreSQL version that supports auto-pause and the Data API, read from DescribeDBEngineVersions. The master password is managed by RDS in Secrets Manager and never read. A new cluster gets the Data API in the CreateDBCluster call itself. An existing cluster is returned, and its missing instance or Data API completed; nothing is created twice.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AuroraServerlessCluster", SupportsShouldProcess = true)]
    [OutputType(typeof(AuroraCluster))]
    public sealed class NewAuroraServerlessClusterCommand : OcdsAwsCmdlet
    {
        /// <summary>The cluster identifier: letters, digits, hyphens; a letter first; at most 63.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string DBClusterIdentifier { get; set; } = "";

        /// <summary>The DB subnet group (from New-AuroraNetwork).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[A-Za-z0-9 ._-]{1,255}$")]
        public string? DBSubnetGroupName { get; set; }

        /// <summary>The security group(s) of the cluster (from New-AuroraNetwork).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("VpcSecurityGroupId", "VpcSecurityGroupIds")]
        [ValidatePattern(@"^sg-[0-9a-f]{8,17}$")]
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

        /// <summary>Wait, with progress, until the cluster and its instance are available (then turn on the Data API of an existing cluster that lacks it).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait waits (default 30 minutes).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        internal IClock Clock { get; set; } = SystemClock.Instance;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            AuroraClusterRequest request;
            try
            {
                AuroraValidation.Capacity(MinCapacity, MaxCapacity);
                var autoPause = AuroraValidation.AutoPause(AutoPauseAfter);
                AuroraValidation.BackupRetention(BackupRetentionPeriod);
                if (Timeout <= TimeSpan.Zero) throw new ValidationException("InvalidTimeout", "-Timeout must be positive.");
                if (EngineVersion != null && !System.Text.RegularExpressions.Regex.IsMatch(EngineVersion, @"^\d+(\.\d+){1,2}$"))
                    throw new ValidationException("InvalidEngineVersion", $"-EngineVersion '{EngineVersion}' is not a version such as 16.4.");
                if (!NoDataApi.IsPresent) AuroraClusterService.CheckDataApiRegion(Clients.Session.Region.SystemName);
                request = new AuroraClusterRequest
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
                    Wait = Wait.IsPresent,
                    Timeout = Timeout,
                };
            }
            catch (ValidationException e)
            {
                WriteFailure(e, DBClusterIdentifier);
                return;
            }
            if (MinCapacity > 0 && MyInvocation.BoundParameters.ContainsKey(nameof(AutoPauseAfter)))
                WriteWarning("-AutoPauseAfter applies only with -MinCapacity 0: a cluster with a minimum capacity never pauses.");
            var min = MinCapacity.ToString(CultureInfo.InvariantCulture);
            var max = MaxCapacity.ToString(CultureInfo.InvariantCulture);
            if (!ShouldProcess(request.DBClusterIdentifier,
                $"Create or complete Aurora Serverless v2 PostgreSQL cluster ({min}–{max} ACU, pause after {AutoPauseAfter}, database {request.DatabaseName}, backups {BackupRetentionPeriod} day(s), {(request.DataApi ? "Data API on" : "Data API off")})"))
                return;
            var service = new AuroraClusterService(Clients, Messages, Clock);
            ForItem(request.DBClusterIdentifier, () => WriteObject(Run(ct => service.EnsureAsync(request, ct))));
        }
    }

    /// <summary>
    /// <para type="synopsis">Runs SQL on an Aurora cluster through the RDS Data API; rows come out as objects.</para>
    /// <para type="description">Uses the cluster's RDS-managed secret (its ARN only; the password is never read), so a private cluster is reachable without a bastion. A paused cluster takes about 15 seconds to resume: the statement is sent again, with progress, until it does.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AuroraSql")]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeAuroraSqlCommand : OcdsAwsCmdlet
    {
        /// <summary>The SQL statement; parameters are written :name.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string Sql { get; set; } = "";

        /// <summary>Values of the statement's :name parameters, sent typed (DECIMAL, UUID, TIMESTAMP, DATE, TIME hints); a value it cannot type is refused.</summary>
        [Parameter]
        public Hashtable? Parameter { get; set; }

        /// <summary>The database (default: the cluster's initial database).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseName")]
        public string? Database { get; set; }

        /// <summary>The cluster (from New-AuroraServerlessCluster).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AuroraClusterCompleter))]
        public string? DBClusterIdentifier { get; set; }

        /// <summary>The cluster ARN; with -SecretArn no lookup is needed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DBClusterArn")]
        public string? ResourceArn { get; set; }

        /// <summary>The ARN of the secret with the database credentials (default: the cluster's RDS-managed secret).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("MasterUserSecretArn")]
        public string? SecretArn { get; set; }

        /// <summary>How long to keep retrying while a paused cluster resumes (default 5 minutes).</summary>
        [Parameter]
        public TimeSpan ResumeTimeout { get; set; } = TimeSpan.FromMinutes(5);

        internal IClock Clock { get; set; } = SystemClock.Instance;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            List<KeyValuePair<string, object?>>? parameters = null;
            try
            {
                if (string.IsNullOrWhiteSpace(Sql)) throw new ValidationException("EmptySql", "-Sql is empty.");
                if (ResumeTimeout <= TimeSpan.Zero) throw new ValidationException("InvalidTimeout", "-ResumeTimeout must be positive.");
                if (!string.IsNullOrEmpty(DBClusterIdentifier)) AuroraValidation.ClusterIdentifier(DBClusterIdentifier);
                if (string.IsNullOrEmpty(DBClusterIdentifier) && (ResourceArn == null || SecretArn == null))
                    throw new ValidationException("ClusterRequired", "Give -DBClusterIdentifier (or pipe New-AuroraServerlessCluster), or both -ResourceArn and -SecretArn.");
                if (Parameter != null)
                {
                    parameters = new List<KeyValuePair<string, object?>>();
                    foreach (DictionaryEntry entry in Parameter)
                    {
                        var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$"))
                            throw new ValidationException("InvalidParameterName", $"-Parameter key '{name}' is not a valid :name.");
                        var value = entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
                        OcdsAws.Aws.Services.SqlParameters.ToJson(name, value); // refuses a value it cannot type, before any call
                        parameters.Add(new KeyValuePair<string, object?>(name, value));
                    }
                }
            }
            catch (ValidationException e)
            {
                WriteFailure(e, DBClusterIdentifier);
                return;
            }
            var service = new AuroraSqlService(Clients, Messages, Clock);
            var (clusterId, resourceArn, secretArn, database, sql, timeout) = (DBClusterIdentifier, ResourceArn, SecretArn, Database, Sql, ResumeTimeout);
            ForItem(clusterId ?? resourceArn, () =>
            {
                var result = Run(async ct =>
                {
                    var target = await service.ResolveAsync(clusterId, resourceArn, secretArn, database, ct).ConfigureAwait(false);
                    return await service.ExecuteAsync(target.ResourceArn, target.SecretArn, sql, target.Database, parameters, timeout, ct).ConfigureAwait(false);
                });
                if (result.Columns.Count == 0)
                {
                    WriteVerbose($"{result.NumberOfRecordsUpdated ?? 0} row(s) changed.");
                    return;
                }
                foreach (var row in result.Rows) WriteObject(Row(result.Columns, row));
            });
        }

        /// <summary>A row as an object whose properties are the column names (a repeated name gets _2, _3…).</summary>
        internal static PSObject Row(IReadOnlyList<string> columns, object?[] values)
        {
            var row = new PSObject();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < columns.Count; i++)
            {
                var name = columns[i].Length == 0 ? "Column" + (i + 1) : columns[i];
                for (var n = 2; !seen.Add(name); n++) name = columns[i] + "_" + n;
                row.Properties.Add(new PSNoteProperty(name, i < values.Length ? values[i] : null));
            }
            return row;
        }
    }

    /// <summary>
    /// <para type="synopsis">Deletes an Aurora cluster and its instances, with a final snapshot unless -SkipFinalSnapshot.</para>
    /// <para type="description">Does nothing when the cluster is already gone. Outputs what it deleted (or started deleting).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "AuroraServerlessCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Snapshot")]
    [OutputType(typeof(AuroraDeletedResource))]
    public sealed class RemoveAuroraServerlessClusterCommand : OcdsAwsCmdlet
    {
        /// <summary>The cluster identifier.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AuroraClusterCompleter))]
        public string DBClusterIdentifier { get; set; } = "";

        /// <summary>The name of the snapshot taken before deletion.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Snapshot")]
        public string FinalSnapshotIdentifier { get; set; } = "";

        /// <summary>Delete without a final snapshot: the data is gone for good (automated backups are deleted too).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Skip")]
        public SwitchParameter SkipFinalSnapshot { get; set; }

        /// <summary>Wait, with progress, until the cluster is gone (needed before Remove-AuroraNetwork).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How long -Wait waits (default 30 minutes).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <summary>Skip the confirmation prompt (never -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        internal IClock Clock { get; set; } = SystemClock.Instance;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string id;
            string? snapshot = null;
            try
            {
                id = AuroraValidation.ClusterIdentifier(DBClusterIdentifier);
                if (ParameterSetName == "Snapshot")
                    snapshot = AuroraValidation.ClusterIdentifier(FinalSnapshotIdentifier, "-FinalSnapshotIdentifier", 255);
                if (Timeout <= TimeSpan.Zero) throw new ValidationException("InvalidTimeout", "-Timeout must be positive.");
            }
            catch (ValidationException e)
            {
                WriteFailure(e, DBClusterIdentifier);
                return;
            }
            var action = snapshot == null ? "Delete the Aurora cluster and its instances WITHOUT a final snapshot" : $"Delete the Aurora cluster and its instances after final snapshot {snapshot}";
            if (!ShouldChange(id, action, Force)) return;
            var service = new AuroraClusterService(Clients, Messages, Clock);
            var (wait, timeout) = (Wait.IsPresent, Timeout);
            ForItem(id, () => WriteObject(Run(ct => service.RemoveAsync(id, snapshot, wait, timeout, ct)), true));
        }
    }

    /// <summary>
    /// <para type="synopsis">Deletes an Aurora network made by New-AuroraNetwork: bastion, internet gateway, route tables, subnets, security groups, DB subnet group, VPC.</para>
    /// <para type="description">Remove the cluster first (Remove-AuroraServerlessCluster -Wait). Does nothing when the network is already gone; refuses VPCs New-AuroraNetwork did not make. Outputs what it deleted.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "AuroraNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AuroraDeletedResource))]
    public sealed class RemoveAuroraNetworkCommand : OcdsAwsCmdlet
    {
        /// <summary>The network's name (the VPC's Name tag).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

        /// <summary>The VPC id (from New-AuroraNetwork).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? VpcId { get; set; }

        /// <summary>Skip the confirmation prompt (never -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            try
            {
                if (string.IsNullOrEmpty(Name) && string.IsNullOrEmpty(VpcId))
                    throw new ValidationException("NetworkRequired", "Give -Name or -VpcId, or pipe New-AuroraNetwork.");
                if (!string.IsNullOrEmpty(Name)) AuroraValidation.Name(Name, "-Name");
                if (!string.IsNullOrEmpty(VpcId) && !System.Text.RegularExpressions.Regex.IsMatch(VpcId, "^vpc-[0-9a-f]+$"))
                    throw new ValidationException("InvalidVpcId", $"-VpcId '{VpcId}' is not a VPC id such as vpc-0123456789abcdef0.");
            }
            catch (ValidationException e)
            {
                WriteFailure(e, Name ?? VpcId);
                return;
            }
            var target = string.IsNullOrEmpty(VpcId) ? Name! : $"{VpcId} ({Name})";
            if (!ShouldChange(target, "Delete the Aurora network: bastion, internet gateway, route tables, subnets, security groups, DB subnet group and VPC", Force)) return;
            var service = new AuroraNetworkService(Clients, Messages);
            var (vpcId, name) = (string.IsNullOrEmpty(VpcId) ? null : VpcId, string.IsNullOrEmpty(Name) ? null : Name);
            ForItem(target, () => WriteObject(Run(ct => service.RemoveAsync(vpcId, name, ct)), true));
        }
    }

    /// <summary>
    /// <para type="synopsis">Starts (or finds) a bastion host for an Aurora network and returns the SSH tunnel command to the database.</para>
    /// <para type="description">Adds an internet gateway, a route table and a public subnet used by the bastion alone (the database subnets stay private), a security group allowing SSH only from -AllowedSshCidr, and PostgreSQL from the bastion into the database group. The instance runs the latest Amazon Linux 2023 from AWS's public SSM parameter, with IMDSv2 required. Invoke-AuroraSql needs no bastion.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AuroraBastion", SupportsShouldProcess = true)]
    [OutputType(typeof(AuroraBastion))]
    public sealed class NewAuroraBastionCommand : OcdsAwsCmdlet
    {
        /// <summary>Who may SSH to the bastion, such as your office's address with /32. Required: there is no default.</summary>
        [Parameter(Mandatory = true)]
        public string AllowedSshCidr { get; set; } = "";

        /// <summary>The EC2 key pair to log in with (default: none; then use EC2 Instance Connect or add a key yourself).</summary>
        [Parameter]
        public string? KeyName { get; set; }

        /// <summary>The instance type (default t3.micro; Graviton types such as t4g.micro get the arm64 image).</summary>
        [Parameter]
        public string InstanceType { get; set; } = "t3.micro";

        /// <summary>The network's name (from New-AuroraNetwork).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

        /// <summary>The VPC (from New-AuroraNetwork).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? VpcId { get; set; }

        /// <summary>The database security group (from New-AuroraNetwork).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SecurityGroupId { get; set; }

        /// <summary>The bastion's public subnet. Default: the first free /24 of the VPC.</summary>
        [Parameter]
        public string? PublicSubnetCidrBlock { get; set; }

        /// <summary>The zone of the public subnet. Default: the first zone of the database subnets.</summary>
        [Parameter]
        [ValidatePattern(@"^[a-z]{2}-[a-z0-9-]+[0-9][a-z]$")]
        public string? AvailabilityZone { get; set; }

        /// <summary>The cluster whose endpoint goes into the SSH tunnel command.</summary>
        [Parameter]
        public string? DBClusterIdentifier { get; set; }

        /// <summary>Allow -AllowedSshCidr 0.0.0.0/0 (SSH from anywhere).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        internal IClock Clock { get; set; } = SystemClock.Instance;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            AuroraBastionRequest request;
            try
            {
                var ssh = Ipv4Cidr.Parse(AllowedSshCidr, "-AllowedSshCidr");
                if (ssh.Prefix == 0 && !Force.IsPresent)
                    throw new ValidationException("SshFromAnywhere", "-AllowedSshCidr 0.0.0.0/0 would let anyone on the internet try to log in to the bastion: give your own address (for example 203.0.113.7/32), or add -Force if you really mean anywhere.");
                if (string.IsNullOrEmpty(VpcId) && string.IsNullOrEmpty(Name))
                    throw new ValidationException("NetworkRequired", "Give -VpcId or -Name, or pipe New-AuroraNetwork into New-AuroraBastion.");
                if (!System.Text.RegularExpressions.Regex.IsMatch(InstanceType, "^[a-z][a-z0-9-]*\\.[a-z0-9]+$"))
                    throw new ValidationException("InvalidInstanceType", $"-InstanceType '{InstanceType}' is not an EC2 instance type such as t3.micro.");
                request = new AuroraBastionRequest
                {
                    Name = string.IsNullOrEmpty(Name) ? null : Name,
                    VpcId = string.IsNullOrEmpty(VpcId) ? null : VpcId,
                    DBSecurityGroupId = string.IsNullOrEmpty(SecurityGroupId) ? null : SecurityGroupId,
                    AvailabilityZone = AvailabilityZone,
                    AllowedSshCidr = ssh,
                    PublicSubnet = PublicSubnetCidrBlock == null ? (Ipv4Cidr?)null : Ipv4Cidr.Parse(PublicSubnetCidrBlock, "-PublicSubnetCidrBlock"),
                    InstanceType = InstanceType,
                    KeyName = KeyName,
                    DBClusterIdentifier = DBClusterIdentifier == null ? null : AuroraValidation.ClusterIdentifier(DBClusterIdentifier),
                };
            }
            catch (ValidationException e)
            {
                WriteFailure(e, VpcId ?? Name);
                return;
            }
            if (request.AllowedSshCidr.Prefix == 0)
                WriteWarning("SSH to the bastion is open to the whole internet (-AllowedSshCidr 0.0.0.0/0).");
            if (!ShouldProcess(request.VpcId ?? request.Name ?? "",
                $"Create or reuse an internet gateway, public subnet, route table, SSH security group (from {request.AllowedSshCidr}) and a {request.InstanceType} bastion"))
                return;
            var service = new AuroraBastionService(Clients, Messages, Clock);
            ForItem(request.VpcId ?? request.Name, () => WriteObject(Run(ct => service.EnsureAsync(request, ct))));
        }
    }
}
