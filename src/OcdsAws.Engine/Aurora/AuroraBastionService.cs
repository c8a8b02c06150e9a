using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;
using AmazonSsm = Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient;
using GetParameterRequest = Amazon.SimpleSystemsManagement.Model.GetParameterRequest;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;

namespace OcdsAws.Aurora
{
    /// <summary>The bastion host of an Aurora network: how to reach it and the SSH tunnel to the database.</summary>
    public sealed class AuroraBastion
    {
        /// <summary>The EC2 instance id.</summary>
        public string InstanceId { get; set; } = "";

        /// <summary>The region the bastion is in.</summary>
        public string Region { get; set; } = "";

        /// <summary>The instance state (pending, running…).</summary>
        public string? State { get; set; }

        /// <summary>The bastion's public IPv4 address.</summary>
        public string? PublicIpAddress { get; set; }

        /// <summary>The bastion's public DNS name.</summary>
        public string? PublicDnsName { get; set; }

        /// <summary>The Amazon Linux image it runs (from the public SSM parameter).</summary>
        public string? ImageId { get; set; }

        /// <summary>The VPC.</summary>
        public string VpcId { get; set; } = "";

        /// <summary>The public subnet made for the bastion only.</summary>
        public string SubnetId { get; set; } = "";

        /// <summary>The internet gateway of the public subnet.</summary>
        public string InternetGatewayId { get; set; } = "";

        /// <summary>The public subnet's route table (0.0.0.0/0 to the gateway).</summary>
        public string RouteTableId { get; set; } = "";

        /// <summary>The bastion's security group (SSH from -AllowedSshCidr only).</summary>
        public string BastionSecurityGroupId { get; set; } = "";

        /// <summary>The database security group, which now also admits PostgreSQL from the bastion.</summary>
        public string SecurityGroupId { get; set; } = "";

        /// <summary>Who may SSH to the bastion.</summary>
        public string AllowedSshCidr { get; set; } = "";

        /// <summary>
        /// The SSH tunnel, ready to run: with -KeyName, ssh with the key pair's private key ~/.ssh/KeyName.pem; without, EC2 Instance
        /// Connect pushes ~/.ssh/id_ed25519.pub for 60 seconds and ssh logs in with ~/.ssh/id_ed25519. Then connect to localhost:5432.
        /// </summary>
        public string SshTunnelCommand { get; set; } = "";

        /// <summary>How the tunnel logs in: KeyPair (-KeyName) or EC2InstanceConnect.</summary>
        public string TunnelLogin { get; set; } = "";

        /// <summary>The cluster whose endpoint the tunnel reaches (-DBClusterIdentifier, or the network's one cluster).</summary>
        public string? DBClusterIdentifier { get; set; }

        /// <summary>psql through the open tunnel, as the master user, to the initial database.</summary>
        public string? PsqlCommand { get; set; }

        /// <summary>A PowerShell command that puts the master password into $env:PGPASSWORD for psql (the command, never the value).</summary>
        public string? PasswordCommand { get; set; }
    }

    /// <summary>What New-AuroraBastion asked for, validated.</summary>
    internal sealed class AuroraBastionRequest
    {
        public string? Name { get; set; }
        public string? VpcId { get; set; }
        public string? DBSecurityGroupId { get; set; }
        public string? AvailabilityZone { get; set; }
        public Ipv4Cidr AllowedSshCidr { get; set; }
        public Ipv4Cidr? PublicSubnet { get; set; }
        public string InstanceType { get; set; } = "t3.micro";
        public string? KeyName { get; set; }
        public string? DBEndpoint { get; set; }
        public string? DBClusterIdentifier { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
    }

    /// <summary>
    /// The bastion: a public subnet, internet gateway and route table used by it alone (the database subnets
    /// stay private), an SSH-only security group, and the latest Amazon Linux instance. Reuses what exists.
    /// </summary>
    internal sealed class AuroraBastionService
    {
        public const int WaitActivityId = 5104;
        private const string X86Parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        private const string ArmParameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

