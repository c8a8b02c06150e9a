using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Smtp;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Smtp
{
    /// <summary>
    /// New-SesSmtpCredential (Get-SmtpCredential before) under its name that says it creates, and its -SsmParameterName:
    /// the SMTP password handed to an application as an SSM SecureString, read back by boto3, never printed.
    /// </summary>
    public sealed class SmtpCredentialStoreTests
    {
        private static readonly string[] MutatingOperations = { "IAM CreateUser", "IAM PutUserPolicy", "IAM CreateAccessKey", "SSM PutParameter" };

        private static Dictionary<string, object?> Vars(params (string, object?)[] more)
            => ScriptVariables.WithoutRegion(more);

        private static int Mutating(PsResult r)
            => r.Verbose.Count(v => MutatingOperations.Any(op => v.StartsWith($"AWS call: {op} ", StringComparison.Ordinal)));

        private static IReadOnlyList<string> KeyIds(string user)
            => Witness.Call("iam", "list_access_keys", new JsonObject { ["UserName"] = user })["AccessKeyMetadata"]!.AsArray().Select(k => (string)k!["AccessKeyId"]!).ToList();

        private static JsonNode Parameter(string name, string region)
            => Witness.Call("ssm", "get_parameter", new JsonObject { ["Name"] = name, ["WithDecryption"] = true }, region)["Parameter"]!;

        private static List<SmtpCredential> Credentials(PsResult r) => r.Output.Select(o => (SmtpCredential)o.BaseObject).ToList();

        [Fact]
        public void New_SesSmtpCredential_is_the_cmdlet_and_Get_SmtpCredential_an_alias_of_it()
        {
            var r = PowerShellHost.Run("""
                $command = Get-Command New-SesSmtpCredential
                $alias = Get-Command Get-SmtpCredential
                $command.CommandType, $command.Verb, $alias.CommandType, $alias.ResolvedCommand.Name
                """);
            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "Cmdlet", "New", "Alias", "New-SesSmtpCredential" }, r.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void The_smtp_user_name_host_and_port_lead_the_object_and_its_view()
        {
            var r = PowerShellHost.Run("""
                $c = New-SesSmtpCredential -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey 'some+secret+key' -Region eu-central-1 @aws
                $c.PSObject.Properties.Name -join ','
                ($c | Out-String -Width 120).Trim()
                """, Vars());
            Assert.Empty(r.Errors);
            var properties = r.Output[0].ToString()!.Split(',');
            Assert.Equal(new[] { "SmtpUserName", "SmtpHost", "Port" }, properties.Take(3));
            var lines = r.Output[1].ToString()!.Split('\n').Select(l => l.Split(':')[0].Trim()).ToList();
            Assert.Equal(new[] { "SmtpUserName", "SmtpHost", "Port" }, lines.Take(3));
            Assert.DoesNotContain("Password", r.Output[1].ToString());
            Assert.DoesNotContain("BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2", r.Output[1].ToString());
        }

        [Fact]
        public void The_password_goes_to_an_SSM_SecureString_per_region_and_a_rerun_replaces_it()
        {
            var user = TestBed.Unique("ses-smtp-ssm");
            var name = $"/ocds-test/{user}/{{region}}";
            var vars = Vars(("user", user), ("name", name));
            var r = PowerShellHost.Run("New-SesSmtpCredential $user -Region eu-west-1, eu-central-1 -SsmParameterName $name -Force @aws -Verbose", vars);

            Assert.Empty(r.Errors);
            var made = Credentials(r);
            Assert.Equal(new[] { "eu-west-1", "eu-central-1" }, made.Select(c => c.Region));
            foreach (var c in made)
            {
                var expected = $"/ocds-test/{user}/{c.Region}";
                Assert.Equal(expected, c.SsmParameterName);
                // The session's region (the first -Region) holds both parameters: one SSM client, one place to read from.
                Assert.Equal("eu-west-1", c.SsmParameterRegion);
                var stored = Parameter(expected, "eu-west-1");
                Assert.Equal("SecureString", (string)stored["Type"]!);
                Assert.Equal(c.Credential.GetNetworkCredential().Password, (string)stored["Value"]!);
                Assert.Equal(1, (int)stored["Version"]!);
                Assert.Null(c.SmtpPassword);
                // Never printed: no stream carries the password.
                Assert.DoesNotContain(c.Credential.GetNetworkCredential().Password, r.AllText());
            }
            var description = (string)Witness.Call("ssm", "describe_parameters", new JsonObject
            {
                ["ParameterFilters"] = new JsonArray(new JsonObject { ["Key"] = "Name", ["Option"] = "Equals", ["Values"] = new JsonArray($"/ocds-test/{user}/eu-west-1") }),
            }, "eu-west-1")["Parameters"]![0]!["Description"]!;
            Assert.Contains(made[0].AccessKeyId, description);

            // -WhatIf changes nothing; the prompt (which a session without a host cannot show) says the parameter is replaced.
            var whatIf = PowerShellHost.Run("New-SesSmtpCredential $user -Region eu-west-1, eu-central-1 -SsmParameterName $name -Force -WhatIf @aws -Verbose", vars);
            Assert.Empty(whatIf.Errors);
            Assert.Equal(0, Mutating(whatIf));
            var unconfirmed = PowerShellHost.Run("New-SesSmtpCredential $user -Region eu-west-1, eu-central-1 -SsmParameterName $name @aws -Verbose", vars);
            var prompt = Assert.Single(unconfirmed.Errors).Exception;
            Assert.Contains($"replace SSM SecureString parameter /ocds-test/{user}/eu-west-1 (version 1)", prompt.Message);
            Assert.Equal(0, Mutating(unconfirmed));

            // A re-run makes a second key (what this cmdlet is for) and replaces the stored passwords with the new key's.
            var second = PowerShellHost.Run("New-SesSmtpCredential $user -Region eu-west-1, eu-central-1 -SsmParameterName $name -Force @aws", vars);
            Assert.Empty(second.Errors);
            Assert.Equal(2, KeyIds(user).Count);
            foreach (var c in Credentials(second))
            {
                var stored = Parameter(c.SsmParameterName!, "eu-west-1");
                Assert.Equal(c.Credential.GetNetworkCredential().Password, (string)stored["Value"]!);
                Assert.Equal(2, (int)stored["Version"]!);
            }
        }

        [Fact]
        public void An_existing_parameter_that_is_not_a_SecureString_is_refused_before_any_change()
        {
            var user = TestBed.Unique("ses-smtp-ssmplain");
            var name = $"/ocds-test/{user}";
            Witness.Call("ssm", "put_parameter", new JsonObject { ["Name"] = name, ["Value"] = "not a secret", ["Type"] = "String" }, "eu-west-1");

            var r = PowerShellHost.Run("New-SesSmtpCredential $user -Region eu-west-1 -SsmParameterName $name -Force @aws -Verbose", Vars(("user", user), ("name", name)));

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.SsmParameterNotSecureString", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Contains(name, error.Exception.Message);
            Assert.Equal(0, Mutating(r));
            Assert.Empty(r.Output);
            Assert.Equal("NoSuchEntity", (string)Witness.TryCall("iam", "get_user", new JsonObject { ["UserName"] = user })["error"]!["Code"]!);
            Assert.Equal("not a secret", (string)Parameter(name, "eu-west-1")["Value"]!);
        }

        [Theory]
        [InlineData("New-SesSmtpCredential ses-smtp-ok -Region eu-west-1 -SsmParameterName 'aws-smtp' -Force @aws -Verbose")]
        [InlineData("New-SesSmtpCredential ses-smtp-ok -Region eu-west-1 -SsmParameterName '/SSM/smtp' -Force @aws -Verbose")]
        [InlineData("New-SesSmtpCredential ses-smtp-ok -Region eu-west-1 -SsmParameterName '/smtp password' -Force @aws -Verbose")]
        [InlineData("New-SesSmtpCredential ses-smtp-ok -Region eu-west-1 -SsmParameterName '' -Force @aws -Verbose")]
        [InlineData("New-SesSmtpCredential ses-smtp-ok -Region eu-west-1, us-east-1 -SsmParameterName '/smtp/password' -Force @aws -Verbose")]
        public void Bad_parameter_names_fail_clearly_with_no_AWS_call(string script)
        {
            var r = PowerShellHost.Run(script, Vars());
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.InvalidSsmParameterName", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("-SsmParameterName", error.Exception.Message);
            Assert.Equal(0, r.AwsCalls);
            Assert.Empty(r.Output);
        }
    }
}
