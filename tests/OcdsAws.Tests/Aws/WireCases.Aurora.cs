using System.Collections.Generic;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    public static partial class WireCases
    {
        private const string RdsNs = "http://rds.amazonaws.com/doc/2014-10-31/";

        private static RdsApi Rds(AwsClientFactory c) => new RdsApi(c.Get(AwsService.Rds));

        private const string SubnetGroupXml =
            "<DBSubnetGroup><DBSubnetGroupName>ocds-aurora</DBSubnetGroupName><DBSubnetGroupDescription>Aurora subnets of ocds-aurora</DBSubnetGroupDescription>"
            + "<VpcId>vpc-0a1b2c3d4e5f60718</VpcId><SubnetGroupStatus>Complete</SubnetGroupStatus><Subnets>"
            + "<Subnet><SubnetIdentifier>subnet-0aaa1111bbbb2222c</SubnetIdentifier><SubnetAvailabilityZone><Name>eu-west-1a</Name></SubnetAvailabilityZone><SubnetStatus>Active</SubnetStatus></Subnet>"
            + "<Subnet><SubnetIdentifier>subnet-0ddd3333eeee4444f</SubnetIdentifier><SubnetAvailabilityZone><Name>eu-west-1b</Name></SubnetAvailabilityZone><SubnetStatus>Active</SubnetStatus></Subnet>"
            + "</Subnets><DBSubnetGroupArn>arn:aws:rds:eu-west-1:123456789012:subgrp:ocds-aurora</DBSubnetGroupArn></DBSubnetGroup>";

        private static string ClusterXml(string status) =>
            "<DBCluster><DBClusterIdentifier>ocds</DBClusterIdentifier><Status>" + status + "</Status><Engine>aurora-postgresql</Engine><EngineVersion>16.4</EngineVersion>"
            + "<Endpoint>ocds.cluster-abc.eu-west-1.rds.amazonaws.com</Endpoint><ReaderEndpoint>ocds.cluster-ro-abc.eu-west-1.rds.amazonaws.com</ReaderEndpoint><Port>5432</Port>"
            + "<DatabaseName>common</DatabaseName><MasterUsername>postgres</MasterUsername><DBClusterArn>" + ClusterArn + "</DBClusterArn><BackupRetentionPeriod>1</BackupRetentionPeriod>"
            + "<StorageEncrypted>true</StorageEncrypted><EngineMode>provisioned</EngineMode><HttpEndpointEnabled>false</HttpEndpointEnabled><DBSubnetGroup>ocds-aurora</DBSubnetGroup>"
            + "<VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-0123456789abcdef0</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership></VpcSecurityGroups>"
            + "<ServerlessV2ScalingConfiguration><MinCapacity>0.0</MinCapacity><MaxCapacity>2.0</MaxCapacity><SecondsUntilAutoPause>3600</SecondsUntilAutoPause></ServerlessV2ScalingConfiguration>"
            + "<MasterUserSecret><SecretArn>" + SecretArn + "</SecretArn><SecretStatus>creating</SecretStatus></MasterUserSecret><DBClusterMembers/>"
            + "<DeletionProtection>" + (status == "modifying" ? "false" : "true") + "</DeletionProtection>"
            + "<TagList><Tag><Key>project</Key><Value>ocds</Value></Tag><Tag><Key>ocdsaws:aurora-cluster</Key><Value>ocds</Value></Tag></TagList></DBCluster>";

        private static string InstanceXml(string status) =>
            "<DBInstance><DBInstanceIdentifier>ocds-1</DBInstanceIdentifier><DBInstanceClass>db.serverless</DBInstanceClass><Engine>aurora-postgresql</Engine>"
            + "<DBInstanceStatus>" + status + "</DBInstanceStatus><DBClusterIdentifier>ocds</DBClusterIdentifier><PubliclyAccessible>false</PubliclyAccessible>"
            + "<DBInstanceArn>arn:aws:rds:eu-west-1:123456789012:db:ocds-1</DBInstanceArn></DBInstance>";

        /// <summary>RDS operations of the Aurora section (DescribeDBClusters, DescribeDBEngineVersions and ExecuteStatement are in Foundation).</summary>
        private static readonly IReadOnlyList<WireCase> Aurora = new List<WireCase>
        {
            new WireCase
            {
                Service = "rds", Operation = "CreateDBSubnetGroup", SigningName = "rds",
                Params = """{"DBSubnetGroupName":"ocds-aurora","DBSubnetGroupDescription":"Aurora subnets of ocds-aurora","SubnetIds":["subnet-0aaa1111bbbb2222c","subnet-0ddd3333eeee4444f"],"Tags":[{"Key":"ocdsaws:aurora-network","Value":"ocds-aurora"}]}""",
                Invoke = (c, ct) => Box(Rds(c).CreateDBSubnetGroupAsync("ocds-aurora", "Aurora subnets of ocds-aurora", new[] { "subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f" },
                    new[] { new KeyValuePair<string, string>("ocdsaws:aurora-network", "ocds-aurora") }, ct)),
                Response = QueryXml("CreateDBSubnetGroup", RdsNs, SubnetGroupXml),
                Check = r =>
                {
                    var group = Assert.IsType<RdsSubnetGroup>(r);
                    Assert.Equal("vpc-0a1b2c3d4e5f60718", group.VpcId);
                    Assert.Equal(new[] { "subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f" }, group.SubnetIds);
                },
            },
            new WireCase
            {
                Service = "rds", Operation = "DescribeDBSubnetGroups", SigningName = "rds",
                Params = """{"DBSubnetGroupName":"ocds-aurora"}""",
                Invoke = (c, ct) => Box(Rds(c).FindDBSubnetGroupAsync("ocds-aurora", ct)),
                Response = QueryXml("DescribeDBSubnetGroups", RdsNs, "<DBSubnetGroups>" + SubnetGroupXml + "</DBSubnetGroups>"),
                Check = r => Assert.Equal("ocds-aurora", Assert.IsType<RdsSubnetGroup>(r).DBSubnetGroupName),
            },
            new WireCase
            {
                Service = "rds", Operation = "DeleteDBSubnetGroup", SigningName = "rds",
                Params = """{"DBSubnetGroupName":"ocds-aurora"}""",
                Invoke = (c, ct) => Done(Rds(c).DeleteDBSubnetGroupAsync("ocds-aurora", ct)),
                Response = QueryXml("DeleteDBSubnetGroup", RdsNs, "").Replace("<DeleteDBSubnetGroupResult></DeleteDBSubnetGroupResult>", ""),
            },
            new WireCase
            {
                Service = "rds", Operation = "CreateDBCluster", SigningName = "rds",
                Params = """{"DBClusterIdentifier":"ocds","Engine":"aurora-postgresql","EngineVersion":"16.4","EngineMode":"provisioned","MasterUsername":"postgres","ManageMasterUserPassword":true,"DatabaseName":"common","BackupRetentionPeriod":1,"DBSubnetGroupName":"ocds-aurora","VpcSecurityGroupIds":["sg-0123456789abcdef0"],"StorageEncrypted":true,"ServerlessV2ScalingConfiguration":{"MinCapacity":0.5,"MaxCapacity":2.5,"SecondsUntilAutoPause":3600},"EnableHttpEndpoint":true,"DeletionProtection":true,"Tags":[{"Key":"project","Value":"ocds"}]}""",
                Invoke = (c, ct) => Box(Rds(c).CreateDBClusterAsync(new RdsClusterSpec
                {
                    DBClusterIdentifier = "ocds", EngineVersion = "16.4", MasterUsername = "postgres", DatabaseName = "common", BackupRetentionPeriod = 1,
                    DBSubnetGroupName = "ocds-aurora", VpcSecurityGroupIds = new[] { "sg-0123456789abcdef0" }, MinCapacity = 0.5, MaxCapacity = 2.5, SecondsUntilAutoPause = 3600, EnableHttpEndpoint = true,
                    DeletionProtection = true,
                    Tags = new[] { new KeyValuePair<string, string>("project", "ocds") },
                }, ct)),
                Response = QueryXml("CreateDBCluster", RdsNs, ClusterXml("creating")),
                Check = r =>
                {
                    var cluster = Assert.IsType<RdsCluster>(r);
                    Assert.Equal(("creating", 3600, SecretArn), (cluster.Status, cluster.SecondsUntilAutoPause, cluster.MasterUserSecretArn));
                    Assert.Equal((true, "postgres"), (cluster.DeletionProtection, cluster.MasterUsername));
                    Assert.Equal(new[] { new KeyValuePair<string, string>("project", "ocds"), new KeyValuePair<string, string>("ocdsaws:aurora-cluster", "ocds") }, cluster.Tags);
                },
            },
            new WireCase
            {
                Service = "rds", Operation = "ModifyDBCluster", SigningName = "rds",
                Params = """{"DBClusterIdentifier":"ocds","ApplyImmediately":true,"DeletionProtection":false}""",
                Invoke = (c, ct) => Box(Rds(c).ModifyDBClusterDeletionProtectionAsync("ocds", false, ct)),
                Response = QueryXml("ModifyDBCluster", RdsNs, ClusterXml("modifying")),
                Check = r => Assert.False(Assert.IsType<RdsCluster>(r).DeletionProtection),
            },
            new WireCase
            {
                Service = "rds", Operation = "DeleteDBCluster", SigningName = "rds",
                Params = """{"DBClusterIdentifier":"ocds","SkipFinalSnapshot":false,"FinalDBSnapshotIdentifier":"ocds-final"}""",
                Invoke = (c, ct) => Box(Rds(c).DeleteDBClusterAsync("ocds", "ocds-final", ct)),
                Response = QueryXml("DeleteDBCluster", RdsNs, ClusterXml("deleting")),
                Check = r => Assert.Equal("deleting", Assert.IsType<RdsCluster>(r).Status),
            },
            new WireCase
            {
                Service = "rds", Operation = "DescribeDBInstances", SigningName = "rds",
                Params = """{"Filters":[{"Name":"db-cluster-id","Values":["ocds"]}]}""",
                Invoke = (c, ct) => Box(Rds(c).DescribeDBInstancesAsync("ocds", ct)),
                Response = QueryXml("DescribeDBInstances", RdsNs, "<DBInstances>" + InstanceXml("available") + "</DBInstances>"),
                Check = r =>
                {
                    var instance = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<RdsInstance>>(r));
                    Assert.Equal(("ocds-1", "db.serverless", "available", false), (instance.DBInstanceIdentifier, instance.DBInstanceClass, instance.Status, instance.PubliclyAccessible));
                },
            },
            new WireCase
            {
                Service = "rds", Operation = "CreateDBInstance", SigningName = "rds",
                Params = """{"DBInstanceIdentifier":"ocds-1","DBInstanceClass":"db.serverless","Engine":"aurora-postgresql","DBClusterIdentifier":"ocds","PubliclyAccessible":false}""",
                Invoke = (c, ct) => Box(Rds(c).CreateDBInstanceAsync("ocds-1", "ocds", "aurora-postgresql", null, ct)),
                Response = QueryXml("CreateDBInstance", RdsNs, InstanceXml("creating")),
                Check = r => Assert.Equal("creating", Assert.IsType<RdsInstance>(r).Status),
            },
            new WireCase
            {
                Service = "rds", Operation = "DeleteDBInstance", SigningName = "rds",
                Params = """{"DBInstanceIdentifier":"ocds-1"}""",
                Invoke = (c, ct) => Box(Rds(c).DeleteDBInstanceAsync("ocds-1", ct)),
                Response = QueryXml("DeleteDBInstance", RdsNs, InstanceXml("deleting")),
                Check = r => Assert.Equal("deleting", Assert.IsType<RdsInstance>(r).Status),
            },
            new WireCase
            {
                Service = "rds", Operation = "EnableHttpEndpoint", SigningName = "rds",
                Params = "{\"ResourceArn\":\"" + ClusterArn + "\"}",
                Invoke = (c, ct) => Box(Rds(c).EnableHttpEndpointAsync(ClusterArn, ct)),
                Response = QueryXml("EnableHttpEndpoint", RdsNs, "<ResourceArn>" + ClusterArn + "</ResourceArn><HttpEndpointEnabled>true</HttpEndpointEnabled>"),
                Check = r => Assert.Equal(true, r),
            },
        };
    }
}