        private readonly AmazonEC2Client _ec2;
        private readonly AmazonSsm _ssm;
        private readonly RdsApi _rds;
        private readonly IOperationReporter _reporter;
        private readonly IClock _clock;
        private readonly string _region;

        public AuroraBastionService(AwsClientFactory clients, IOperationReporter reporter, IClock? clock = null)
        {
            _ec2 = clients.Ec2;
            _ssm = clients.Ssm;
            _rds = new RdsApi(clients.Get(AwsService.Rds));
            _reporter = reporter;
            _clock = clock ?? SystemClock.Instance;
            _region = clients.Session.Region.SystemName;
        }

        private static List<Filter> Filters(params (string Name, string Value)[] filters)
            => filters.Select(f => new Filter { Name = f.Name, Values = new List<string> { f.Value } }).ToList();

        private static List<TagSpecification> Tags(ResourceType type, string name, string network) => new List<TagSpecification>
        {
            new TagSpecification { ResourceType = type, Tags = new List<Tag> { new Tag { Key = "Name", Value = name }, new Tag { Key = AuroraNetworkService.NetworkTag, Value = network } } },
        };

        private async Task<InternetGateway?> FindGatewayAsync(string name, string network, CancellationToken ct)
            => ((await _ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { Filters = Filters(("tag:Name", name), ("tag:" + AuroraNetworkService.NetworkTag, network)) }, ct).ConfigureAwait(false))
                .InternetGateways ?? new List<InternetGateway>()).FirstOrDefault(g => g.Attachments == null || g.Attachments.Count == 0 || g.Attachments.All(a => a.State == AttachmentStatus.Detached));

        private static async Task<TItem?> FirstAsync<TResponse, TItem>(Task<TResponse> call, Func<TResponse, List<TItem>?> items) where TItem : class
            => (items(await call.ConfigureAwait(false)) ?? new List<TItem>()).FirstOrDefault();

        /// <summary>Graviton types (t4g, m7g…) need the arm64 image.</summary>
        public static bool IsArm(string instanceType)
        {
            var family = instanceType.Split('.')[0];
            return family.Length > 1 && family.Substring(1).Contains('g');
        }

