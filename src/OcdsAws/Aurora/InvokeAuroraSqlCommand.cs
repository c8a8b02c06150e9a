using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace OcdsAws.Aurora
{
    /// <summary>Runs SQL on an Aurora cluster through the RDS Data API; rows come out as objects. -WhatIf skips statements that may change data.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AuroraSql", SupportsShouldProcess = true)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeAuroraSqlCommand : OcdsAwsCmdlet
    {
        /// <summary>The SQL statement; parameters are written :name.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [StrictString]
        public string Sql { get; set; } = "";

        /// <summary>Values of the statement's :name parameters, sent typed (DECIMAL, UUID, TIMESTAMP, DATE, TIME hints); a value it cannot type is refused.</summary>
        [Parameter]
        public Hashtable? Parameter { get; set; }

        /// <summary>The database (default: the cluster's initial database).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DatabaseName")]
        [StrictString]
        public string? Database { get; set; }

        /// <summary>The cluster (from New-AuroraServerlessCluster).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AuroraClusterCompleter))]
        public string? DBClusterIdentifier { get; set; }

        /// <summary>The cluster ARN; with -SecretArn no lookup is needed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DBClusterArn")]
        [StrictString]
        public string? ResourceArn { get; set; }

        /// <summary>The ARN of the secret with the database credentials (default: the cluster's RDS-managed secret).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("MasterUserSecretArn")]
        [StrictString]
        public string? SecretArn { get; set; }

        /// <summary>How long to keep retrying while a paused cluster resumes (default 5 minutes).</summary>
        [Parameter]
        public TimeSpan ResumeTimeout { get; set; } = TimeSpan.FromMinutes(5);

        private List<KeyValuePair<string, object?>>? _parameters;

        /// <inheritdoc />
        protected override void ValidateParameters()
        {
            if (string.IsNullOrWhiteSpace(Sql)) throw new ValidationException(ErrorIds.EmptySql, "-Sql is empty.");
            InputRules.Positive(ResumeTimeout, "-ResumeTimeout");
            if (Parameter != null) _parameters = AuroraValidation.SqlParameters(Parameter);
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var region = Clients.Session.Region.SystemName;
            if (!TryRead(() => AuroraValidation.SqlTarget(DBClusterIdentifier, ResourceArn, SecretArn, region), DBClusterIdentifier ?? ResourceArn, out _)) return;
            // A statement that may change data goes through ShouldProcess (-WhatIf, -Confirm); one that only reads runs, as a Get- would.
            if (!SqlReadOnlyClassifier.IsReadOnly(Sql, out var why)
                && !ShouldProcess(DBClusterIdentifier ?? ResourceArn ?? "", $"Run SQL that may change data ({why}): {Abbreviated(Sql)}"))
                return;
            var parameters = _parameters;
            var service = new AuroraSqlService(Clients, Messages, SystemClock.Instance);
            var (clusterId, resourceArn, secretArn, database, sql, timeout) = (DBClusterIdentifier, ResourceArn, SecretArn, Database, Sql, ResumeTimeout);
            ForItem(clusterId ?? resourceArn, () =>
            {
                var result = Run(async ct =>
                {
                    var target = await service.ResolveAsync(clusterId, resourceArn, secretArn, database, ct).ConfigureAwait(false);
                    return await service.ExecuteAsync(target.ResourceArn, target.SecretArn, sql, target.Database, parameters, timeout, ct).ConfigureAwait(false);
                });
                if (result.Columns.Count == 0)
                {
                    WriteVerbose($"{result.NumberOfRecordsUpdated ?? 0} row(s) changed.");
                    return;
                }
                foreach (var row in result.Rows) WriteObject(Row(result.Columns, row));
            });
        }

        /// <summary>The statement on one line, cut at 200 characters, for the ShouldProcess message.</summary>
        private static string Abbreviated(string sql)
        {
            var line = System.Text.RegularExpressions.Regex.Replace(sql.Trim(), @"\s+", " ");
            return line.Length <= 200 ? line : line.Substring(0, 200) + "…";
        }

        /// <summary>A row as an object whose properties are the column names (a repeated name gets _2, _3…).</summary>
        internal static PSObject Row(IReadOnlyList<string> columns, object?[] values)
        {
            var row = new PSObject();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < columns.Count; i++)
            {
                var name = columns[i].Length == 0 ? "Column" + (i + 1) : columns[i];
                for (var n = 2; !seen.Add(name); n++) name = columns[i] + "_" + n;
                row.Properties.Add(new PSNoteProperty(name, i < values.Length ? values[i] : null));
            }
            return row;
        }
    }
}
