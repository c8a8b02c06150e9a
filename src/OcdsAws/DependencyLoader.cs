using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace System.Runtime.CompilerServices
{
    /// <summary>netstandard2.0 lacks the attribute; the C# compiler recognises it by name and the runtime runs the method.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    file sealed class ModuleInitializerAttribute : Attribute
    {
    }
}

namespace OcdsAws
{
    /// <summary>
    /// Keeps the module's AWSSDK (and System.*) copies in <c>dependencies/</c>, away from PowerShell's
    /// probing, and loads them itself. On PowerShell 7 the AWSSDK copies go into a private
    /// AssemblyLoadContext, so AWS.Tools can still load its own AWSSDK.Core (same identity, 4.0.0.0) into
    /// the default context after OcdsAws; each module keeps its own copy. An AWSSDK assembly that AWS.Tools
    /// already loaded is used as it is (Module.cs checks the Core is new enough). On Windows PowerShell
    /// 5.1 (no load contexts) the copies load from the folder on demand. Runs as a module initializer,
    /// before any type of this assembly touches the SDK.
    /// </summary>
    internal static class DependencyLoader
    {
        private static readonly string Folder = Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", "dependencies");
        private static readonly Dictionary<string, Assembly> Private = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        /// <summary>True when at least one AWSSDK assembly lives in the private load context.</summary>
        public static bool IsIsolated => Private.Count > 0;

        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Initialize()
        {
            // In the test host (and `dotnet test`) the dependencies sit beside the dll: nothing to do.
            if (!Directory.Exists(Folder)) return;

            AppDomain.CurrentDomain.AssemblyResolve += (_, args) => ResolveFromFolder(new AssemblyName(args.Name));
            var alcType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader");
            if (alcType == null) return; // Windows PowerShell: AssemblyResolve is all there is.

            var context = Activator.CreateInstance(alcType, "OcdsAws", false);
            var loadFromPath = alcType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
            var inDefault = new HashSet<string>(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? ""), StringComparer.OrdinalIgnoreCase);
            // Load every AWSSDK copy up front: an assembly's references are first looked up among those
            // already loaded in its own context, so our copies bind to each other, never to AWS.Tools' later ones.
            foreach (var file in Directory.GetFiles(Folder, "AWSSDK.*.dll").OrderBy(f => f, StringComparer.Ordinal))
            {
                var name = AssemblyName.GetAssemblyName(file).Name ?? "";
                if (!inDefault.Contains(name)) Private[name] = (Assembly)loadFromPath.Invoke(context, new object[] { file })!;
            }
            PinReferences();
        }

        /// <summary>
        /// Binds this assembly's references to the SDK now: a resolved reference is cached per module, so a
        /// Core that AWS.Tools loads into the default context later can never be picked up half-way.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void PinReferences()
        {
            GC.KeepAlive(new[]
            {
                typeof(Amazon.Runtime.AWSCredentials), typeof(Amazon.EC2.AmazonEC2Client), typeof(Amazon.S3.AmazonS3Client),
                typeof(Amazon.SecurityToken.AmazonSecurityTokenServiceClient),
            });
        }

        private static Assembly? ResolveFromFolder(AssemblyName name)
        {
            if (name.Name != null && Private.TryGetValue(name.Name, out var loaded)) return loaded;
            var path = Path.Combine(Folder, name.Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
