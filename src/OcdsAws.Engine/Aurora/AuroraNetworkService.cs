using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Management.Automation;
using Amazon.EC2;
using Amazon.EC2.Model;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;

namespace OcdsAws.Aurora
{
    /// <summary>What New-AuroraNetwork asked for, validated.</summary>
    internal sealed class AuroraNetworkSpec
    {
        public string Name { get; set; } = "";
        public Ipv4Cidr Vpc { get; set; }
        public IReadOnlyList<Ipv4Cidr> Subnets { get; set; } = new Ipv4Cidr[0];
        public IReadOnlyList<string>? Zones { get; set; }
        public IReadOnlyList<Ipv4Cidr> AllowedCidrs { get; set; } = new Ipv4Cidr[0];
        public string SecurityGroupName { get; set; } = "";
        public string DBSubnetGroupName => Name.ToLowerInvariant(); // RDS stores subnet group names in lower case
    }

    /// <summary>
    /// The Aurora network through EC2 (the official SDK) and RDS: finds each piece by name first and
    /// creates only what is missing, so re-running changes nothing.
    /// </summary>
    internal sealed class AuroraNetworkService
    {
        /// <summary>The tag that marks everything a network owns, so Remove-AuroraNetwork deletes only that.</summary>
        public const string NetworkTag = "ocdsaws:aurora-network";
        public const int PostgresPort = 5432;

        private readonly AmazonEC2Client _ec2;
        private readonly RdsApi _rds;
        public const int TerminateActivityId = 5105;

        private readonly IOperationReporter _reporter;
        private readonly IClock _clock;
        private readonly string _region;

        public AuroraNetworkService(AwsClientFactory clients, IOperationReporter reporter, IClock? clock = null)
        {
            _clock = clock ?? SystemClock.Instance;
            _ec2 = clients.Ec2;
            _rds = new RdsApi(clients.Get(AwsService.Rds));
            _reporter = reporter;
            _region = clients.Session.Region.SystemName;
        }

        private static List<Filter> Filters(params (string Name, string Value)[] filters)
            => filters.Select(f => new Filter { Name = f.Name, Values = new List<string> { f.Value } }).ToList();

        private List<TagSpecification> Tags(ResourceType type, string name, string network) => new List<TagSpecification>
        {
            new TagSpecification
            {
                ResourceType = type,
                Tags = new List<Tag> { new Tag { Key = "Name", Value = name }, new Tag { Key = NetworkTag, Value = network } },
            },
        };

