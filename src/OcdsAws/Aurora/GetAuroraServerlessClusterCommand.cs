using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>Gets Aurora clusters: one by name, or the region's Aurora PostgreSQL clusters (wildcards filter them). Reads only.</summary>
    [Cmdlet(VerbsCommon.Get, "AuroraServerlessCluster")]
    [OutputType(typeof(AuroraCluster))]
    public sealed class GetAuroraServerlessClusterCommand : OcdsAwsCmdlet
    {
        /// <summary>The cluster identifier, or a pattern such as ocds-*. Default: every Aurora PostgreSQL cluster of the region.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AuroraClusterCompleter))]
        [SupportsWildcards]
        public string? DBClusterIdentifier { get; set; }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var pattern = string.IsNullOrEmpty(DBClusterIdentifier) ? null : DBClusterIdentifier!;
            // A plain name is checked like every identifier; a pattern only filters the list.
            if (!TryRead(() => pattern == null || WildcardPattern.ContainsWildcardCharacters(pattern) ? null : AuroraValidation.ClusterIdentifier(pattern),
                pattern, out var id)) return;
            var service = new AuroraClusterService(Clients, Messages);
            var region = Clients.Session.Region.SystemName;
            ForItem(pattern, () =>
            {
                if (id != null)
                {
                    var cluster = Run(ct => service.GetAsync(id, ct))
                        ?? throw new OcdsAwsException(ErrorIds.DBClusterNotFound, $"There is no Aurora cluster {id} in {region}: run Get-AuroraServerlessCluster with no name to list them.", ErrorCategory.ObjectNotFound);
                    WriteObject(cluster);
                    return;
                }
                var wildcard = pattern == null ? null : new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                WriteObject(Run(ct => service.ListAsync(ct)).Where(c => wildcard == null || wildcard.IsMatch(c.DBClusterIdentifier)), true);
            });
        }
    }
}
