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
        protected override void ProcessRecord()
        {
            var pattern = string.IsNullOrEmpty(DBClusterIdentifier) ? null : DBClusterIdentifier!;
            string? id = null;
            if (pattern != null && !WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                try
                {
                    id = AuroraValidation.ClusterIdentifier(pattern);
                }
                catch (ValidationException e)
                {
                    WriteFailure(e, pattern);
                    return;
                }
            }
            var service = new AuroraClusterService(Clients, Messages);
            ForItem(pattern, () =>
            {
                if (id != null)
                {
                    var cluster = Run(ct => service.GetAsync(id, ct))
                        ?? throw new OcdsAwsException("DBClusterNotFound", $"There is no Aurora cluster {id} in {Clients.Session.Region.SystemName}: run Get-AuroraServerlessCluster with no name to list them.", ErrorCategory.ObjectNotFound);
                    WriteObject(cluster);
                    return;
                }
                var wildcard = pattern == null ? null : new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                WriteObject(Run(ct => service.ListAsync(ct)).Where(c => wildcard == null || wildcard.IsMatch(c.DBClusterIdentifier)), true);
            });
        }
    }
}
