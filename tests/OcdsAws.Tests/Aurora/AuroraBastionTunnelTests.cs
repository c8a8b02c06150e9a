using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Tests.Infrastructure;
using Xunit;
using static OcdsAws.Tests.Aurora.AuroraTestHelpers;

namespace OcdsAws.Tests.Aurora
{
    /// <summary>Issue #15 item 11: the bastion's tunnel line works as printed, with a key pair or EC2 Instance Connect.</summary>
    public sealed class AuroraBastionTunnelTests
    {
        [Fact]
        public void Without_a_key_pair_the_tunnel_line_logs_in_with_EC2_Instance_Connect_and_finds_the_networks_cluster()
        {
            var name = TestBed.Unique("eic");
            var id = TestBed.Unique("eic");
            var vars = Vars(("name", name), ("cluster", id));

            var r = PowerShellHost.Run("$net = New-AuroraNetwork -Name $name @aws; $c = $net | New-AuroraServerlessCluster -DBClusterIdentifier $cluster -NoDeletionProtection @aws; $net | New-AuroraBastion -AllowedSshCidr 203.0.113.7/32 @aws; $c", vars);

            Assert.Empty(r.Errors);
            var bastion = r.Output[0];
            var cluster = r.Output[1];
            var instanceId = (string)Prop(bastion, "InstanceId")!;
            var host = (string)Prop(bastion, "PublicDnsName")!;
            Assert.Equal(
                $"aws ec2-instance-connect send-ssh-public-key --region {Region} --instance-id {instanceId} --instance-os-user ec2-user --ssh-public-key \"file://$HOME/.ssh/id_ed25519.pub\"; "
                + $"ssh -i \"$HOME/.ssh/id_ed25519\" -N -L 5432:{Prop(cluster, "Endpoint")}:5432 ec2-user@{host}",
                Prop(bastion, "SshTunnelCommand"));
            Assert.Equal("EC2InstanceConnect", Prop(bastion, "TunnelLogin"));
            Assert.Equal($"psql \"host=localhost port=5432 dbname=common user=postgres sslmode=require\"", Prop(bastion, "PsqlCommand"));
            Assert.Equal(Prop(cluster, "PasswordCommand"), Prop(bastion, "PasswordCommand"));

            var withKey = PowerShellHost.Run("New-AuroraBastion -Name $name -AllowedSshCidr 203.0.113.7/32 -KeyName ops -DBClusterIdentifier $cluster @aws", vars);
            Assert.Equal($"ssh -i \"$HOME/.ssh/ops.pem\" -N -L 5432:{Prop(cluster, "Endpoint")}:5432 ec2-user@{host}", Prop(withKey.Output.Single(), "SshTunnelCommand"));

            Assert.Empty(PowerShellHost.Run("Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Wait -Force @aws; Remove-AuroraNetwork $name -Force @aws", vars).Errors);
        }
    }
}
