using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Security;
using System.Text.Json.Nodes;
using OcdsAws.Smtp;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Smtp
{
    /// <summary>
    /// Get-SmtpCredential and ConvertTo-SesSmtpPassword hosted in a runspace against moto, with boto3 as
    /// the witness. IAM is global, so each test uses users of its own (tests run in parallel on one moto).
    /// </summary>
    public sealed class SmtpCredentialCmdletTests
    {
        private static readonly string[] MutatingOperations = { "CreateUser", "PutUserPolicy", "CreateAccessKey" };

        private static readonly string LeastPrivilege = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:SendRawEmail","Resource":"*"}]}""";

        /// <summary>Session parameters without -Region: Get-SmtpCredential's -Region is its list of SMTP regions.</summary>
        private static Dictionary<string, object?> Vars(params (string, object?)[] more)
            => ScriptVariables.WithoutRegion(more);

        private static int Mutating(PsResult r)
            => r.Verbose.Count(v => MutatingOperations.Any(op => v.StartsWith($"AWS call: IAM {op} ", StringComparison.Ordinal)));

        private static int Calls(PsResult r, string operation) => r.Verbose.Count(v => v.StartsWith($"AWS call: IAM {operation} ", StringComparison.Ordinal));

        private static IReadOnlyList<string> KeyIds(string user)
            => Witness.Call("iam", "list_access_keys", new JsonObject { ["UserName"] = user })["AccessKeyMetadata"]!.AsArray().Select(k => (string)k!["AccessKeyId"]!).ToList();

        private static JsonNode UserPolicy(string user)
            => Witness.Call("iam", "get_user_policy", new JsonObject { ["UserName"] = user, ["PolicyName"] = "AmazonSesSendingAccess" })["PolicyDocument"]!;

        private static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }

        /// <summary>
        /// The secret moto holds for a key. No AWS API returns a secret twice, so this asks the test bed's
        /// control endpoint, to check the derived passwords and the leaks.
        /// </summary>
        private static string MotoSecret(string accessKeyId)
        {
            using var http = new HttpClient();
            var data = JsonNode.Parse(http.GetStringAsync(TestBed.Endpoint.TrimEnd('/') + "/ocds-testbed/iam/secret?access_key_id=" + Uri.EscapeDataString(accessKeyId)).GetAwaiter().GetResult())!;
            return (string)data["secret_access_key"]!;
        }

        private static List<SmtpCredential> Credentials(PsResult r) => r.Output.Select(o => (SmtpCredential)o.BaseObject).ToList();

        [Fact]
        public void Creates_the_user_a_least_privilege_policy_and_one_key_and_returns_a_credential_per_region()
        {
            var user = TestBed.Unique("ses-smtp");
            var r = PowerShellHost.Run("Get-SmtpCredential -UserName $user -Region eu-west-1, us-east-1 -AllowedFromAddress data@example.org, '*@example.net' -Tag @{ purpose = 'SES SMTP' } -Force @aws -Verbose",
                Vars(("user", user)));

            Assert.Empty(r.Errors);
            Assert.Equal(4, r.AwsCalls); // GetUser (NoSuchEntity), CreateUser, PutUserPolicy, CreateAccessKey
            Assert.Equal(1, Calls(r, "GetUser"));
            Assert.Equal(3, Mutating(r));

            var witnessed = Witness.Call("iam", "get_user", new JsonObject { ["UserName"] = user })["User"]!;
            Assert.Equal(user, (string)witnessed["UserName"]!);
            Assert.Equal("SES SMTP", (string)witnessed["Tags"]!.AsArray().Single(t => (string)t!["Key"]! == "purpose")!["Value"]!);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:SendRawEmail","Resource":"*","Condition":{"StringLike":{"ses:FromAddress":["data@example.org","*@example.net"]}}}]}"""),
                UserPolicy(user)), UserPolicy(user).ToJsonString());
            // Least privilege: that inline policy is all the user has.
            Assert.Equal(new[] { "AmazonSesSendingAccess" }, Witness.Call("iam", "list_user_policies", new JsonObject { ["UserName"] = user })["PolicyNames"]!.AsArray().Select(p => (string)p!));
            Assert.Empty(Witness.Call("iam", "list_attached_user_policies", new JsonObject { ["UserName"] = user })["AttachedPolicies"]!.AsArray());
            Assert.Empty(Witness.Call("iam", "list_groups_for_user", new JsonObject { ["UserName"] = user })["Groups"]!.AsArray());

            var keyId = Assert.Single(KeyIds(user));
            var secret = MotoSecret(keyId);
            var credentials = Credentials(r);
            Assert.Equal(new[] { "eu-west-1", "us-east-1" }, credentials.Select(c => c.Region));
            foreach (var c in credentials)
            {
                Assert.Equal((user, keyId), (c.UserName, c.AccessKeyId));
                Assert.Equal($"email-smtp.{c.Region}.amazonaws.com", c.SmtpHost);
                Assert.Equal((587, 465), (c.Port, c.TlsPort));
                Assert.Equal(keyId, c.Credential.UserName);
                Assert.Equal(SmtpPassword.Derive(secret, c.Region), c.Credential.GetNetworkCredential().Password);
                Assert.Null(c.SmtpPassword);
            }
            Assert.NotEqual(credentials[0].Credential.GetNetworkCredential().Password, credentials[1].Credential.GetNetworkCredential().Password);
        }

        [Fact]
        public void Re_runs_reuse_the_user_and_policy_ask_before_a_second_key_and_refuse_a_third()
            => Story.Run(step =>
            {
                step("The first run");
                var user = TestBed.Unique("ses-smtp-rerun");
                var vars = Vars(("user", user));
                var first = PowerShellHost.Run("Get-SmtpCredential $user -Region eu-west-1 -AsPlainText -Force @aws", vars);
                Assert.Empty(first.Errors);
                var firstKey = Assert.Single(KeyIds(user));
                Assert.Equal(SmtpPassword.Derive(MotoSecret(firstKey), "eu-west-1"), Credentials(first).Single().SmtpPassword);

                step("-WhatIf reads, changes nothing");
                // -WhatIf reads, changes nothing.
                var whatIf = PowerShellHost.Run("Get-SmtpCredential $user -Region eu-west-1 -Force -WhatIf @aws -Verbose", vars);
                Assert.Empty(whatIf.Errors);
                Assert.Empty(whatIf.Output);
                Assert.Equal(3, whatIf.AwsCalls); // GetUser, ListAccessKeys, GetUserPolicy
                Assert.Equal(0, Mutating(whatIf));

                step("No -Force in a session that cannot prompt");
                // No -Force in a session that cannot prompt: ConfirmImpact High stops before the second key.
                var unconfirmed = PowerShellHost.Run("Get-SmtpCredential $user -Region eu-west-1 @aws -Verbose", vars);
                step("The prompt it could not show names the second key");
                // The prompt it could not show names the second key.
                var prompt = Assert.Single(unconfirmed.Errors).Exception;
                Assert.IsType<System.Management.Automation.Host.HostException>(prompt);
                Assert.Contains("SECOND access key", prompt.Message);
                Assert.Contains(firstKey, prompt.Message);
                Assert.Empty(unconfirmed.Output);
                Assert.Equal(0, Mutating(unconfirmed));
                Assert.Equal(new[] { firstKey }, KeyIds(user));

                step("-Force");
                // -Force: the second key, with the same policy left unwritten, and a warning naming the old key.
                var second = PowerShellHost.Run("Get-SmtpCredential $user -Region eu-west-1 -Force @aws -Verbose", vars);
                Assert.Empty(second.Errors);
                Assert.Equal(0, Calls(second, "CreateUser") + Calls(second, "PutUserPolicy"));
                Assert.Equal(1, Calls(second, "CreateAccessKey"));
                Assert.Contains(second.Warnings, w => w.Contains("two access keys") && w.Contains(firstKey));
                var keys = KeyIds(user);
                Assert.Equal(2, keys.Count);
                Assert.Equal(keys.Single(k => k != firstKey), Credentials(second).Single().AccessKeyId);
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(LeastPrivilege), UserPolicy(user)));

                step("Two keys");
                // Two keys: refused before anything changes.
                var third = PowerShellHost.Run("Get-SmtpCredential $user -Region eu-west-1 -Force @aws -Verbose", vars);
                var error = Assert.Single(third.Errors);
                Assert.StartsWith("OcdsAws.AccessKeyLimit", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
                Assert.All(keys, k => Assert.Contains(k, error.Exception.Message));
                Assert.Equal(2, third.AwsCalls); // GetUser, ListAccessKeys
                Assert.Equal(0, Mutating(third));
                Assert.Empty(third.Output);
                Assert.Equal(keys.OrderBy(k => k), KeyIds(user).OrderBy(k => k));
            });

        [Fact]
        public void A_user_made_elsewhere_with_two_keys_is_refused_with_no_mutating_call()
        {
            var user = TestBed.Unique("ses-smtp-full");
            Witness.Call("iam", "create_user", new JsonObject { ["UserName"] = user });
            Witness.Call("iam", "create_access_key", new JsonObject { ["UserName"] = user });
            Witness.Call("iam", "create_access_key", new JsonObject { ["UserName"] = user });

            var r = PowerShellHost.Run("Get-SmtpCredential $user -AllowedFromAddress data@example.org -Force @aws -Verbose", Vars(("user", user)));
            Assert.StartsWith("OcdsAws.AccessKeyLimit", Assert.Single(r.Errors).FullyQualifiedErrorId);
            Assert.Equal(0, Mutating(r));
            Assert.Equal(2, KeyIds(user).Count);
            Assert.NotNull(Witness.TryCall("iam", "get_user_policy", new JsonObject { ["UserName"] = user, ["PolicyName"] = "AmazonSesSendingAccess" })["error"]);
        }

        [Fact]
        public void An_existing_broader_policy_is_replaced_by_the_least_privilege_one()
        {
            var user = TestBed.Unique("ses-smtp-broad");
            Witness.Call("iam", "create_user", new JsonObject { ["UserName"] = user });
            Witness.Call("iam", "put_user_policy", new JsonObject
            {
                ["UserName"] = user, ["PolicyName"] = "AmazonSesSendingAccess",
                ["PolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:*","Resource":"*"}]}""",
            });

            var r = PowerShellHost.Run("Get-SmtpCredential $user -Force @aws -Verbose", Vars(("user", user), ("StoredAWSRegion", "eu-central-1")));
            Assert.Empty(r.Errors);
            Assert.Equal(1, Calls(r, "PutUserPolicy"));
            Assert.Equal(0, Calls(r, "CreateUser"));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(LeastPrivilege), UserPolicy(user)));
            // No -Region: the session's region ($StoredAWSRegion here).
            Assert.Equal("eu-central-1", Credentials(r).Single().Region);
        }

        [Fact]
        public void WhatIf_on_a_new_user_makes_no_mutating_call()
        {
            var user = TestBed.Unique("ses-smtp-whatif");
            var r = PowerShellHost.Run("Get-SmtpCredential $user -Region eu-west-1 -WhatIf @aws -Verbose", Vars(("user", user)));
            Assert.Empty(r.Errors);
            Assert.Empty(r.Output);
            Assert.Equal(1, r.AwsCalls); // GetUser (NoSuchEntity)
            Assert.Equal(0, Mutating(r));
            Assert.Equal("NoSuchEntity", (string)Witness.TryCall("iam", "get_user", new JsonObject { ["UserName"] = user })["error"]!["Code"]!);
        }

        [Fact]
        public void An_existing_key_derives_with_no_AWS_call_and_matches_the_vectors()
        {
            var vars = Vars(("secret", Secure("some+secret+key")));
            var plain = PowerShellHost.Run("Get-SmtpCredential -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $secret -Region eu-central-1, us-west-1 -AsPlainText -Verbose", vars);
            Assert.Empty(plain.Errors);
            Assert.Equal(0, plain.AwsCalls);
            Assert.Equal(new[] { "BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2", "BH+jbMzper5WwlwUar9E1ySBqHa9whi0GPo+sJ0mVYJj" }, Credentials(plain).Select(c => c.SmtpPassword));
            Assert.All(Credentials(plain), c => Assert.Null(c.UserName));

            // Without -Region the session's region is used; resolving the session makes no call either.
            var stored = PowerShellHost.Run("$StoredAWSRegion = 'us-west-1'; Get-SmtpCredential -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $secret @aws -Verbose", vars);
            Assert.Empty(stored.Errors);
            Assert.Equal(0, stored.AwsCalls);
            var c = Credentials(stored).Single();
            Assert.Equal(("us-west-1", "AKIAIOSFODNN7EXAMPLE", (string?)null), (c.Region, c.Credential.UserName, c.SmtpPassword));
            Assert.Equal("BH+jbMzper5WwlwUar9E1ySBqHa9whi0GPo+sJ0mVYJj", c.Credential.GetNetworkCredential().Password);
        }

        [Fact]
        public void ConvertTo_SesSmtpPassword_gives_a_SecureString_unless_asked_and_takes_regions_from_the_pipeline()
        {
            var vars = Vars(("secret", Secure("another+secret+key")));
            var secure = PowerShellHost.Run("ConvertTo-SesSmtpPassword -SecretAccessKey $secret -Region eu-central-1 -AccessKeyId AKIAIOSFODNN7EXAMPLE", vars);
            Assert.Empty(secure.Errors);
            Assert.Equal("BBbphbrQmrKMx42d1N6+C7VINYEBGI5v9VsZeTxwskfh", SmtpPassword.Reveal(Assert.IsType<SecureString>(secure.Output.Single().BaseObject)));

            var plain = PowerShellHost.Run("'eu-central-1', 'us-west-1' | ConvertTo-SesSmtpPassword $secret -AsPlainText", vars);
            Assert.Empty(plain.Errors);
            Assert.Equal(new[] { "BBbphbrQmrKMx42d1N6+C7VINYEBGI5v9VsZeTxwskfh", "BKVmjjMDFk/qqw8EROW99bjCS65PF8WKvK5bSr4Y6EqF" }, plain.Output.Select(o => (string)o.BaseObject));
        }

        [Theory]
        [InlineData("Get-SmtpCredential -UserName $user -Region eu-west-1, us-gov-west-1 -Force @aws -Verbose", "aws, aws-us-gov")]
        [InlineData("Get-SmtpCredential -UserName $user -Region cn-north-1, us-east-1 -Force @aws -Verbose", "aws-cn, aws")]
        [InlineData("Get-SmtpCredential -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $secret -Region us-gov-east-1, cn-northwest-1 -AsPlainText @aws -Verbose", "aws-us-gov, aws-cn")]
        public void Regions_of_two_partitions_are_refused_before_any_AWS_call(string script, string partitions)
        {
            // An IAM user and its keys live in one partition (commercial, China, GovCloud): one key has no SMTP password in another.
            var user = TestBed.Unique("ses-smtp-partition");
            var r = PowerShellHost.Run(script, Vars(("user", user), ("secret", Secure("some+secret+key"))));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.MixedPartitions", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(partitions, error.Exception.Message);
            Assert.Contains("once per partition", error.Exception.Message);
            Assert.Equal(0, r.AwsCalls);
            Assert.Empty(r.Output);
            Assert.Equal("NoSuchEntity", (string)Witness.TryCall("iam", "get_user", new JsonObject { ["UserName"] = user })["error"]!["Code"]!);
        }

        [Theory]
        [InlineData("eu-west-1", "email-smtp.eu-west-1.amazonaws.com")]
        [InlineData("us-gov-west-1", "email-smtp.us-gov-west-1.amazonaws.com")]
        [InlineData("cn-northwest-1", "email-smtp.cn-northwest-1.amazonaws.com.cn")]
        public void The_smtp_host_is_in_the_region_partition_dns_suffix(string region, string host)
        {
            var r = PowerShellHost.Run("Get-SmtpCredential -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $secret -Region $region @aws",
                Vars(("secret", Secure("some+secret+key")), ("region", region)));
            Assert.Empty(r.Errors);
            Assert.Equal(0, r.AwsCalls);
            var credential = Credentials(r).Single();
            Assert.Equal(host, credential.SmtpHost);
            Assert.Equal(host + ":587", credential.ToString().Split('@')[1]);
            // China: SES has no endpoint in botocore's aws-cn table, so the host is said to be unconfirmed.
            if (region.StartsWith("cn-", StringComparison.Ordinal))
                Assert.Contains(r.Warnings, w => w.Contains(host) && w.Contains("not confirmed"));
            else
                Assert.Empty(r.Warnings);
        }

        [Fact]
        public void ConvertTo_SesSmtpPassword_refuses_a_second_partition_in_the_pipeline()
        {
            var r = PowerShellHost.Run("'eu-west-1', 'us-gov-west-1', 'us-east-1' | ConvertTo-SesSmtpPassword $secret -AsPlainText", Vars(("secret", Secure("some+secret+key"))));
            Assert.Equal(new[] { SmtpPassword.Derive("some+secret+key", "eu-west-1"), SmtpPassword.Derive("some+secret+key", "us-east-1") },
                r.Output.Select(o => (string)o.BaseObject));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.MixedPartitions", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("us-gov-west-1", error.Exception.Message);
        }

        [Fact]
        public void An_smtp_region_outside_the_session_partition_is_refused()
        {
            // The IAM user is made in the session's partition. Today the first -Region value picks the session, so
            // this is the engine's guard; the cmdlet calls it before any AWS call.
            var e = Assert.Throws<ValidationException>(() => SmtpInput.SessionPartition(new[] { "us-gov-west-1" }, "eu-west-1"));
            Assert.Equal("PartitionMismatch", e.ErrorId);
            Assert.Contains("us-gov-west-1", e.Message);
            Assert.Contains("aws-us-gov", e.Message);
            SmtpInput.SessionPartition(new[] { "eu-west-1", "us-east-1" }, "ap-south-2");
            SmtpInput.SessionPartition(new[] { "us-gov-east-1" }, "us-gov-west-1");
        }

        [Theory]
        [InlineData("Get-SmtpCredential -UserName 'ses smtp' -Force @aws -Verbose", "OcdsAws.InvalidUserName")]
        [InlineData("Get-SmtpCredential -UserName ('u' * 65) -Force @aws -Verbose", "OcdsAws.InvalidUserName")]
        [InlineData("Get-SmtpCredential -UserName 'ses-smtp/x' -Force @aws -Verbose", "OcdsAws.InvalidUserName")]
        [InlineData("Get-SmtpCredential -UserName ses-smtp-ok -Region eu-west-1, Europe -Force @aws -Verbose", "OcdsAws.InvalidRegion")]
        [InlineData("Get-SmtpCredential -UserName ses-smtp-ok -Region EU-WEST-1 -Force @aws -Verbose", "OcdsAws.InvalidRegion")]
        [InlineData("Get-SmtpCredential -UserName ses-smtp-ok -AllowedFromAddress data@example.org, 'not an address' -Force @aws -Verbose", "OcdsAws.InvalidEmailAddress")]
        [InlineData("Get-SmtpCredential -UserName ses-smtp-ok -Tag @{ '' = 'x' } -Force @aws -Verbose", "OcdsAws.InvalidTag")]
        [InlineData("Get-SmtpCredential -AccessKeyId ASIAIOSFODNN7EXAMPLE -SecretAccessKey $secret -Region eu-west-1 @aws -Verbose", "OcdsAws.TemporaryCredentials")]
        [InlineData("Get-SmtpCredential -AccessKeyId short -SecretAccessKey $secret -Region eu-west-1 @aws -Verbose", "OcdsAws.InvalidAccessKeyId")]
        [InlineData("Get-SmtpCredential -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $empty -Region eu-west-1 @aws -Verbose", "OcdsAws.EmptySecretAccessKey")]
        [InlineData("ConvertTo-SesSmtpPassword $secret eu_west_1 -Verbose", "OcdsAws.InvalidRegion")]
        [InlineData("ConvertTo-SesSmtpPassword $secret eu-west-1 -AccessKeyId ASIAIOSFODNN7EXAMPLE -Verbose", "OcdsAws.TemporaryCredentials")]
        public void Bad_input_fails_clearly_with_no_AWS_call(string script, string errorId)
        {
            var r = PowerShellHost.Run(script, Vars(("secret", Secure("some+secret+key")), ("empty", Secure(""))));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, r.AwsCalls);
            Assert.Empty(r.Output);
            if (errorId == "OcdsAws.TemporaryCredentials") Assert.Contains("long-term IAM user", error.Exception.Message);
        }

        [Fact]
        public void No_secret_reaches_any_stream_error_or_transcript()
        {
            var user = TestBed.Unique("ses-smtp-leak");
            var full = TestBed.Unique("ses-smtp-leakfull");
            Witness.Call("iam", "create_user", new JsonObject { ["UserName"] = full });
            Witness.Call("iam", "create_access_key", new JsonObject { ["UserName"] = full });
            Witness.Call("iam", "create_access_key", new JsonObject { ["UserName"] = full });
            const string known = "leaky+known+secret/42";
            var transcript = Path.Combine(Path.GetTempPath(), TestBed.Unique("smtp-transcript") + ".txt");
            var vars = Vars(("user", user), ("full", full), ("transcript", transcript), ("secret", Secure(known)), ("plainSecret", known));

            var r = PowerShellHost.Run("""
                $ErrorView = 'DetailedView'
                Start-Transcript -Path $transcript | Out-Null
                # No try/finally: inside try a refused call would end the script; here each failure ends only its statement.
                $made = Get-SmtpCredential -UserName $user -Region eu-west-1, us-east-1 -Force @aws -Verbose -Debug
                $made
                $made | Format-List * | Out-String -Width 400
                Get-SmtpCredential -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey $secret -Region eu-west-1 @aws -Verbose -Debug | Format-List * | Out-String -Width 400
                ConvertTo-SesSmtpPassword -SecretAccessKey $secret -Region eu-west-1 -Verbose -Debug
                # Failures: a temporary key (its secret given as plain text), a bad region, a user that already has two keys.
                Get-SmtpCredential -AccessKeyId ASIAIOSFODNN7EXAMPLE -SecretAccessKey $plainSecret -Region eu-west-1 -Verbose -Debug -ErrorAction Continue
                ConvertTo-SesSmtpPassword $plainSecret 'not a region' -Verbose -Debug -ErrorAction Continue
                Get-SmtpCredential -UserName $full -Region eu-west-1 -Force @aws -Verbose -Debug -ErrorAction Continue
                $Error | Out-String -Width 400
                Stop-Transcript | Out-Null
                """, vars);

            var made = r.Output.Select(o => o.BaseObject).OfType<SmtpCredential>().ToList();
            Assert.Equal(2, made.Count);
            Assert.Equal(new[] { "OcdsAws.TemporaryCredentials", "OcdsAws.InvalidRegion", "OcdsAws.AccessKeyLimit" },
                r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            var keyId = Assert.Single(KeyIds(user));
            var secrets = new List<string> { known, SmtpPassword.Derive(known, "eu-west-1"), MotoSecret(keyId), TestBed.SecretKey };
            secrets.AddRange(made.Select(c => c.Credential.GetNetworkCredential().Password));
            secrets.AddRange(new[] { "eu-west-1", "us-east-1" }.Select(region => SmtpPassword.Derive(MotoSecret(keyId), region)));

            var log = File.ReadAllText(transcript);
            File.Delete(transcript);
            Assert.Contains("AWS call: IAM CreateAccessKey", log); // the transcript did record the Verbose stream
            var text = r.AllText() + "\n" + log;
            foreach (var secret in secrets.Distinct())
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret ({secret.Substring(0, 4)}…) leaked");
        }
    }
}
