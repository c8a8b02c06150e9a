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

        /// <summary>
        /// Posts to one of the companion's test-only control endpoints (/ocds-testbed/...): plays SES's side (verifying an
        /// identity, delivering a mail). Returns the JSON answer and the HTTP status.
        /// </summary>
        public static (int Status, System.Text.Json.Nodes.JsonNode? Body) Control(string path, System.Text.Json.Nodes.JsonObject body)
        {
            using var http = new System.Net.Http.HttpClient();
            using var response = http.PostAsync(Endpoint.TrimEnd('/') + path, new System.Net.Http.StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))
                .GetAwaiter().GetResult();
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return ((int)response.StatusCode, text.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(text));
        }

        /// <summary>A domain identity in SES that SES has verified (SESv2 CreateEmailIdentity, then the companion plays SES's check).</summary>
        public static void VerifiedDomain(string domain, string region, string account = "123456789012")
        {
            Witness.TryCall("sesv2", "create_email_identity", new System.Text.Json.Nodes.JsonObject { ["EmailIdentity"] = domain }, region);
            var (status, body) = Control("/ocds-testbed/sesv2/identity-status", new System.Text.Json.Nodes.JsonObject
            {
                ["account"] = account, ["region"] = region, ["identity"] = domain, ["verification"] = "SUCCESS", ["dkim"] = "SUCCESS",
            });
            if (status != 200) throw new InvalidOperationException($"the test bed did not verify {domain}: {status} {body?.ToJsonString()}");
        }

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
