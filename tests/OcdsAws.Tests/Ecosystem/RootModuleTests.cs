using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Reflection;
using System.Text.RegularExpressions;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ecosystem
{
    /// <summary>
    /// OcdsAws.dll is the RootModule: PowerShell loads it by path and reflects over its exported types at import, before
    /// any of its code (DependencyLoader.cs) has run. So nothing exported may need OcdsAws.Engine.dll, which sits in
    /// dependencies/, just to load: no base type or interface from it, and no instance field of one of its value types
    /// (a type's field layout needs them; a reference-typed field or a property does not).
    /// </summary>
    public sealed class RootModuleTests
    {
        private static readonly Assembly Root = typeof(OcdsAws.OcdsCmdlet).Assembly;
        private static readonly Assembly Engine = typeof(OcdsAws.Aws.SdkReferences).Assembly;

        [Fact]
        public void No_exported_type_needs_the_engine_to_load()
        {
            var found = new List<string>();
            foreach (var exported in Root.GetExportedTypes())
                for (var type = exported; type != null && type.Assembly == Root; type = type.BaseType)
                {
                    if (type.BaseType?.Assembly == Engine) found.Add($"{exported}: base type {type.BaseType}");
                    found.AddRange(type.GetInterfaces().Where(i => i.Assembly == Engine).Select(i => $"{exported}: interface {i}"));
                    found.AddRange(type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                        .Where(f => IsEngineValueType(f.FieldType)).Select(f => $"{exported}: field {f.Name} of {f.FieldType}"));
                }
            Assert.True(found.Count == 0, string.Join("; ", found));
        }

        [Fact]
        public void The_manifest_s_cmdlets_are_in_the_root_module_and_none_in_the_engine()
        {
            var manifest = File.ReadAllText(PowerShellHost.ManifestPath);
            var exported = Regex.Matches(manifest.Substring(manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal)).Split(')')[0], "'([A-Za-z]+-[A-Za-z]+)'")
                .Select(m => m.Groups[1].Value).OrderBy(n => n, StringComparer.Ordinal).ToList();
            static IEnumerable<string> CmdletsOf(Assembly assembly) => assembly.GetTypes()
                .SelectMany(t => t.GetCustomAttributes(typeof(System.Management.Automation.CmdletAttribute), false).Cast<System.Management.Automation.CmdletAttribute>())
                .Select(a => a.VerbName + "-" + a.NounName);
            Assert.True(exported.Count >= 30, $"{exported.Count} cmdlets read from the manifest");
            Assert.Equal(exported, CmdletsOf(Root).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Empty(CmdletsOf(Engine));
        }

        private static bool IsEngineValueType(Type type)
            => type.IsValueType && (type.Assembly == Engine || type.GetGenericArguments().Any(IsEngineValueType));
    }
}
