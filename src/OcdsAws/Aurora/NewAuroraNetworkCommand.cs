using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>Creates (or finds) the network of an Aurora cluster: VPC, two subnets in two zones, a PostgreSQL security group and a DB subnet group.</summary>
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
        [ValidatePattern(@"^[a-z]{2}-[a-z0-9-]+[0-9][a-z]\z")]
        public string[]? AvailabilityZone { get; set; }

        /// <summary>Who may connect on TCP 5432. Default: the VPC's own block. 0.0.0.0/0 (anywhere) is allowed but warned about.</summary>
        [Parameter]
        public string[]? AllowedCidr { get; set; }

        /// <summary>The security group's name (default: Name-postgresql).</summary>
        [Parameter]
        public string? SecurityGroupName { get; set; }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (!TryRead(() =>
            {
                var name = AuroraValidation.Name(Name, "-Name");
                var (vpc, subnets) = AuroraValidation.Network(CidrBlock, SubnetCidrBlock, AvailabilityZone);
                var allowed = (AllowedCidr == null || AllowedCidr.Length == 0 ? new[] { vpc } : AllowedCidr.Select(c => Ipv4Cidr.Parse(c, "-AllowedCidr"))).ToList();
                return new AuroraNetworkSpec
                {
                    Name = name,
                    Vpc = vpc,
                    Subnets = subnets,
                    Zones = AvailabilityZone,
                    AllowedCidrs = allowed,
                    SecurityGroupName = AuroraValidation.Name(SecurityGroupName ?? name + "-postgresql", "-SecurityGroupName"),
                };
            }, Name, out var spec)) return;
            if (spec.AllowedCidrs.Any(c => c.Prefix == 0))
                WriteWarning("-AllowedCidr 0.0.0.0/0 lets anyone reach PostgreSQL on TCP 5432 wherever the network is routable: prefer the VPC's block or your office's.");
            if (!ShouldProcess($"{spec.Name} ({spec.Vpc})",
                $"Create or reuse VPC {spec.Vpc}, subnets {string.Join(", ", spec.Subnets)}, security group {spec.SecurityGroupName} (TCP 5432 from {string.Join(", ", spec.AllowedCidrs)}) and DB subnet group {spec.DBSubnetGroupName}"))
                return;
            var service = new AuroraNetworkService(Clients, Messages);
            ForItem(spec.Name, () => WriteObject(Run(ct => service.EnsureAsync(spec, ct))));
        }
    }
}