        public async Task<AuroraBastion> EnsureAsync(AuroraBastionRequest request, CancellationToken ct)
        {
            var vpc = request.VpcId != null
                ? (await _ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = Filters(("vpc-id", request.VpcId)) }, ct).ConfigureAwait(false)).Vpcs?.FirstOrDefault()
                : (await _ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = Filters(("tag:Name", request.Name ?? "")) }, ct).ConfigureAwait(false)).Vpcs?.FirstOrDefault();
            if (vpc == null)
                throw new OcdsAwsException(ErrorIds.VpcNotFound, $"No VPC {request.VpcId ?? request.Name} in {_region}: run New-AuroraNetwork first and pipe it into New-AuroraBastion.", ErrorCategory.ObjectNotFound);
            var network = vpc.Tags?.FirstOrDefault(t => t.Key == AuroraNetworkService.NetworkTag)?.Value ?? vpc.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value ?? vpc.VpcId;
            var name = network + "-bastion";

            var dbGroupId = request.DBSecurityGroupId
                ?? ((await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = Filters(("vpc-id", vpc.VpcId), ("group-name", network + "-postgresql")) }, ct).ConfigureAwait(false))
                    .SecurityGroups ?? new List<SecurityGroup>()).FirstOrDefault()?.GroupId
                ?? throw new OcdsAwsException(ErrorIds.DBSecurityGroupNotFound, $"No database security group in {vpc.VpcId}: give -SecurityGroupId or pipe New-AuroraNetwork.", ErrorCategory.ObjectNotFound);

            // Internet gateway: the VPC's, or one this cmdlet made before it was interrupted, else a new one.
            var gateway = ((await _ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { Filters = Filters(("attachment.vpc-id", vpc.VpcId)) }, ct).ConfigureAwait(false))
                .InternetGateways ?? new List<InternetGateway>()).FirstOrDefault();
            if (gateway == null)
            {
                gateway = await FindGatewayAsync(name, network, ct).ConfigureAwait(false)
                    ?? await LostAnswers.CreateOnceAsync("CreateInternetGateway",
                        async c => (await _ec2.CreateInternetGatewayAsync(new CreateInternetGatewayRequest { TagSpecifications = Tags(ResourceType.InternetGateway, name, network) }, c).ConfigureAwait(false)).InternetGateway,
                        c => FindGatewayAsync(name, network, c), ct).ConfigureAwait(false);
                try
                {
                    await _ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId, VpcId = vpc.VpcId }, ct).ConfigureAwait(false);
                }
                catch (AmazonServiceException e) when (e.ErrorCode == "Resource.AlreadyAssociated")
                {
                    // Attached by an attempt whose answer was lost.
                }
                _reporter.Verbose($"Attached internet gateway {gateway.InternetGatewayId}.");
            }

            // Public subnet, for the bastion only.
            var subnets = (await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = Filters(("vpc-id", vpc.VpcId)) }, ct).ConfigureAwait(false)).Subnets ?? new List<Subnet>();
            var subnet = subnets.FirstOrDefault(s => s.Tags?.Any(t => t.Key == "Name" && t.Value == name) == true);
            if (subnet == null)
            {
                var block = request.PublicSubnet ?? FreeBlock(Ipv4Cidr.Parse(vpc.CidrBlock, "VPC"), subnets.Select(s => Ipv4Cidr.Parse(s.CidrBlock, "subnet")).ToList());
                var vpcBlock = Ipv4Cidr.Parse(vpc.CidrBlock, "VPC");
                if (!vpcBlock.Contains(block))
                    throw new ValidationException(ErrorIds.SubnetOutsideVpc, $"-PublicSubnetCidrBlock {block} is not inside the VPC's {vpc.CidrBlock}.");
                var clash = subnets.FirstOrDefault(s => Ipv4Cidr.Parse(s.CidrBlock, "subnet").Overlaps(block));
                if (clash != null)
                    throw new ValidationException(ErrorIds.OverlappingSubnets, $"-PublicSubnetCidrBlock {block} overlaps subnet {clash.SubnetId} ({clash.CidrBlock}).");
                var zone = request.AvailabilityZone ?? subnets.Select(s => s.AvailabilityZone).OrderBy(z => z, StringComparer.Ordinal).FirstOrDefault();
                var subnetRequest = new CreateSubnetRequest
                {
                    VpcId = vpc.VpcId, CidrBlock = block.ToString(), AvailabilityZone = zone, TagSpecifications = Tags(ResourceType.Subnet, name, network),
                };
                subnet = await LostAnswers.CreateOnceAsync("CreateSubnet",
                    async c => (await _ec2.CreateSubnetAsync(subnetRequest, c).ConfigureAwait(false)).Subnet,
                    async c => ((await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = Filters(("vpc-id", vpc.VpcId), ("tag:Name", name)) }, c).ConfigureAwait(false)).Subnets
                        ?? new List<Subnet>()).FirstOrDefault(), ct).ConfigureAwait(false);
                _reporter.Verbose($"Created public subnet {subnet.SubnetId} ({block}) for the bastion.");
            }
            if (subnet.MapPublicIpOnLaunch != true)
                await _ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnet.SubnetId, MapPublicIpOnLaunch = true }, ct).ConfigureAwait(false);

            // Route table with the default route, associated with the public subnet only.
            Task<RouteTable?> FindTableAsync(CancellationToken c) => FirstAsync(_ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = Filters(("vpc-id", vpc.VpcId), ("tag:Name", name)) }, c), r => r.RouteTables);
            var table = await FindTableAsync(ct).ConfigureAwait(false);
            if (table == null)
            {
                var tableRequest = new CreateRouteTableRequest { VpcId = vpc.VpcId, TagSpecifications = Tags(ResourceType.RouteTable, name, network), ClientToken = Guid.NewGuid().ToString() };
                table = await LostAnswers.CreateOnceAsync("CreateRouteTable",
                    async c => (await _ec2.CreateRouteTableAsync(tableRequest, c).ConfigureAwait(false)).RouteTable, FindTableAsync, ct).ConfigureAwait(false);
                _reporter.Verbose($"Created route table {table.RouteTableId}.");
            }
            try
            {
                if (!(table.Routes ?? new List<Route>()).Any(r => r.DestinationCidrBlock == "0.0.0.0/0"))
                    await _ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = table.RouteTableId, DestinationCidrBlock = "0.0.0.0/0", GatewayId = gateway.InternetGatewayId }, ct).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "RouteAlreadyExists")
            {
                // Added by an attempt whose answer was lost.
            }
            try
            {
                if (!(table.Associations ?? new List<RouteTableAssociation>()).Any(a => a.SubnetId == subnet.SubnetId))
                    await _ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = table.RouteTableId, SubnetId = subnet.SubnetId }, ct).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "Resource.AlreadyAssociated")
            {
                // Associated by an attempt whose answer was lost.
            }

            // Bastion security group: SSH from the allowed block only; the database admits PostgreSQL from it.
            Task<SecurityGroup?> FindBastionGroupAsync(CancellationToken c)
                => FirstAsync(_ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = Filters(("vpc-id", vpc.VpcId), ("group-name", name)) }, c), r => r.SecurityGroups);
            var bastionGroup = await FindBastionGroupAsync(ct).ConfigureAwait(false);
            var bastionGroupId = bastionGroup?.GroupId ?? await LostAnswers.CreateOnceAsync("CreateSecurityGroup",
                async c => (await _ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
                {
                    GroupName = name, Description = $"SSH into the Aurora bastion ({network})", VpcId = vpc.VpcId, TagSpecifications = Tags(ResourceType.SecurityGroup, name, network),
                }, c).ConfigureAwait(false)).GroupId,
                async c => (await FindBastionGroupAsync(c).ConfigureAwait(false))?.GroupId, ct).ConfigureAwait(false);
            var ssh = request.AllowedSshCidr.ToString();
            if (!(bastionGroup?.IpPermissions ?? new List<IpPermission>()).Any(p => p.FromPort == 22 && p.ToPort == 22 && (p.Ipv4Ranges ?? new List<IpRange>()).Any(r => r.CidrIp == ssh)))
                await AuroraNetworkService.AuthorizeOnceAsync(_ec2, new AuthorizeSecurityGroupIngressRequest
                {
                    GroupId = bastionGroupId,
                    IpPermissions = new List<IpPermission> { new IpPermission { IpProtocol = "tcp", FromPort = 22, ToPort = 22, Ipv4Ranges = new List<IpRange> { new IpRange { CidrIp = ssh, Description = "SSH" } } } },
                }, ct).ConfigureAwait(false);
            var dbGroup = ((await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = Filters(("group-id", dbGroupId)) }, ct).ConfigureAwait(false)).SecurityGroups ?? new List<SecurityGroup>()).FirstOrDefault();
            if (!(dbGroup?.IpPermissions ?? new List<IpPermission>()).Any(p => p.FromPort == AuroraNetworkService.PostgresPort && (p.UserIdGroupPairs ?? new List<UserIdGroupPair>()).Any(g => g.GroupId == bastionGroupId)))
                await AuroraNetworkService.AuthorizeOnceAsync(_ec2, new AuthorizeSecurityGroupIngressRequest
                {
                    GroupId = dbGroupId,
                    IpPermissions = new List<IpPermission>
                    {
                        new IpPermission
                        {
                            IpProtocol = "tcp", FromPort = AuroraNetworkService.PostgresPort, ToPort = AuroraNetworkService.PostgresPort,
                            UserIdGroupPairs = new List<UserIdGroupPair> { new UserIdGroupPair { GroupId = bastionGroupId, Description = "PostgreSQL from the bastion" } },
                        },
                    },
                }, ct).ConfigureAwait(false);

            // The instance: reuse a live one, else the latest Amazon Linux from the public SSM parameter.
            async Task<Instance?> FindInstanceAsync(CancellationToken c)
                => (((await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = Filters(("vpc-id", vpc.VpcId), ("tag:Name", name)) }, c).ConfigureAwait(false))
                    .Reservations ?? new List<Reservation>()).SelectMany(r => r.Instances ?? new List<Instance>()))
                    .FirstOrDefault(i => i.State?.Name != InstanceStateName.Terminated && i.State?.Name != InstanceStateName.ShuttingDown);
            var instance = await FindInstanceAsync(ct).ConfigureAwait(false);
            if (instance == null)
            {
                var parameter = IsArm(request.InstanceType) ? ArmParameter : X86Parameter;
                var image = (await _ssm.GetParameterAsync(new GetParameterRequest { Name = parameter }, ct).ConfigureAwait(false)).Parameter.Value;
                var runRequest = new RunInstancesRequest
                {
                    ImageId = image,
                    InstanceType = request.InstanceType,
                    KeyName = request.KeyName,
                    SubnetId = subnet.SubnetId,
                    SecurityGroupIds = new List<string> { bastionGroupId },
                    MinCount = 1,
                    MaxCount = 1,
                    // IMDSv2 only: a bastion faces the internet.
                    MetadataOptions = new InstanceMetadataOptionsRequest { HttpTokens = HttpTokensState.Required },
                    TagSpecifications = Tags(ResourceType.Instance, name, network),
                    // EC2 starts one instance per token however often the request is retried; the lookup covers emulators that ignore it.
                    ClientToken = Guid.NewGuid().ToString(),
                };
                instance = await LostAnswers.CreateOnceAsync("RunInstances",
                    async c => (await _ec2.RunInstancesAsync(runRequest, c).ConfigureAwait(false)).Reservation.Instances[0], FindInstanceAsync, ct).ConfigureAwait(false);
                _reporter.Verbose($"Started bastion {instance.InstanceId} ({request.InstanceType}, {image}).");
            }
            else
            {
                _reporter.Verbose($"Reusing bastion {instance.InstanceId} ({instance.State?.Name}).");
                if (instance.State?.Name == InstanceStateName.Stopped || instance.State?.Name == InstanceStateName.Stopping)
                    _reporter.Warning($"Bastion {instance.InstanceId} is {instance.State?.Name}: start it (Start-EC2Instance) before opening the tunnel.");
            }

            var instanceId = instance.InstanceId;
            if (instance.State?.Name == InstanceStateName.Pending || string.IsNullOrEmpty(instance.PublicIpAddress))
            {
                instance = await Poller.UntilAsync<Instance>(async token =>
                {
                    var current = ((await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = new List<string> { instanceId } }, token).ConfigureAwait(false))
                        .Reservations ?? new List<Reservation>()).SelectMany(r => r.Instances ?? new List<Instance>()).First();
                    var done = current.State?.Name != InstanceStateName.Pending && !string.IsNullOrEmpty(current.PublicIpAddress);
                    return (done || current.State?.Name == InstanceStateName.Stopped, $"bastion {current.State?.Name}", current);
                }, request.Timeout, _clock, _reporter, WaitActivityId, $"Waiting for bastion {instanceId} to run", ct).ConfigureAwait(false);
            }

            var endpoint = request.DBEndpoint;
            RdsCluster? cluster = null;
            if (endpoint == null && request.DBClusterIdentifier != null)
                cluster = await _rds.FindDBClusterAsync(request.DBClusterIdentifier, ct).ConfigureAwait(false);
            else if (endpoint == null)
            {
                // No -DBClusterIdentifier: the network's one cluster (its DB subnet group is the network's), so the line works as printed.
                var inNetwork = (await _rds.DescribeDBClustersAsync(null, ct).ConfigureAwait(false))
                    .Where(c => string.Equals(c.DBSubnetGroup, network.ToLowerInvariant(), StringComparison.Ordinal)).ToList();
                if (inNetwork.Count == 1) cluster = inNetwork[0];
                else _reporter.Warning(inNetwork.Count == 0
                    ? $"No Aurora cluster uses network {network} yet: the tunnel line has a <cluster endpoint> placeholder. Run New-AuroraBastion again with -DBClusterIdentifier once the cluster exists."
                    : $"Network {network} has {inNetwork.Count} clusters ({string.Join(", ", inNetwork.Select(c => c.DBClusterIdentifier))}): give -DBClusterIdentifier to put one's endpoint into the tunnel line.");
            }
            endpoint ??= cluster?.Endpoint;
            var host = instance.PublicDnsName is string dns && dns.Length > 0 ? dns : instance.PublicIpAddress;
            var forward = $"-N -L 5432:{endpoint ?? "<cluster endpoint>"}:5432 ec2-user@{host}";
            // ec2-user: the default user of Amazon Linux images. With a key pair, ssh needs its private key (-i). Without one, EC2
            // Instance Connect pushes a public key of the caller's for 60 seconds (botocore ec2-instance-connect model, SendSSHPublicKey:
            // InstanceId, InstanceOSUser, SSHPublicKey required; "The key remains for 60 seconds"), and ssh logs in with the matching
            // private key right after. Not confirmed here: that the Amazon Linux 2023 image has EC2 Instance Connect's package
            // preinstalled (AWS's EC2 user guide says so; that page was not read here). "$HOME/..." expands in PowerShell and in sh.
            var tunnel = request.KeyName != null
                ? $"ssh -i \"$HOME/.ssh/{request.KeyName}.pem\" {forward}"
                : $"aws ec2-instance-connect send-ssh-public-key --region {_region} --instance-id {instance.InstanceId} --instance-os-user ec2-user --ssh-public-key \"file://$HOME/.ssh/id_ed25519.pub\"; "
                    + $"ssh -i \"$HOME/.ssh/id_ed25519\" {forward}";
            return new AuroraBastion
            {
                InstanceId = instance.InstanceId,
                Region = _region,
                State = instance.State?.Name?.Value,
                PublicIpAddress = instance.PublicIpAddress,
                PublicDnsName = instance.PublicDnsName,
                ImageId = instance.ImageId,
                VpcId = vpc.VpcId,
                SubnetId = subnet.SubnetId,
                InternetGatewayId = gateway.InternetGatewayId,
                RouteTableId = table.RouteTableId,
                BastionSecurityGroupId = bastionGroupId,
                SecurityGroupId = dbGroupId,
                AllowedSshCidr = ssh,
                SshTunnelCommand = tunnel,
                TunnelLogin = request.KeyName != null ? "KeyPair" : "EC2InstanceConnect",
                DBClusterIdentifier = cluster?.DBClusterIdentifier ?? request.DBClusterIdentifier,
                PsqlCommand = cluster == null ? null : $"psql \"host=localhost port=5432 dbname={cluster.DatabaseName ?? "postgres"} user={cluster.MasterUsername ?? "postgres"} sslmode=require\"",
                PasswordCommand = cluster == null ? null : AuroraCluster.PasswordCommandFor(cluster.MasterUserSecretArn, _region),
            };
        }

        /// <summary>The first /24 (or the VPC's own size when smaller) inside the VPC that no subnet uses.</summary>
        internal static Ipv4Cidr FreeBlock(Ipv4Cidr vpc, IReadOnlyList<Ipv4Cidr> used)
        {
            var prefix = Math.Max(24, Math.Min(28, vpc.Prefix + 1));
            var size = 1u << (32 - prefix);
            for (var network = vpc.Network; vpc.Contains(Ipv4Cidr.Parse(Text(network, prefix), "block")); network += size)
            {
                var block = Ipv4Cidr.Parse(Text(network, prefix), "block");
                if (!used.Any(u => u.Overlaps(block))) return block;
                if (network + size < network) break;
            }
            throw new ValidationException(ErrorIds.NoFreeBlock, $"The VPC's {vpc} has no free /{prefix} for the bastion's public subnet: give -PublicSubnetCidrBlock.");
        }

        private static string Text(uint network, int prefix) => $"{network >> 24}.{(network >> 16) & 255}.{(network >> 8) & 255}.{network & 255}/{prefix}";
    }
}
