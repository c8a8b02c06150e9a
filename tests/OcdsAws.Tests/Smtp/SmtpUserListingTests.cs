using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using OcdsAws.Smtp;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Smtp
{
    /// <summary>
    /// Get-SesSmtpCredential, New-SesSmtpCredential's read-only counterpart: the SMTP users (recognised by the inline policy
    /// New-SesSmtpCredential writes) and their key ages, against moto; users made by boto3. IAM is global and shared by
    /// parallel tests, so each test looks only at its own users.
    /// </summary>
    public sealed class SmtpUserListingTests
    {
        private static Dictionary<string, object?> Vars(params (string, object?)[] more)
        {
            var vars = new Dictionary<string, object?>
            {
                ["aws"] = new Hashtable { ["AccessKey"] = TestBed.AccessKey, ["SecretKey"] = TestBed.SecretKey, ["EndpointUrl"] = TestBed.Endpoint, ["Region"] = "eu-west-1" },
            };
            foreach (var (k, v) in more) vars[k] = v;
            return vars;
        }

        private static void SmtpUser(string user, int keys, string policyName = "AmazonSesSendingAccess")
        {
            Witness.Call("iam", "create_user", new JsonObject { ["UserName"] = user });
            Witness.Call("iam", "put_user_policy", new JsonObject
            {
                ["UserName"] = user, ["PolicyName"] = policyName,
                ["PolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:SendRawEmail","Resource":"*"}]}""",
            });
            for (var i = 0; i < keys; i++) Witness.Call("iam", "create_access_key", new JsonObject { ["UserName"] = user });
        }

        [Fact]
        public void Lists_each_smtp_user_key_with_its_age_and_no_secret_and_leaves_other_users_out()
        {
            var two = TestBed.Unique("ses-smtp-list2");
            var none = TestBed.Unique("ses-smtp-list0");
            var other = TestBed.Unique("not-smtp-list");
            SmtpUser(two, 2);
            SmtpUser(none, 0);
            SmtpUser(other, 1, "SomethingElse");

            var r = PowerShellHost.Run("Get-SesSmtpCredential @aws -Verbose", Vars());

            Assert.Empty(r.Errors);
            var rows = r.Output.Select(o => (SmtpUserKey)o.BaseObject).ToList();
            var keys = Witness.Call("iam", "list_access_keys", new JsonObject { ["UserName"] = two })["AccessKeyMetadata"]!.AsArray();
            var mine = rows.Where(k => k.UserName == two).ToList();
            Assert.Equal(keys.Select(k => (string)k!["AccessKeyId"]!).OrderBy(k => k), mine.Select(k => k.AccessKeyId!).OrderBy(k => k));
            Assert.All(mine, k =>
            {
                Assert.Equal(k.AccessKeyId, k.SmtpUserName);
                Assert.Equal("Active", k.Status);
                Assert.NotNull(k.KeyCreated);
                Assert.Equal((int)Math.Floor((DateTime.UtcNow - k.KeyCreated!.Value.ToUniversalTime()).TotalDays), k.AgeDays);
            });
            var empty = Assert.Single(rows, k => k.UserName == none);
            Assert.Equal(("NoKey", null), (empty.Status, empty.AccessKeyId));
            Assert.DoesNotContain(rows, k => k.UserName == other);
            // Read-only: IAM's account-wide read and one ListAccessKeys per SMTP user, nothing else.
            Assert.All(r.Verbose.Where(v => v.StartsWith("AWS call:", StringComparison.Ordinal)),
                v => Assert.Matches("^AWS call: IAM (GetAccountAuthorizationDetails|ListAccessKeys) ", v));
            Assert.DoesNotContain("SecretAccessKey", r.AllText());
        }

        [Fact]
        public void UserName_narrows_the_list_and_warns_about_a_name_that_is_not_an_smtp_user()
        {
            var user = TestBed.Unique("ses-smtp-listone");
            var other = TestBed.Unique("not-smtp-listone");
            SmtpUser(user, 1);
            SmtpUser(other, 1, "SomethingElse");

            var r = PowerShellHost.Run("Get-SesSmtpCredential $user, $other @aws", Vars(("user", user), ("other", other)));

            Assert.Empty(r.Errors);
            Assert.Equal(new[] { user }, r.Output.Select(o => ((SmtpUserKey)o.BaseObject).UserName));
            Assert.Contains(r.Warnings, w => w.Contains(other) && w.Contains("AmazonSesSendingAccess"));
        }

        [Fact]
        public void A_bad_user_name_fails_clearly_with_no_AWS_call()
        {
            var r = PowerShellHost.Run("Get-SesSmtpCredential 'ses smtp' @aws -Verbose", Vars());
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.InvalidUserName", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, r.AwsCalls);
        }
    }
}
