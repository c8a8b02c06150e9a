using System;
using System.IO;
using Amazon;
using Amazon.Runtime;
using OcdsAws.Aws;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>
    /// The moto server and test key that build.ps1 started and created for this run (signature
    /// checking is on), and the Python interpreter it found.
    /// </summary>
    public static class TestBed
    {
        public static string Endpoint => Required("OCDSAWS_TEST_ENDPOINT");

        public static string AccessKey => Required("OCDSAWS_TEST_ACCESS_KEY");

        public static string SecretKey => Required("OCDSAWS_TEST_SECRET_KEY");

        public static string Python => Environment.GetEnvironmentVariable("OCDSAWS_PYTHON") ?? "python3";

        public static string RepoRoot { get; } = FindRepoRoot();

        public static string Script(string name) => Path.Combine(RepoRoot, "tests", "testbed", name);

        /// <summary>Clients on moto for a region, optionally with a wrong secret key.</summary>
        internal static AwsClientFactory Clients(string region = "us-east-1", string? secretKey = null, Action<AwsCallRecord>? observer = null)
            => ClientsFor(new Uri(Endpoint), region, AccessKey, secretKey ?? SecretKey, observer);

        internal static AwsClientFactory ClientsFor(Uri endpoint, string region, string accessKey, string secretKey, Action<AwsCallRecord>? observer = null)
            => new AwsClientFactory(
                new AwsSession(new BasicAWSCredentials(accessKey, secretKey), "test", RegionEndpoint.GetBySystemName(region), "test", endpoint),
                observer);

        /// <summary>A name no other test uses (tests share one moto and run in parallel).</summary>
        public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("n").Substring(0, 10);

        private static string Required(string name)
            => Environment.GetEnvironmentVariable(name) is string value && value.Length > 0
                ? value
                : throw new InvalidOperationException(
                    $"{name} is not set. Run the tests through `dotnet pwsh ./build.ps1 -Task Test`, which starts moto and sets it.");

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "OcdsAws.sln"))) return dir.FullName;
            throw new InvalidOperationException("Cannot find the repository root (OcdsAws.sln) above " + AppContext.BaseDirectory);
        }
    }
}
