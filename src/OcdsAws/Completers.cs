using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime.CredentialManagement;
using OcdsAws.Aws;
using OcdsAws.Aurora;
using OcdsAws.Ses;

namespace OcdsAws
{
    /// <summary>
    /// Completes -Region from the SDK's region list: the regions of the session's partition first (commercial when no
    /// region is set), then the other partitions' (GovCloud, China, the iso partitions), each group in name order.
    /// </summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // The session's region as the cmdlet would resolve it, without the -Region being completed.
            var parameters = AwsListCompleter.CommonParameters(fakeBoundParameters);
            parameters.Region = null;
            var session = new AwsSessionResolver(new AwsListCompleter.RunspaceEnvironment()).TryResolveRegion(parameters);
            var partition = AwsPartitions.Of(session?.SystemName ?? "us-east-1");
            var prefix = (wordToComplete ?? "").Trim('\'', '"');
            return RegionEndpoint.EnumerableAllRegions
                .Where(r => r.SystemName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(r => AwsPartitions.Of(r.SystemName) == partition ? 0 : 1)
                .ThenBy(r => AwsPartitions.Of(r.SystemName), StringComparer.Ordinal)
                .ThenBy(r => r.SystemName, StringComparer.Ordinal)
                .Select(r => new CompletionResult(r.SystemName, r.SystemName, CompletionResultType.ParameterValue, r.DisplayName))
                .ToList();
        }
    }

    /// <summary>Completes -ProfileName from the profiles in the SDK store and ~/.aws files.</summary>
    public sealed class ProfileCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => new CredentialProfileStoreChain().ListProfiles()
                .Select(p => p.Name)
                .Distinct()
                .Where(n => n.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }

    /// <summary>
    /// Completion that asks AWS (one cheap list call, 3 s at most) with the credentials and region the command
    /// line already names, or the session's defaults. Completion must never fail or hang: any problem means no
    /// suggestions.
    /// </summary>
    public abstract class AwsListCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var session = new AwsSessionResolver(new RunspaceEnvironment()).Resolve(CommonParameters(fakeBoundParameters));
                using var clients = new AwsClientFactory(session, null);
                using var budget = new CancellationTokenSource(Budget);
                var names = Task.Run(() => ListAsync(clients, budget.Token)).GetAwaiter().GetResult();
                var prefix = (wordToComplete ?? "").Trim('\'', '"');
                return names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                    .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToList();
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>The names to offer.</summary>
        internal abstract Task<IEnumerable<string>> ListAsync(AwsClientFactory clients, CancellationToken cancellationToken);

        /// <summary>The AWS common parameters already on the command line (what PowerShell could bind without running it).</summary>
        internal static AwsCommonParameters CommonParameters(IDictionary fakeBoundParameters)
        {
            string? Bound(string name) => fakeBoundParameters.Contains(name) ? fakeBoundParameters[name]?.ToString() : null;
            return new AwsCommonParameters
            {
                Region = Bound("Region"),
                ProfileName = Bound("ProfileName"),
                ProfileLocation = Bound("ProfileLocation"),
                AccessKey = Bound("AccessKey"),
                SecretKey = Bound("SecretKey"),
                SessionToken = Bound("SessionToken"),
                Credential = fakeBoundParameters.Contains("Credential") ? fakeBoundParameters["Credential"] : null,
                EndpointUrl = Bound("EndpointUrl"),
            };
        }

        /// <summary>
        /// Session variables ($StoredAWSRegion, $StoredAWSCredentials) as the cmdlet's SessionState.PSVariable reads them.
        /// A completer runs inside TabExpansion2's pipeline, where Runspace.SessionStateProxy refuses every call ("A pipeline
        /// is already running. Concurrent SessionStateProxy method calls are not allowed."): that is why completion found
        /// nothing unless -Region (and keys) were on the line. A script block runs in the running pipeline's own session state.
        /// </summary>
        internal sealed class RunspaceEnvironment : IAwsEnvironment
        {
            public object? GetSessionVariable(string name)
            {
                if (Runspace.DefaultRunspace == null) return null;
                var values = ScriptBlock.Create("param([string] $Name) $ExecutionContext.SessionState.PSVariable.GetValue($Name)").Invoke(name);
                return values.Count == 0 ? null : values[0]?.BaseObject;
            }

            public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);
        }
    }

    /// <summary>Completes SES domain identities.</summary>
    public sealed class SesDomainCompleter : AwsListCompleter
    {
        internal override async Task<IEnumerable<string>> ListAsync(AwsClientFactory clients, CancellationToken cancellationToken)
            => await SesIdentities.ListAsync(clients, SesIdentities.Domain, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes SES email address identities.</summary>
    public sealed class SesEmailAddressCompleter : AwsListCompleter
    {
        internal override async Task<IEnumerable<string>> ListAsync(AwsClientFactory clients, CancellationToken cancellationToken)
            => await SesIdentities.ListAsync(clients, SesIdentities.EmailAddress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes SES identities of both kinds.</summary>
    public sealed class SesIdentityCompleter : AwsListCompleter
    {
        internal override async Task<IEnumerable<string>> ListAsync(AwsClientFactory clients, CancellationToken cancellationToken)
            => await SesIdentities.ListAsync(clients, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes Aurora cluster identifiers.</summary>
    public sealed class AuroraClusterCompleter : AwsListCompleter
    {
        internal override async Task<IEnumerable<string>> ListAsync(AwsClientFactory clients, CancellationToken cancellationToken)
            => await AuroraClusterService.ListClusterIdentifiersAsync(clients, cancellationToken).ConfigureAwait(false);
    }
}
