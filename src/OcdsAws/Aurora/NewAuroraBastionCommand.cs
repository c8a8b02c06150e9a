using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>Starts (or finds) a bastion host for an Aurora network and returns the SSH tunnel command to the database.</summary>
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
        [ValidatePattern(@"^[a-z]{2}-[a-z0-9-]+[0-9][a-z]\z")]
        public string? AvailabilityZone { get; set; }

        /// <summary>The cluster whose endpoint goes into the SSH tunnel command.</summary>
        [Parameter]
        public string? DBClusterIdentifier { get; set; }

        /// <summary>Allow -AllowedSshCidr 0.0.0.0/0 (SSH from anywhere).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (!TryRead(() =>
            {
                var ssh = Ipv4Cidr.Parse(AllowedSshCidr, "-AllowedSshCidr");
                if (ssh.Prefix == 0 && !Force.IsPresent)
                    throw new ValidationException(ErrorIds.SshFromAnywhere, "-AllowedSshCidr 0.0.0.0/0 would let anyone on the internet try to log in to the bastion: give your own address (for example 203.0.113.7/32), or add -Force if you really mean anywhere.");
                if (string.IsNullOrEmpty(VpcId) && string.IsNullOrEmpty(Name))
                    throw new ValidationException(ErrorIds.NetworkRequired, "Give -VpcId or -Name, or pipe New-AuroraNetwork into New-AuroraBastion.");
                if (!System.Text.RegularExpressions.Regex.IsMatch(InstanceType, "^[a-z][a-z0-9-]*\\.[a-z0-9]+\\z"))
                    throw new ValidationException(ErrorIds.InvalidInstanceType, $"-InstanceType '{InstanceType}' is not an EC2 instance type such as t3.micro.");
                return new AuroraBastionRequest
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
            }, VpcId ?? Name, out var request)) return;
            if (request.AllowedSshCidr.Prefix == 0)
                WriteWarning("SSH to the bastion is open to the whole internet (-AllowedSshCidr 0.0.0.0/0).");
            if (!ShouldProcess(request.VpcId ?? request.Name ?? "",
                $"Create or reuse an internet gateway, public subnet, route table, SSH security group (from {request.AllowedSshCidr}) and a {request.InstanceType} bastion"))
                return;
            var service = new AuroraBastionService(Clients, Messages, SystemClock.Instance);
            ForItem(request.VpcId ?? request.Name, () => WriteObject(Run(ct => service.EnsureAsync(request, ct))));
        }
    }
}
