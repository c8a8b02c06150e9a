using System;
using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>Deletes an Aurora cluster made by New-AuroraServerlessCluster and its instances, with a final snapshot unless -SkipFinalSnapshot.</summary>
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

        /// <summary>Skip the confirmation prompt (never -WhatIf), turn deletion protection off, and, with the identifier typed, delete a cluster this module did not make.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ValidateParameters() => InputRules.Positive(Timeout, "-Timeout");

        /// <summary>-WhatIf (or $WhatIfPreference): then nothing is read either, so the prompt cannot show the cluster's engine and size.</summary>
        private bool WhatIfRequested
            => (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent)
                || LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (!TryRead(() => AuroraValidation.ClusterIdentifier(DBClusterIdentifier), DBClusterIdentifier, out var id)
                || !TryRead(() => ParameterSetName == "Snapshot" ? AuroraValidation.ClusterIdentifier(FinalSnapshotIdentifier, "-FinalSnapshotIdentifier", 255) : null,
                    FinalSnapshotIdentifier, out var snapshot)) return;
            if (WhatIfRequested)
            {
                ShouldProcess(id, snapshot == null
                    ? "Delete the Aurora cluster and its instances WITHOUT a final snapshot (its engine, size and deletion protection are read only when it runs)"
                    : $"Delete the Aurora cluster and its instances after final snapshot {snapshot} (its engine, size and deletion protection are read only when it runs)");
                return;
            }
            var service = new AuroraClusterService(Clients, Messages, SystemClock.Instance);
            var (wait, timeout, force) = (Wait.IsPresent, Timeout, Force.IsPresent);
            // "Names them": a piped identifier (Get-AuroraServerlessCluster | Remove-…) never deletes a cluster this module did not make.
            var named = !MyInvocation.ExpectingInput;
            ForItem(id, () =>
            {
                var cluster = Run(ct => service.FindForRemovalAsync(id, ct));
                if (cluster == null) return;
                AuroraClusterService.CheckRemovable(cluster, force, named);
                if (!ShouldChange(id, AuroraClusterService.DescribeRemoval(cluster, snapshot), force)) return;
                WriteObject(Run(ct => service.RemoveAsync(cluster, snapshot, wait, timeout, ct)), true);
            });
        }
    }
}
