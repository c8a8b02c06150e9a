using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>
    /// Runs before any test: the SDK reads AWS_SHARED_CREDENTIALS_FILE/AWS_CONFIG_FILE once per process
    /// and keeps the paths, so every test sees the same throw-away files (never the developer's ~/.aws),
    /// and the credential chain never reaches for the instance metadata address.
    /// </summary>
    internal static class TestProcessSetup
    {
        public static readonly string ProfileFolder = Path.Combine(Path.GetTempPath(), "ocdsaws-profiles-" + Environment.ProcessId);

        public static string CredentialsFile => Path.Combine(ProfileFolder, "credentials");

        public static string ConfigFile => Path.Combine(ProfileFolder, "config");

        [ModuleInitializer]
        internal static void Initialize()
        {
            Directory.CreateDirectory(ProfileFolder);
            File.WriteAllText(CredentialsFile, "");
            File.WriteAllText(ConfigFile, "");
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", ConfigFile);
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        }
    }
}
