using System;
using System.Collections.Generic;
using System.Linq;
using OcdsAws.Aws.Services;

namespace OcdsAws.Aurora
{
    /// <summary>
    /// The network of an Aurora cluster: VPC, two private subnets in two zones, the PostgreSQL security
    /// group and the RDS DB subnet group. Property names bind by name to New-AuroraServerlessCluster,
    /// New-AuroraBastion and Remove-AuroraNetwork (and to AWS.Tools' -VpcId, -SubnetId…).
    /// </summary>
    public sealed class AuroraNetwork
    {
        /// <summary>The name the network's resources are tagged with (tag Name).</summary>
        public string Name { get; set; } = "";

        /// <summary>The AWS region.</summary>
        public string Region { get; set; } = "";

        /// <summary>The VPC id.</summary>
        public string VpcId { get; set; } = "";

        /// <summary>The VPC's IPv4 CIDR block.</summary>
        public string CidrBlock { get; set; } = "";

        /// <summary>The database subnets, one per availability zone.</summary>
        public string[] SubnetIds { get; set; } = new string[0];

        /// <summary>The zones of <see cref="SubnetIds"/>, in the same order.</summary>
        public string[] AvailabilityZones { get; set; } = new string[0];

        /// <summary>The security group that allows PostgreSQL (TCP 5432) in.</summary>
        public string SecurityGroupId { get; set; } = "";

        /// <summary>The CIDR blocks allowed into <see cref="SecurityGroupId"/> on TCP 5432.</summary>
        public string[] AllowedCidr { get; set; } = new string[0];

        /// <summary>The RDS DB subnet group over <see cref="SubnetIds"/>.</summary>
        public string DBSubnetGroupName { get; set; } = "";
    }

    /// <summary>An Aurora Serverless v2 PostgreSQL cluster. Pipes into Invoke-AuroraSql and Remove-AuroraServerlessCluster.</summary>
    public sealed class AuroraCluster
    {
        /// <summary>The cluster identifier.</summary>
        public string DBClusterIdentifier { get; set; } = "";

        /// <summary>The region the cluster is in: piped on, the next cmdlet works there.</summary>
        public string Region { get; set; } = "";

        /// <summary>The writer endpoint (private: reach it through the Data API or a bastion).</summary>
        public string? Endpoint { get; set; }

        /// <summary>The reader endpoint.</summary>
        public string? ReaderEndpoint { get; set; }

        /// <summary>The PostgreSQL port.</summary>
        public int? Port { get; set; }

        /// <summary>creating, available, deleting…</summary>
        public string? Status { get; set; }

        /// <summary>Always aurora-postgresql for clusters this module creates.</summary>
        public string? Engine { get; set; }

        /// <summary>The Aurora PostgreSQL version.</summary>
        public string? EngineVersion { get; set; }

        /// <summary>Minimum Aurora capacity units; 0 lets the cluster pause.</summary>
        public double? MinCapacity { get; set; }

        /// <summary>Maximum Aurora capacity units.</summary>
        public double? MaxCapacity { get; set; }

        /// <summary>Idle seconds before the cluster pauses (MinCapacity 0 only).</summary>
        public int? SecondsUntilAutoPause { get; set; }

        /// <summary>Whether the RDS Data API is on.</summary>
        public bool HttpEndpointEnabled { get; set; }

        /// <summary>The Secrets Manager secret RDS manages for the master password. The password itself is never read.</summary>
        public string? MasterUserSecretArn { get; set; }

        /// <summary>The initial database.</summary>
        public string? DatabaseName { get; set; }

        /// <summary>Days automated backups are kept.</summary>
        public int? BackupRetentionPeriod { get; set; }

        /// <summary>The cluster ARN (the Data API's resource ARN).</summary>
        public string? DBClusterArn { get; set; }

        /// <summary>The cluster's DB instances.</summary>
        public string[] DBInstanceIdentifiers { get; set; } = new string[0];

        /// <summary>The master user psql logs in as (through New-AuroraBastion's tunnel).</summary>
        public string? MasterUsername { get; set; }

        /// <summary>
        /// A PowerShell command that puts the master password into $env:PGPASSWORD for psql, read from the RDS-managed secret with the
        /// aws CLI when it runs. The command, never the value: the module itself never reads the password.
        /// </summary>
        public string? PasswordCommand { get; set; }

        /// <summary>Whether deletion protection is on (Remove-AuroraServerlessCluster turns it off only with -Force).</summary>
        public bool DeletionProtection { get; set; }

        /// <summary>The cluster's tags, including ocdsaws:aurora-cluster on clusters this module created.</summary>
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        internal static AuroraCluster From(RdsCluster c, string region) => new AuroraCluster
        {
            DBClusterIdentifier = c.DBClusterIdentifier,
            Region = region,
            Endpoint = c.Endpoint,
            ReaderEndpoint = c.ReaderEndpoint,
            Port = c.Port,
            Status = c.Status,
            Engine = c.Engine,
            EngineVersion = c.EngineVersion,
            MinCapacity = c.MinCapacity,
            MaxCapacity = c.MaxCapacity,
            SecondsUntilAutoPause = c.SecondsUntilAutoPause,
            HttpEndpointEnabled = c.HttpEndpointEnabled,
            MasterUserSecretArn = c.MasterUserSecretArn,
            DatabaseName = c.DatabaseName,
            BackupRetentionPeriod = c.BackupRetentionPeriod,
            DBClusterArn = c.DBClusterArn,
            DBInstanceIdentifiers = new List<string>(c.MemberInstances).ToArray(),
            MasterUsername = c.MasterUsername,
            PasswordCommand = PasswordCommandFor(c.MasterUserSecretArn, region),
            DeletionProtection = c.DeletionProtection,
            Tags = c.Tags.GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
        };

        /// <summary>
        /// RDS keeps the master password as JSON with "username" and "password" in the managed secret ("Password management with
        /// Amazon Aurora and AWS Secrets Manager", https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html;
        /// not confirmed here: that page was not read, the JSON shape is what moto's managed secret holds). psql reads PGPASSWORD
        /// (PostgreSQL's libpq environment variables). Quoted for PowerShell: an ARN holds no single quote.
        /// </summary>
        internal static string? PasswordCommandFor(string? secretArn, string region)
            => secretArn == null ? null
                : $"$env:PGPASSWORD = (aws secretsmanager get-secret-value --region {region} --secret-id '{secretArn}' --query SecretString --output text | ConvertFrom-Json).password";
    }

    /// <summary>One resource a Remove- cmdlet deleted (or started deleting).</summary>
    public sealed class AuroraDeletedResource
    {
        /// <summary>Creates the record.</summary>
        public AuroraDeletedResource(string resourceType, string resourceId, string? status = null, string? awsStatus = null)
        {
            ResourceType = resourceType;
            ResourceId = resourceId;
            Status = status ?? "deleted";
            AwsStatus = awsStatus;
        }

        /// <summary>What kind of resource: DBCluster, DBInstance, DBSubnetGroup, SecurityGroup, Subnet, RouteTable, InternetGateway, Instance, Vpc.</summary>
        public string ResourceType { get; }

        /// <summary>Its id or name.</summary>
        public string ResourceId { get; }

        /// <summary>deleted, or deleting when deletion continues in the background.</summary>
        public string Status { get; }

        /// <summary>
        /// The status AWS answered to the delete call, as it answered it (a cluster still says available while its final snapshot
        /// is taken); null for resources whose delete call answers no status.
        /// </summary>
        public string? AwsStatus { get; }

        /// <inheritdoc />
        public override string ToString() => $"{ResourceType} {ResourceId} {Status}";
    }
}
