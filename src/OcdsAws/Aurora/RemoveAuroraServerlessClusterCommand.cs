using System;
using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>Deletes an Aurora cluster and its instances, with a final snapshot unless -SkipFinalSnapshot.</summary>
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

        /// <inheritdoc />
        protected override void ValidateParameters() => InputRules.Positive(Timeout, "-Timeout");

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (!TryRead(() => AuroraValidation.ClusterIdentifier(DBClusterIdentifier), DBClusterIdentifier, out var id)
                || !TryRead(() => ParameterSetName == "Snapshot" ? AuroraValidation.ClusterIdentifier(FinalSnapshotIdentifier, "-FinalSnapshotIdentifier", 255) : null,
                    FinalSnapshotIdentifier, out var snapshot)) return;
            var action = snapshot == null ? "Delete the Aurora cluster and its instances WITHOUT a final snapshot" : $"Delete the Aurora cluster and its instances after final snapshot {snapshot}";
            if (!ShouldChange(id, action, Force)) return;
            var service = new AuroraClusterService(Clients, Messages, SystemClock.Instance);
            var (wait, timeout) = (Wait.IsPresent, Timeout);
            ForItem(id, () => WriteObject(Run(ct => service.RemoveAsync(id, snapshot, wait, timeout, ct)), true));
        }
    }
}