        /// <summary>The VPC tagged Name=<paramref name="name"/>, or null.</summary>
        public async Task<Vpc?> FindVpcAsync(string name, CancellationToken ct)
        {
            var vpcs = (await _ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = Filters(("tag:Name", name)) }, ct).ConfigureAwait(false)).Vpcs ?? new List<Vpc>();
            if (vpcs.Count > 1)
                throw new OcdsAwsException(ErrorIds.AmbiguousVpcName, $"{vpcs.Count} VPCs in {_region} are named {name} ({string.Join(", ", vpcs.Select(v => v.VpcId))}): rename or remove the extra ones, or choose another -Name.",
                    ErrorCategory.InvalidData);
            return vpcs.FirstOrDefault();
        }

        public async Task<Vpc?> GetVpcAsync(string vpcId, CancellationToken ct)
        {
            var vpcs = (await _ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = Filters(("vpc-id", vpcId)) }, ct).ConfigureAwait(false)).Vpcs;
            return vpcs?.FirstOrDefault();
        }

        public async Task<AuroraNetwork> EnsureAsync(AuroraNetworkSpec spec, CancellationToken ct)
        {
            // VPC
            var vpc = await FindVpcAsync(spec.Name, ct).ConfigureAwait(false);
            if (vpc == null)
            {
                // A VPC has no client token: if an answer is lost, the Name tag (set atomically) finds the VPC made.
                vpc = await LostAnswers.CreateOnceAsync("CreateVpc",
                    async c => (await _ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = spec.Vpc.ToString(), TagSpecifications = Tags(ResourceType.Vpc, spec.Name, spec.Name) }, c).ConfigureAwait(false)).Vpc,
                    c => FindVpcAsync(spec.Name, c), ct).ConfigureAwait(false);
                _reporter.Verbose($"Created VPC {vpc.VpcId} ({spec.Vpc}) named {spec.Name}.");
            }
            else
            {
                if (vpc.CidrBlock != spec.Vpc.ToString())
                    throw new OcdsAwsException(ErrorIds.VpcCidrMismatch, $"The VPC named {spec.Name} ({vpc.VpcId}) has CIDR {vpc.CidrBlock}, not {spec.Vpc}: pass -CidrBlock {vpc.CidrBlock} or choose another -Name.",
                        ErrorCategory.InvalidData);
                _reporter.Verbose($"Reusing VPC {vpc.VpcId} named {spec.Name}.");
            }

            // Subnets: found by CIDR (unique within a VPC); zones chosen among those still free.
            var existing = (await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = Filters(("vpc-id", vpc.VpcId)) }, ct).ConfigureAwait(false)).Subnets ?? new List<Subnet>();
            foreach (var s in existing)
            {
                var block = Ipv4Cidr.Parse(s.CidrBlock, "subnet");
                foreach (var wanted in spec.Subnets)
                    if (wanted.Overlaps(block) && wanted.ToString() != s.CidrBlock)
                        throw new OcdsAwsException(ErrorIds.SubnetConflict, $"Subnet {s.SubnetId} ({s.CidrBlock}) in {vpc.VpcId} overlaps -SubnetCidrBlock {wanted}: choose blocks that do not overlap it.",
                            ErrorCategory.ResourceExists);
            }
            var zones = await ZonesAsync(spec, existing, ct).ConfigureAwait(false);
            var subnets = new List<Subnet>();
            for (var i = 0; i < spec.Subnets.Count; i++)
            {
                var cidr = spec.Subnets[i].ToString();
                var subnet = existing.FirstOrDefault(s => s.CidrBlock == cidr);
                if (subnet == null)
                {
                    var request = new CreateSubnetRequest
                    {
                        VpcId = vpc.VpcId,
                        CidrBlock = cidr,
                        AvailabilityZone = zones[i],
                        TagSpecifications = Tags(ResourceType.Subnet, $"{spec.Name}-db-{i + 1}", spec.Name),
                    };
                    subnet = await LostAnswers.CreateOnceAsync("CreateSubnet",
                        async c => (await _ec2.CreateSubnetAsync(request, c).ConfigureAwait(false)).Subnet,
                        c => FindSubnetAsync(vpc.VpcId, cidr, c), ct).ConfigureAwait(false);
                    _reporter.Verbose($"Created subnet {subnet.SubnetId} ({cidr}) in {subnet.AvailabilityZone}.");
                }
                else
                {
                    _reporter.Verbose($"Reusing subnet {subnet.SubnetId} ({cidr}) in {subnet.AvailabilityZone}.");
                }
                subnets.Add(subnet);
            }
            if (subnets.Select(s => s.AvailabilityZone).Distinct().Count() < 2)
                throw new OcdsAwsException(ErrorIds.TooFewZones, $"The subnets of {vpc.VpcId} are all in {subnets[0].AvailabilityZone}: Aurora needs two zones. Remove the network or give -SubnetCidrBlock blocks that do not exist yet.",
                    ErrorCategory.InvalidData);

            // Security group allowing PostgreSQL from the allowed blocks only.
            var group = await FindGroupAsync(vpc.VpcId, spec.SecurityGroupName, ct).ConfigureAwait(false);
            string groupId;
            if (group == null)
            {
                var request = new CreateSecurityGroupRequest
                {
                    GroupName = spec.SecurityGroupName,
                    Description = $"PostgreSQL into Aurora ({spec.Name})",
                    VpcId = vpc.VpcId,
                    TagSpecifications = Tags(ResourceType.SecurityGroup, spec.SecurityGroupName, spec.Name),
                };
                groupId = await LostAnswers.CreateOnceAsync("CreateSecurityGroup",
                    async c => (await _ec2.CreateSecurityGroupAsync(request, c).ConfigureAwait(false)).GroupId,
                    async c => (await FindGroupAsync(vpc.VpcId, spec.SecurityGroupName, c).ConfigureAwait(false))?.GroupId, ct).ConfigureAwait(false);
                _reporter.Verbose($"Created security group {groupId} ({spec.SecurityGroupName}).");
            }
            else
            {
                groupId = group.GroupId;
                _reporter.Verbose($"Reusing security group {groupId} ({spec.SecurityGroupName}).");
            }
            var allowed = (group?.IpPermissions ?? new List<IpPermission>())
                .Where(p => p.IpProtocol == "tcp" && p.FromPort == PostgresPort && p.ToPort == PostgresPort)
                .SelectMany(p => p.Ipv4Ranges ?? new List<IpRange>()).Select(r => r.CidrIp).ToList();
            var missing = spec.AllowedCidrs.Select(c => c.ToString()).Where(c => !allowed.Contains(c)).Distinct().ToList();
            if (missing.Count > 0)
            {
                await AuthorizeOnceAsync(_ec2, new AuthorizeSecurityGroupIngressRequest
                {
                    GroupId = groupId,
                    IpPermissions = new List<IpPermission>
                    {
                        new IpPermission
                        {
                            IpProtocol = "tcp", FromPort = PostgresPort, ToPort = PostgresPort,
                            Ipv4Ranges = missing.Select(c => new IpRange { CidrIp = c, Description = "PostgreSQL" }).ToList(),
                        },
                    },
                }, ct).ConfigureAwait(false);
                _reporter.Verbose($"Allowed TCP {PostgresPort} into {groupId} from {string.Join(", ", missing)}.");
            }

            // DB subnet group over the subnets.
            var subnetIds = subnets.Select(s => s.SubnetId).ToList();
            var subnetGroup = await _rds.FindDBSubnetGroupAsync(spec.DBSubnetGroupName, ct).ConfigureAwait(false);
            if (subnetGroup == null)
            {
                try
                {
                    await _rds.CreateDBSubnetGroupAsync(spec.DBSubnetGroupName, $"Aurora subnets of {spec.Name}", subnetIds,
                        new[] { new KeyValuePair<string, string>(NetworkTag, spec.Name) }, ct).ConfigureAwait(false);
                    _reporter.Verbose($"Created DB subnet group {spec.DBSubnetGroupName}.");
                }
                catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "DBSubnetGroupAlreadyExists" || e.ErrorCode == "DBSubnetGroupAlreadyExistsFault")
                {
                    // Made meanwhile, or by an attempt whose answer was lost: what a re-run would find.
                    _reporter.Verbose($"DB subnet group {spec.DBSubnetGroupName} exists already; reusing it.");
                }
            }
            else if (subnetGroup.VpcId != null && subnetGroup.VpcId != vpc.VpcId)
            {
                throw new OcdsAwsException(ErrorIds.SubnetGroupInOtherVpc, $"DB subnet group {spec.DBSubnetGroupName} already exists in {subnetGroup.VpcId}, not {vpc.VpcId}: choose another -Name.",
                    ErrorCategory.ResourceExists);
            }
            else
            {
                _reporter.Verbose($"Reusing DB subnet group {spec.DBSubnetGroupName}.");
            }

            return new AuroraNetwork
            {
                Name = spec.Name,
                Region = _region,
                VpcId = vpc.VpcId,
                CidrBlock = vpc.CidrBlock,
                SubnetIds = subnetIds.ToArray(),
                AvailabilityZones = subnets.Select(s => s.AvailabilityZone).ToArray(),
                SecurityGroupId = groupId,
                AllowedCidr = allowed.Concat(missing).Distinct().ToArray(),
                DBSubnetGroupName = spec.DBSubnetGroupName,
            };
        }

        private async Task<Subnet?> FindSubnetAsync(string vpcId, string cidr, CancellationToken ct)
            => ((await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = Filters(("vpc-id", vpcId), ("cidr-block", cidr)) }, ct).ConfigureAwait(false)).Subnets
                ?? new List<Subnet>()).FirstOrDefault();

        /// <summary>Adds ingress rules; a rule that exists already (added meanwhile, or by an attempt whose answer was lost) is the goal.</summary>
        internal static async Task AuthorizeOnceAsync(AmazonEC2Client ec2, AuthorizeSecurityGroupIngressRequest request, CancellationToken ct)
        {
            try
            {
                await ec2.AuthorizeSecurityGroupIngressAsync(request, ct).ConfigureAwait(false);
            }
            catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "InvalidPermission.Duplicate")
            {
            }
        }

        public async Task<SecurityGroup?> FindGroupAsync(string vpcId, string groupName, CancellationToken ct)
            => ((await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = Filters(("vpc-id", vpcId), ("group-name", groupName)) }, ct).ConfigureAwait(false))
                .SecurityGroups ?? new List<SecurityGroup>()).FirstOrDefault();

        /// <summary>One zone per wanted subnet: the subnet's own zone when it exists, else the given or the first free available zones.</summary>
        private async Task<IReadOnlyList<string>> ZonesAsync(AuroraNetworkSpec spec, IReadOnlyList<Subnet> existing, CancellationToken ct)
        {
            if (spec.Zones != null && spec.Zones.Count > 0) return spec.Zones;
            var available = ((await _ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest(), ct).ConfigureAwait(false)).AvailabilityZones ?? new List<AvailabilityZone>())
                .Where(z => (z.State == null || z.State == AvailabilityZoneState.Available) && (z.ZoneType == null || z.ZoneType == "availability-zone"))
                .Select(z => z.ZoneName).OrderBy(z => z, StringComparer.Ordinal).ToList();
            if (available.Count < 2)
                throw new OcdsAwsException(ErrorIds.TooFewZones, $"{_region} has {available.Count} available zone(s): Aurora needs two.", ErrorCategory.ResourceUnavailable);
            var zones = new string[spec.Subnets.Count];
            var used = new HashSet<string>();
            for (var i = 0; i < zones.Length; i++)
            {
                var found = existing.FirstOrDefault(s => s.CidrBlock == spec.Subnets[i].ToString());
                if (found != null) { zones[i] = found.AvailabilityZone; used.Add(found.AvailabilityZone); }
            }
            for (var i = 0; i < zones.Length; i++)
            {
                if (zones[i] != null) continue;
                zones[i] = available.FirstOrDefault(z => !used.Contains(z)) ?? available[i % available.Count];
                used.Add(zones[i]);
            }
            return zones;
        }

        /// <summary>
        /// Deletes the network: bastion instances, DB subnet group, the network's security groups, subnets,
        /// route tables and internet gateways, then the VPC. What is already gone is skipped.
        /// </summary>
        public async Task<IReadOnlyList<AuroraDeletedResource>> RemoveAsync(string? vpcId, string? name, CancellationToken ct)
        {
            var deleted = new List<AuroraDeletedResource>();
            var vpc = vpcId != null ? await GetVpcAsync(vpcId, ct).ConfigureAwait(false) : await FindVpcAsync(name ?? "", ct).ConfigureAwait(false);
            name ??= vpc?.Tags?.FirstOrDefault(t => t.Key == "Name")?.Value;
            if (vpc != null && vpc.IsDefault == true)
                throw new OcdsAwsException(ErrorIds.DefaultVpc, $"{vpc.VpcId} is the region's default VPC: Remove-AuroraNetwork deletes only networks New-AuroraNetwork made.", ErrorCategory.InvalidOperation);
            if (vpc != null && vpc.Tags?.Any(t => t.Key == NetworkTag) != true)
                throw new OcdsAwsException(ErrorIds.NotAnAuroraNetwork, $"{vpc.VpcId} was not made by New-AuroraNetwork (no {NetworkTag} tag): delete it yourself if you mean to.", ErrorCategory.InvalidOperation);
            vpcId = vpc?.VpcId ?? vpcId;

            var subnetGroup = name == null ? null : await _rds.FindDBSubnetGroupAsync(name.ToLowerInvariant(), ct).ConfigureAwait(false);
            if (subnetGroup != null && (subnetGroup.VpcId == null || vpcId == null || subnetGroup.VpcId == vpcId))
            {
                var users = (await _rds.DescribeDBClustersAsync(null, ct).ConfigureAwait(false))
                    .Where(c => string.Equals(c.DBSubnetGroup, subnetGroup.DBSubnetGroupName, StringComparison.OrdinalIgnoreCase)).ToList();
                if (users.Count > 0)
                    throw new OcdsAwsException(ErrorIds.NetworkInUse,
                        $"The network is still used by cluster(s) {string.Join(", ", users.Select(c => $"{c.DBClusterIdentifier} ({c.Status})"))}: run Remove-AuroraServerlessCluster -Wait first. Nothing was deleted.", ErrorCategory.ResourceBusy);
                try
                {
                    await _rds.DeleteDBSubnetGroupAsync(subnetGroup.DBSubnetGroupName, ct).ConfigureAwait(false);
                }
                catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "InvalidDBSubnetGroupStateFault")
                {
                    // Deleting first and stopping here keeps the network whole while a cluster still uses it.
                    throw new OcdsAwsException(ErrorIds.NetworkInUse,
                        $"DB subnet group {subnetGroup.DBSubnetGroupName} is still used by a cluster: run Remove-AuroraServerlessCluster -Wait first. Nothing was deleted. ({e.Message})", ErrorCategory.ResourceBusy);
                }
                deleted.Add(new AuroraDeletedResource("DBSubnetGroup", subnetGroup.DBSubnetGroupName));
            }
            if (vpc == null || vpcId == null)
            {
                _reporter.Verbose($"No VPC {vpcId ?? name} in {_region}: nothing more to delete.");
                return deleted;
            }

            var reservations = (await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = Filters(("vpc-id", vpcId)) }, ct).ConfigureAwait(false)).Reservations ?? new List<Reservation>();
            var instances = reservations.SelectMany(r => r.Instances ?? new List<Instance>())
                .Where(i => i.State?.Name != InstanceStateName.Terminated).Select(i => i.InstanceId).ToList();
            if (instances.Count > 0)
            {
                await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = instances }, ct).ConfigureAwait(false);
                deleted.AddRange(instances.Select(i => new AuroraDeletedResource("Instance", i, "terminated")));
                // The bastion's network interface holds its subnet and security group until it is gone.
                await Poller.UntilAsync<bool>(async token =>
                {
                    var states = ((await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = instances }, token).ConfigureAwait(false)).Reservations ?? new List<Reservation>())
                        .SelectMany(r => r.Instances ?? new List<Instance>()).Select(i => i.State?.Name?.Value ?? "?").ToList();
                    return (states.All(x => x == "terminated"), "instances " + string.Join(", ", states), true);
                }, TimeSpan.FromMinutes(10), _clock, _reporter, TerminateActivityId, $"Waiting for the bastion of {vpcId} to terminate", ct,
                    "Run Remove-AuroraNetwork again: it goes on from what is left.").ConfigureAwait(false);
            }

            var groups = ((await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = Filters(("vpc-id", vpcId)) }, ct).ConfigureAwait(false)).SecurityGroups ?? new List<SecurityGroup>())
                .Where(g => g.GroupName != "default").ToList();
            // Rules that name another group block that group's deletion: revoke them first.
            foreach (var g in groups)
            {
                var references = (g.IpPermissions ?? new List<IpPermission>()).Where(p => p.UserIdGroupPairs != null && p.UserIdGroupPairs.Count > 0).ToList();
                if (references.Count > 0)
                    await _ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest { GroupId = g.GroupId, IpPermissions = references }, ct).ConfigureAwait(false);
            }
            foreach (var g in groups)
            {
                await _ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = g.GroupId }, ct).ConfigureAwait(false);
                deleted.Add(new AuroraDeletedResource("SecurityGroup", g.GroupId));
            }

            var tables = (await _ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = Filters(("vpc-id", vpcId)) }, ct).ConfigureAwait(false)).RouteTables ?? new List<RouteTable>();
            foreach (var t in tables.Where(t => !(t.Associations ?? new List<RouteTableAssociation>()).Any(a => a.Main == true)))
            {
                // AWS refuses to delete a table that still has subnet associations.
                foreach (var a in (t.Associations ?? new List<RouteTableAssociation>()).Where(a => a.RouteTableAssociationId != null))
                    await _ec2.DisassociateRouteTableAsync(new DisassociateRouteTableRequest { AssociationId = a.RouteTableAssociationId }, ct).ConfigureAwait(false);
                await _ec2.DeleteRouteTableAsync(new DeleteRouteTableRequest { RouteTableId = t.RouteTableId }, ct).ConfigureAwait(false);
                deleted.Add(new AuroraDeletedResource("RouteTable", t.RouteTableId));
            }

            var subnets = (await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = Filters(("vpc-id", vpcId)) }, ct).ConfigureAwait(false)).Subnets ?? new List<Subnet>();
            foreach (var s in subnets)
            {
                await _ec2.DeleteSubnetAsync(new DeleteSubnetRequest { SubnetId = s.SubnetId }, ct).ConfigureAwait(false);
                deleted.Add(new AuroraDeletedResource("Subnet", s.SubnetId));
            }

            var gateways = (await _ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { Filters = Filters(("attachment.vpc-id", vpcId)) }, ct).ConfigureAwait(false)).InternetGateways ?? new List<InternetGateway>();
            foreach (var g in gateways)
            {
                await _ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = g.InternetGatewayId, VpcId = vpcId }, ct).ConfigureAwait(false);
                await _ec2.DeleteInternetGatewayAsync(new DeleteInternetGatewayRequest { InternetGatewayId = g.InternetGatewayId }, ct).ConfigureAwait(false);
                deleted.Add(new AuroraDeletedResource("InternetGateway", g.InternetGatewayId));
            }

            await _ec2.DeleteVpcAsync(new DeleteVpcRequest { VpcId = vpcId }, ct).ConfigureAwait(false);
            deleted.Add(new AuroraDeletedResource("Vpc", vpcId));
            foreach (var d in deleted) _reporter.Verbose($"Deleted {d.ResourceType} {d.ResourceId}.");
            return deleted;
        }
    }
}
