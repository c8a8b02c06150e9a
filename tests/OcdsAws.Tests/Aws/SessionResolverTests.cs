using System;
using System.Collections.Generic;
using System.IO;
using Amazon;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    /// <summary>
    /// Credentials and region come from each source in AWS.Tools' order (design.md §6). The SDK reads
    /// the real process environment, so these tests point it at temporary files and run alone.
    /// </summary>
    [Collection("Environment")]
    public sealed class SessionResolverTests : IDisposable
    {
        private readonly string _dir = TestProcessSetup.ProfileFolder;
        private readonly EnvironmentScope _env;
        private readonly Dictionary<string, object?> _sessionVariables = new();

        public SessionResolverTests()
        {
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Credentials, "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n\n"
                + "[ops]\naws_access_key_id = AKIAOPS\naws_secret_access_key = ops-secret\n\n"
                + "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other-secret\n");
            File.WriteAllText(Config, "[default]\nregion = eu-north-1\n\n[profile ops]\nregion = eu-west-3\n\n[profile other]\n");
            _env = new EnvironmentScope(
                ("AWS_ACCESS_KEY_ID", null), ("AWS_SECRET_ACCESS_KEY", null), ("AWS_SESSION_TOKEN", null),
                ("AWS_PROFILE", null), ("AWS_DEFAULT_PROFILE", null), ("AWS_REGION", null), ("AWS_DEFAULT_REGION", null),
                ("AWS_EC2_METADATA_DISABLED", "true"), ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", null),
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", null), ("AWS_WEB_IDENTITY_TOKEN_FILE", null));
        }

        private static string Credentials => TestProcessSetup.CredentialsFile;

        private static string Config => TestProcessSetup.ConfigFile;

        private AwsSession Resolve(AwsCommonParameters p) => new AwsSessionResolver(new FakeEnvironment(_sessionVariables)).Resolve(p);

        private static string KeyOf(AwsSession s) => s.Credentials.GetCredentials().AccessKey;

        [Fact]
        public void Explicit_keys_come_first()
        {
            _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV");
            _env.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
            _sessionVariables["StoredAWSCredentials"] = new BasicAWSCredentials("AKIASTORED", "s");
            var s = Resolve(new AwsCommonParameters { AccessKey = "AKIAPARAM", SecretKey = "param-secret", ProfileName = "ops", Credential = new BasicAWSCredentials("AKIACRED", "c"), Region = "eu-west-1" });
            Assert.Equal("AKIAPARAM", KeyOf(s));
            Assert.Contains("-AccessKey", s.CredentialSource);
        }

        [Fact]
        public void A_session_token_makes_session_credentials()
        {
            var s = Resolve(new AwsCommonParameters { AccessKey = "ASIAX", SecretKey = "k", SessionToken = "tok", Region = "eu-west-1" });
            Assert.Equal("tok", s.Credentials.GetCredentials().Token);
        }

        [Fact]
        public void An_access_key_without_its_secret_is_refused()
        {
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { AccessKey = "AKIAX", Region = "eu-west-1" }));
            Assert.Equal("IncompleteAccessKey", e.ErrorId);
        }

        [Fact]
        public void A_named_profile_beats_credential_stored_and_environment_and_brings_its_region()
        {
            _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV");
            _env.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
            _env.Set("AWS_REGION", "ap-south-1");
            _sessionVariables["StoredAWSCredentials"] = new BasicAWSCredentials("AKIASTORED", "s");
            var s = Resolve(new AwsCommonParameters { ProfileName = "ops", Credential = new BasicAWSCredentials("AKIACRED", "c") });
            Assert.Equal("AKIAOPS", KeyOf(s));
            Assert.Equal("eu-west-3", s.Region.SystemName);
            Assert.Equal("profile 'ops'", s.RegionSource);
        }

        [Fact]
        public void A_missing_profile_is_an_error_never_a_fall_through()
        {
            _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV");
            _env.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { ProfileName = "nope", Region = "eu-west-1" }));
            Assert.Equal("ProfileNotFound", e.ErrorId);
            Assert.Contains("'nope'", e.Message);
        }

        [Fact]
        public void ProfileLocation_reads_another_file()
        {
            var other = Path.Combine(_dir, "elsewhere");
            File.WriteAllText(other, "[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci-secret\nregion = sa-east-1\n");
            var s = Resolve(new AwsCommonParameters { ProfileName = "ci", ProfileLocation = other });
            Assert.Equal("AKIACI", KeyOf(s));
            Assert.Equal("sa-east-1", s.Region.SystemName);
        }

        [Fact]
        public void Credential_beats_stored_credentials_and_environment()
        {
            _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV");
            _env.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
            _sessionVariables["StoredAWSCredentials"] = new BasicAWSCredentials("AKIASTORED", "s");
            var s = Resolve(new AwsCommonParameters { Credential = new BasicAWSCredentials("AKIACRED", "c"), Region = "eu-west-1" });
            Assert.Equal("AKIACRED", KeyOf(s));
        }

        [Fact]
        public void Stored_credentials_beat_the_environment_in_any_of_their_shapes()
        {
            _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV");
            _env.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
            _sessionVariables["StoredAWSCredentials"] = new BasicAWSCredentials("AKIASTORED", "s");
            Assert.Equal("AKIASTORED", KeyOf(Resolve(new AwsCommonParameters { Region = "eu-west-1" })));

            // AWS.Tools' Set-AWSCredential stores a wrapper with a Credentials property.
            _sessionVariables["StoredAWSCredentials"] = new { Credentials = (AWSCredentials)new BasicAWSCredentials("AKIAWRAPPED", "w") };
            Assert.Equal("AKIAWRAPPED", KeyOf(Resolve(new AwsCommonParameters { Region = "eu-west-1" })));

            // ...or a profile name.
            _sessionVariables["StoredAWSCredentials"] = "other";
            var s = Resolve(new AwsCommonParameters());
            Assert.Equal("AKIAOTHER", KeyOf(s));
            Assert.Contains("$StoredAWSCredentials", s.CredentialSource);
        }

        [Fact]
        public void Then_the_environment()
        {
            _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV");
            _env.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
            var s = Resolve(new AwsCommonParameters { Region = "eu-west-1" });
            Assert.Equal("AKIAENV", KeyOf(s));
            Assert.Contains("environment", s.CredentialSource);
        }

        [Fact]
        public void Then_AWS_PROFILE_then_the_default_profile()
        {
            _env.Set("AWS_PROFILE", "ops");
            var s = Resolve(new AwsCommonParameters());
            Assert.Equal("AKIAOPS", KeyOf(s));
            Assert.Contains("profile 'ops'", s.CredentialSource);
            Assert.Equal("eu-west-3", s.Region.SystemName);

            _env.Set("AWS_PROFILE", null);
            s = Resolve(new AwsCommonParameters());
            Assert.Equal("AKIADEFAULT", KeyOf(s));
            Assert.Equal("eu-north-1", s.Region.SystemName);
            Assert.Equal("profile 'default'", s.RegionSource);
        }

        [Fact]
        public void No_credentials_anywhere_is_a_clear_error()
        {
            File.WriteAllText(Credentials, "");
            File.WriteAllText(Config, "");
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { Region = "eu-west-1" }));
            Assert.Equal("NoCredentials", e.ErrorId);
            Assert.Contains("-ProfileName", e.Message);
        }

        [Fact]
        public void Region_order_is_parameter_stored_profile_environment_default_profile()
        {
            var keys = new AwsCommonParameters { AccessKey = "AKIAX", SecretKey = "k" };
            _env.Set("AWS_REGION", "ap-south-1");
            _env.Set("AWS_DEFAULT_REGION", "ap-east-1");
            _sessionVariables["StoredAWSRegion"] = "ca-central-1";

            Assert.Equal(("us-west-2", "parameter -Region"), Region(new AwsCommonParameters { AccessKey = "AKIAX", SecretKey = "k", Region = "us-west-2" }));
            Assert.Equal(("ca-central-1", "$StoredAWSRegion"), Region(keys));
            // $StoredAWSRegion beats even the chosen profile's region.
            Assert.Equal(("ca-central-1", "$StoredAWSRegion"), Region(new AwsCommonParameters { ProfileName = "ops" }));
            _sessionVariables.Remove("StoredAWSRegion");
            Assert.Equal(("eu-west-3", "profile 'ops'"), Region(new AwsCommonParameters { ProfileName = "ops" }));
            Assert.Equal(("ap-south-1", "environment variable AWS_REGION"), Region(keys));
            _env.Set("AWS_REGION", null);
            Assert.Equal(("ap-east-1", "environment variable AWS_DEFAULT_REGION"), Region(keys));
            _env.Set("AWS_DEFAULT_REGION", null);
            Assert.Equal(("eu-north-1", "profile 'default'"), Region(keys));
            File.WriteAllText(Config, "");
            Assert.Equal("NoRegion", Assert.Throws<AwsSessionException>(() => Region(keys)).ErrorId);
            Assert.Equal(("us-east-1", "default for -EndpointUrl"),
                Region(new AwsCommonParameters { AccessKey = "AKIAX", SecretKey = "k", EndpointUrl = "http://127.0.0.1:1" }));
        }

        [Theory]
        [InlineData("EU-WEST-1")]
        [InlineData("eu_west_1")]
        [InlineData("westeurope")]
        [InlineData("eu-west-1 ")]
        public void Invalid_region_names_are_refused(string region)
            => Assert.Equal("InvalidRegion", Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { AccessKey = "A", SecretKey = "k", Region = region })).ErrorId);

        [Theory]
        [InlineData("localhost:4566")]
        [InlineData("ftp://127.0.0.1")]
        [InlineData("not a url")]
        public void Invalid_endpoint_urls_are_refused(string url)
            => Assert.Equal("InvalidEndpointUrl", Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { AccessKey = "A", SecretKey = "k", EndpointUrl = url })).ErrorId);

        private (string, string) Region(AwsCommonParameters p)
        {
            var s = Resolve(p);
            return (s.Region.SystemName, s.RegionSource);
        }

        public void Dispose()
        {
            _env.Dispose();
            File.WriteAllText(Credentials, "");
            File.WriteAllText(Config, "");
        }

        private sealed class FakeEnvironment : IAwsEnvironment
        {
            private readonly Dictionary<string, object?> _variables;

            public FakeEnvironment(Dictionary<string, object?> variables) => _variables = variables;

            public object? GetSessionVariable(string name) => _variables.TryGetValue(name, out var v) ? v : null;

            public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);
        }
    }
}
