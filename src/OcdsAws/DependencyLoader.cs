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
    /// Keeps the module's AWSSDK (and System.*) copies and OcdsAws.Engine in <c>dependencies/</c>, away from PowerShell's
    /// probing, and loads them itself. On PowerShell 7 the AWSSDK copies go into a private
    /// AssemblyLoadContext, so AWS.Tools can still load its own AWSSDK.Core (same identity, 4.0.0.0) into
    /// the default context after OcdsAws; each module keeps its own copy. An AWSSDK assembly that AWS.Tools
    /// already loaded is used as it is (Module.cs checks the Core is new enough). On Windows PowerShell
    /// 5.1 (no load contexts) the copies load from the folder on demand. Runs as a module initializer,
    /// before any type of this assembly touches the SDK.
    /// </summary>
    internal static class DependencyLoader
    {
        /// <summary>
        /// The folder of ReadyToRun copies (precompiled by build.ps1 for one runtime and platform, so the first AWS
        /// call does not wait for the JIT), used only on exactly that runtime; everywhere else, and on Windows
        /// PowerShell, the plain IL copies in <c>dependencies/</c> load.
        /// </summary>
        internal static readonly string ReadyToRunFolder = typeof(DependencyLoader).Assembly
            .GetCustomAttributes(typeof(AssemblyMetadataAttribute), false).Cast<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OcdsAws.ReadyToRunFolder")?.Value ?? "";

        private static readonly string IlFolder = Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", "dependencies");
        private static readonly string Folder = ChooseFolder(IlFolder);

        private static readonly Dictionary<string, Assembly> Private = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Loads a non-SDK dependency (OcdsAws.Engine, MimeKit, DnsClient, System.*) into the default context.</summary>
        private static Func<string, Assembly> _loadShared = Assembly.LoadFrom;

        /// <summary>Where the dependencies load from (for -Debug and the tests).</summary>
        internal static string DependencyFolder => Folder;

        private static string ChooseFolder(string il)
        {
            if (ReadyToRunFolder.Length == 0) return il;
            var r2r = Path.Combine(il, ReadyToRunFolder);
            // Windows PowerShell (.NET Framework 4.x) never matches: it takes the IL copies.
            return string.Equals(ReadyToRunFolder, CurrentRuntimeFolder(), StringComparison.Ordinal) && Directory.Exists(r2r) ? r2r : il;
        }

        /// <summary>This process's runtime in the ReadyToRun folder's terms, e.g. net10.0-linux-x64.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        internal static string CurrentRuntimeFolder()
        {
            var os = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) ? "linux"
                : System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX) ? "osx"
                : System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) ? "win" : "other";
            var arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            return $"net{Environment.Version.Major}.0-{os}-{arch}";
        }

        private static readonly object HookGate = new object();
        private static ResolveEventHandler? _hooked;

        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Initialize()
        {
            // In the test host (and `dotnet test`) the dependencies sit beside the dll: nothing to do.
            if (!Directory.Exists(IlFolder)) return;

            Hook();
            var alcType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader");
            if (alcType == null) return; // Windows PowerShell: AssemblyResolve is all there is.

            var loadFromPath = alcType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
            // Not Assembly.LoadFrom: on .NET it also resolves the loaded assembly's own references from its folder,
            // ahead of AssemblyResolve, so OcdsAws.Engine would get a second AWSSDK.Core in the default context.
            var defaultContext = alcType.GetProperty("Default")!.GetValue(null);
            _loadShared = path => (Assembly)loadFromPath.Invoke(defaultContext, new object[] { path })!;
            var context = Activator.CreateInstance(alcType, "OcdsAws", false);
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
        /// Binds the SDK references of this assembly and of OcdsAws.Engine (which this loads, from the ReadyToRun folder
        /// where there is one) now: a resolved reference is cached per assembly, so a Core that AWS.Tools loads into the
        /// default context later can never be picked up half-way.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void PinReferences()
        {
            GC.KeepAlive(typeof(Amazon.Runtime.AWSCredentials));   // the only SDK assembly this one uses
            OcdsAws.Aws.SdkReferences.Pin();
        }

        /// <summary>
        /// Puts the resolver on AppDomain.AssemblyResolve (once; again on Import-Module after Remove-Module, which
        /// keeps the assemblies loaded but took the handler off).
        /// </summary>
        internal static void Hook()
        {
            lock (HookGate)
            {
                if (_hooked != null || !Directory.Exists(IlFolder)) return;
                _hooked = OnAssemblyResolve;
                AppDomain.CurrentDomain.AssemblyResolve += _hooked;
            }
        }

        /// <summary>Takes the resolver off when the module is removed (ModuleInitializer.OnRemove).</summary>
        internal static void Unhook()
        {
            lock (HookGate)
            {
                if (_hooked == null) return;
                AppDomain.CurrentDomain.AssemblyResolve -= _hooked;
                _hooked = null;
            }
        }

        private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            return IsOwnRequest(name, args.RequestingAssembly) ? ResolveFromFolder(name) : null;
        }

        /// <summary>
        /// Answers only OcdsAws's own requests (PSResourceGet's IsAssemblyMatching): OcdsAws.Engine, or anything asked
        /// for by OcdsAws, the engine or a dependency loaded from our folders. Another module or a script asking for
        /// MimeKit or an AWSSDK assembly must not be handed our private copies. .NET Framework may not say who asks
        /// (RequestingAssembly null): there the name decides, and only files in our own folders can answer.
        /// </summary>
        private static bool IsOwnRequest(AssemblyName name, Assembly? requesting)
        {
            if (string.Equals(name.Name, "OcdsAws.Engine", StringComparison.OrdinalIgnoreCase)) return true;
            if (requesting == null) return true;
            if (requesting == typeof(DependencyLoader).Assembly) return true;
            if (requesting.IsDynamic) return false;
            string location;
            try { location = requesting.Location; }
            catch (NotSupportedException) { return false; }
            return !string.IsNullOrEmpty(location)
                && location.StartsWith(IlFolder + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase);
        }

        private static Assembly? ResolveFromFolder(AssemblyName name)
        {
            if (name.Name != null && Private.TryGetValue(name.Name, out var loaded)) return loaded;
            // The ReadyToRun folder holds only the assemblies worth precompiling; the others load as IL.
            foreach (var folder in new[] { Folder, IlFolder })
            {
                var path = Path.Combine(folder, name.Name + ".dll");
                if (File.Exists(path)) return _loadShared(path);
            }
            return null;
        }
    }
}
