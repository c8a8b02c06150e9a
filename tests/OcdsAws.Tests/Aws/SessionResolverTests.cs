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
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", null), ("AWS_WEB_IDENTITY_TOKEN_FILE", null), ("AWS_ROLE_ARN", null));
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

        // ---- #15 item 10 and #16 items 1 and 10: context in errors, hostile values ----

        [Theory]
        [InlineData("eu-west-9")]
        [InlineData("us-east-7")]
        [InlineData("xx-north-1")]
        public void A_region_the_sdk_does_not_know_is_refused_naming_its_neighbours(string region)
        {
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { AccessKey = "A", SecretKey = "k", Region = region }));
            Assert.Equal("UnknownRegion", e.ErrorId);
            Assert.Contains($"'{region}' from -Region is not an AWS region", e.Message);
            if (region.StartsWith("eu-west-", StringComparison.Ordinal)) Assert.Contains("eu-west-1, eu-west-2, eu-west-3", e.Message);
            _sessionVariables["StoredAWSRegion"] = region;
            Assert.Equal("UnknownRegion", Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { AccessKey = "A", SecretKey = "k" })).ErrorId);
        }

        [Fact]
        public void A_profile_region_that_is_not_a_region_name_is_refused_naming_the_profile()
        {
            File.WriteAllText(Config, "[profile odd]\nregion = ../../etc\n");
            File.WriteAllText(Credentials, "[odd]\naws_access_key_id = AKIAODD\naws_secret_access_key = odd-secret\n");
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { ProfileName = "odd" }));
            Assert.Equal("InvalidRegion", e.ErrorId);
            Assert.Contains("profile 'odd'", e.Message);
        }

        /// <summary>A credential or region object that refers to itself (#16 item 1) looped for ever at 100 % CPU.</summary>
        private sealed class Loop
        {
            public Loop() => Credentials = this;

            public object Credentials { get; set; }
        }

        private sealed class RegionLoop
        {
            public RegionLoop() => Region = this;

            public object Region { get; set; }
        }

        private AwsSessionException ThrowsWithin5Seconds(AwsCommonParameters p)
        {
            var task = System.Threading.Tasks.Task.Run(() => Assert.Throws<AwsSessionException>(() => Resolve(p)));
            Assert.True(task.Wait(TimeSpan.FromSeconds(5)), "the resolver did not come back within 5 seconds");
            return task.Result;
        }

        [Fact]
        public void Self_referencing_credentials_and_regions_are_refused_not_followed_for_ever()
        {
            var e = ThrowsWithin5Seconds(new AwsCommonParameters { Credential = new Loop(), Region = "eu-west-1" });
            Assert.Equal("SelfReferencingValue", e.ErrorId);
            Assert.Contains("-Credential", e.Message);

            _sessionVariables["StoredAWSCredentials"] = new Loop();
            e = ThrowsWithin5Seconds(new AwsCommonParameters { Region = "eu-west-1" });
            Assert.Equal("SelfReferencingValue", e.ErrorId);
            Assert.Contains("Set-AWSCredential", e.Message);

            _sessionVariables.Remove("StoredAWSCredentials");
            _sessionVariables["StoredAWSRegion"] = new RegionLoop();
            e = ThrowsWithin5Seconds(new AwsCommonParameters { AccessKey = "A", SecretKey = "k" });
            Assert.Equal("SelfReferencingValue", e.ErrorId);
            Assert.Contains("Set-DefaultAWSRegion", e.Message);
        }

        [Theory]
        [InlineData("AKIAX\r\nX-Injected: 1", null, "-AccessKey", "a carriage return (CR) at position 6")]
        [InlineData("AKIA\u00C9X", null, "-AccessKey", "the non-ASCII character U+00C9")]
        [InlineData("AKIAX", "tok\nen", "-SessionToken", "a line feed (LF) at position 4")]
        [InlineData("AKIAX ", null, "-AccessKey", "a space at position 6")]
        public void Line_breaks_and_non_ascii_in_keys_are_refused_without_showing_them(string accessKey, string? token, string parameter, string what)
        {
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { AccessKey = accessKey, SecretKey = "k", SessionToken = token, Region = "eu-west-1" }));
            Assert.Equal("InvalidKeyText", e.ErrorId);
            Assert.Contains(parameter + " holds " + what, e.Message);
            Assert.DoesNotContain(token ?? accessKey, e.Message);
        }

        [Theory]
        [InlineData("http://bob:hunter2@127.0.0.1:5000", "http://bob:***@127.0.0.1:5000")]
        [InlineData("ftp://bob:hunter2@127.0.0.1", "ftp://bob:***@127.0.0.1")]
        [InlineData("http://bob:hunter2@", "http://bob:***@")]
        public void An_endpoint_url_with_a_password_is_refused_without_showing_it(string url, string shown)
        {
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { AccessKey = "A", SecretKey = "k", EndpointUrl = url }));
            Assert.Equal("InvalidEndpointUrl", e.ErrorId);
            Assert.DoesNotContain("hunter2", e.Message);
            Assert.Contains(shown, e.Message);
        }

        [Fact]
        public void A_misspelt_AWS_PROFILE_names_the_profile_and_the_ones_there()
        {
            _env.Set("AWS_PROFILE", "opps");
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { Region = "eu-west-1" }));
            Assert.Equal("ProfileNotFound", e.ErrorId);
            Assert.Contains("AWS_PROFILE names the profile 'opps'", e.Message);
            Assert.Contains("Profiles there: default, ops, other.", e.Message);
        }

        [Fact]
        public void A_malformed_profile_file_is_an_error_naming_the_line_not_showing_it()
        {
            File.WriteAllText(Credentials, "[ops]\naws_access_key_id = AKIAOPS\naws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { ProfileName = "ops", Region = "eu-west-1" }));
            Assert.Equal("InvalidProfileFile", e.ErrorId);
            Assert.Contains("line 3 of " + Credentials, e.Message);
            Assert.DoesNotContain("wJalr", e.Message);
        }

        [Fact]
        public void Special_and_huge_profile_files_are_refused_before_the_sdk_reads_them()
        {
            var fifo = SpecialFiles.Fifo();
            try
            {
                var e = ThrowsWithin5Seconds(new AwsCommonParameters { ProfileName = "ci", ProfileLocation = fifo });
                Assert.Equal("NotAFile", e.ErrorId);
                Assert.Contains("is a named pipe (FIFO)", e.Message);
            }
            finally
            {
                File.Delete(fifo);
            }
            var zero = ThrowsWithin5Seconds(new AwsCommonParameters { ProfileName = "ci", ProfileLocation = "/dev/zero" });
            Assert.Equal("NotAFile", zero.ErrorId);
            Assert.Contains("is a character device", zero.Message);

            var big = Path.Combine(_dir, "big-credentials");
            File.WriteAllText(big, "[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = s\n# " + new string('x', 2 * 1024 * 1024) + "\n");
            var tooBig = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { ProfileName = "ci", ProfileLocation = big }));
            Assert.Equal("FileTooLarge", tooBig.ErrorId);
            Assert.Contains("at most 1,048,576 bytes", tooBig.Message);
        }

        [Fact]
        public void A_web_identity_token_file_that_is_a_device_is_refused()
        {
            File.WriteAllText(Config, "[profile oidc]\nrole_arn = arn:aws:iam::123456789012:role/ci\nweb_identity_token_file = /dev/urandom\nregion = eu-west-1\n");
            var e = ThrowsWithin5Seconds(new AwsCommonParameters { ProfileName = "oidc" });
            Assert.Equal("NotAFile", e.ErrorId);
            Assert.Contains("web identity token file (profile 'oidc')", e.Message);
            _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", "/dev/zero");
            _env.Set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci");
            e = ThrowsWithin5Seconds(new AwsCommonParameters { Region = "eu-west-1" });
            Assert.Contains("AWS_WEB_IDENTITY_TOKEN_FILE", e.Message);
        }

        [Fact]
        public void A_ten_thousand_character_region_is_quoted_cut()
        {
            var e = Assert.Throws<AwsSessionException>(() => Resolve(new AwsCommonParameters { AccessKey = "A", SecretKey = "k", Region = new string('a', 10000) }));
            Assert.Equal("InvalidRegion", e.ErrorId);
            Assert.Contains("(10000 characters)", e.Message);
            Assert.True(e.Message.Length < 300, e.Message.Length + " characters");
        }

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
