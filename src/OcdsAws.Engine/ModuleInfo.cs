using System.Reflection;

namespace OcdsAws
{
    /// <summary>Facts about the module itself.</summary>
    internal static class ModuleInfo
    {
        /// <summary>The module version (Directory.Build.props is its one source).</summary>
        public static readonly string Version =
            typeof(ModuleInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
            ?? typeof(ModuleInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
    }
}
