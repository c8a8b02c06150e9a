using System.Collections.Generic;
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
        };
    }

    /// <summary>One resource a Remove- cmdlet deleted (or started deleting).</summary>
    public sealed class AuroraDeletedResource
    {
        /// <summary>Creates the record.</summary>
        public AuroraDeletedResource(string resourceType, string resourceId, string? status = null)
        {
            ResourceType = resourceType;
            ResourceId = resourceId;
            Status = status ?? "deleted";
        }

        /// <summary>What kind of resource: DBCluster, DBInstance, DBSubnetGroup, SecurityGroup, Subnet, RouteTable, InternetGateway, Instance, Vpc.</summary>
        public string ResourceType { get; }

        /// <summary>Its id or name.</summary>
        public string ResourceId { get; }

        /// <summary>deleted, or the status AWS reported (deleting) when deletion continues in the background.</summary>
        public string Status { get; }

        /// <inheritdoc />
        public override string ToString() => $"{ResourceType} {ResourceId} {Status}";
    }
}
