using System;
using System.Diagnostics;
using System.Management.Automation;
using Amazon.Runtime;

namespace OcdsAws
{
    /// <summary>
    /// Runs when the module is imported. AWS.Tools ships its own AWSSDK.Core with the same assembly
    /// identity (4.0.0.0); whichever module is imported first decides which Core the session has. Our
    /// SDK packages need Core 4.0.102.19 or later, so an older one already loaded is refused here, with
    /// what to do, instead of failing later with a MissingMethodException.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>The oldest AWSSDK.Core build that every package this module ships runs on.</summary>
        internal static readonly Version MinimumCore = new Version(4, 0, 102, 19);

        /// <inheritdoc />
        public void OnImport()
        {
            // Import-Module after Remove-Module: the assemblies stay loaded, the resolver must come back.
            DependencyLoader.Hook();
            var core = typeof(AWSCredentials).Assembly;
            var version = CoreFileVersion(core);
            if (version < MinimumCore)
                throw new InvalidOperationException(
                    $"OcdsAws needs AWSSDK.Core {MinimumCore} or later, but this session already loaded AWSSDK.Core {version} from "
                    + $"'{core.Location}' (probably through an older AWS.Tools module). Import OcdsAws first in a new session "
                    + "(pwsh -NoProfile, then Import-Module OcdsAws before any AWS.Tools module), or update AWS.Tools.");
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyLoader.Unhook();

        /// <summary>The AssemblyFileVersion of a Core build (its AssemblyVersion is always 4.0.0.0).</summary>
        internal static Version CoreFileVersion(System.Reflection.Assembly core)
        {
            var text = string.IsNullOrEmpty(core.Location) ? null : FileVersionInfo.GetVersionInfo(core.Location).FileVersion;
            return Version.TryParse(text, out var parsed) ? parsed : new Version(0, 0);
        }
    }
}
