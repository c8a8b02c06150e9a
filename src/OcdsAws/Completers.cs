using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Amazon;
using Amazon.Runtime.CredentialManagement;

namespace OcdsAws
{
    /// <summary>Completes -Region from the SDK's region list.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => RegionEndpoint.EnumerableAllRegions
                .Where(r => r.SystemName.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase))
                .OrderBy(r => r.SystemName)
                .Select(r => new CompletionResult(r.SystemName, r.SystemName, CompletionResultType.ParameterValue, r.DisplayName));
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
}
