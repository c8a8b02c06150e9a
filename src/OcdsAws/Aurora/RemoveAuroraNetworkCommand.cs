using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>Deletes an Aurora network made by New-AuroraNetwork: bastion, internet gateway, route tables, subnets, security groups, DB subnet group, VPC.</summary>
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
        protected override void ProcessItem()
        {
            if (!TryRead(() =>
            {
                if (string.IsNullOrEmpty(Name) && string.IsNullOrEmpty(VpcId))
                    throw new ValidationException(ErrorIds.NetworkRequired, "Give -Name or -VpcId, or pipe New-AuroraNetwork.");
                if (!string.IsNullOrEmpty(Name)) AuroraValidation.Name(Name, "-Name");
                if (!string.IsNullOrEmpty(VpcId) && !System.Text.RegularExpressions.Regex.IsMatch(VpcId, "^vpc-[0-9a-f]+\\z"))
                    throw new ValidationException(ErrorIds.InvalidVpcId, $"-VpcId '{VpcId}' is not a VPC id such as vpc-0123456789abcdef0.");
                return true;
            }, Name ?? VpcId, out _)) return;
            var target = string.IsNullOrEmpty(VpcId) ? Name! : $"{VpcId} ({Name})";
            if (!ShouldChange(target, "Delete the Aurora network: bastion, internet gateway, route tables, subnets, security groups, DB subnet group and VPC", Force)) return;
            var service = new AuroraNetworkService(Clients, Messages);
            var (vpcId, name) = (string.IsNullOrEmpty(VpcId) ? null : VpcId, string.IsNullOrEmpty(Name) ? null : Name);
            ForItem(target, () => WriteObject(Run(ct => service.RemoveAsync(vpcId, name, ct)), true));
        }
    }
}
