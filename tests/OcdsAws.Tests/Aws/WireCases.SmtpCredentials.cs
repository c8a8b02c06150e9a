using System.Collections.Generic;
using System.Linq;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    public static partial class WireCases
    {
        private const string IamNs = "https://iam.amazonaws.com/doc/2010-05-08/";

        /// <summary>The policy Get-SmtpCredential writes, as text and as IAM returns it (RFC 3986 URL-encoded).</summary>
        private const string SmtpPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:SendRawEmail","Resource":"*","Condition":{"StringLike":{"ses:FromAddress":["data+noreply@example.org"]}}}]}""";

        /// <summary>The operations of the SMTP credentials area: IAM user, inline policy, access keys (GetUser is a foundation case).</summary>
        private static readonly IReadOnlyList<WireCase> SmtpCredentials = new List<WireCase>
        {
            new WireCase
            {
                Service = "iam", Operation = "CreateUser", SigningName = "iam",
                Params = """{"UserName":"ses-smtp-example-org","Tags":[{"Key":"purpose","Value":"SES SMTP"},{"Key":"owner","Value":"data@example.org"}]}""",
                Invoke = (c, ct) => Box(new IamApi(c.Get(AwsService.Iam)).CreateUserAsync("ses-smtp-example-org",
                    new[] { new KeyValuePair<string, string>("purpose", "SES SMTP"), new KeyValuePair<string, string>("owner", "data@example.org") }, ct)),
                Response = QueryXml("CreateUser", IamNs,
                    "<User><Path>/</Path><UserName>ses-smtp-example-org</UserName><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>"
                    + "<Arn>arn:aws:iam::123456789012:user/ses-smtp-example-org</Arn><CreateDate>2026-11-29T10:00:00Z</CreateDate>"
                    + "<Tags><member><Key>purpose</Key><Value>SES SMTP</Value></member><member><Key>owner</Key><Value>data@example.org</Value></member></Tags></User>"),
                Check = r =>
                {
                    var user = Assert.IsType<IamUser>(r);
                    Assert.Equal("ses-smtp-example-org", user.UserName);
                    Assert.Equal("arn:aws:iam::123456789012:user/ses-smtp-example-org", user.Arn);
                },
            },
            new WireCase
            {
                Service = "iam", Operation = "CreateUser", SigningName = "iam",
                Params = """{"UserName":"ses-smtp-plain"}""",
                Invoke = (c, ct) => Box(new IamApi(c.Get(AwsService.Iam)).CreateUserAsync("ses-smtp-plain", null, ct)),
                Response = QueryXml("CreateUser", IamNs,
                    "<User><Path>/</Path><UserName>ses-smtp-plain</UserName><UserId>AIDACKCEVSQ6C2EXAMPLF</UserId>"
                    + "<Arn>arn:aws:iam::123456789012:user/ses-smtp-plain</Arn><CreateDate>2026-11-29T10:00:00Z</CreateDate></User>"),
                Check = r => Assert.Equal("AIDACKCEVSQ6C2EXAMPLF", Assert.IsType<IamUser>(r).UserId),
            },
            new WireCase
            {
                Service = "iam", Operation = "PutUserPolicy", SigningName = "iam",
                Params = "{\"UserName\":\"ses-smtp-example-org\",\"PolicyName\":\"AmazonSesSendingAccess\",\"PolicyDocument\":" + System.Text.Json.JsonSerializer.Serialize(SmtpPolicy) + "}",
                Invoke = (c, ct) => Done(new IamApi(c.Get(AwsService.Iam)).PutUserPolicyAsync("ses-smtp-example-org", "AmazonSesSendingAccess", SmtpPolicy, ct)),
                // PutUserPolicy answers with metadata only: no <PutUserPolicyResult> element.
                Response = $"<PutUserPolicyResponse xmlns=\"{IamNs}\"><ResponseMetadata><RequestId>7f2b3c1e-1111-2222-3333-444455556666</RequestId></ResponseMetadata></PutUserPolicyResponse>",
            },
            new WireCase
            {
                Service = "iam", Operation = "GetUserPolicy", SigningName = "iam",
                Params = """{"UserName":"ses-smtp-example-org","PolicyName":"AmazonSesSendingAccess"}""",
                Invoke = (c, ct) => Box(new IamApi(c.Get(AwsService.Iam)).GetUserPolicyAsync("ses-smtp-example-org", "AmazonSesSendingAccess", ct)),
                Response = QueryXml("GetUserPolicy", IamNs,
                    "<UserName>ses-smtp-example-org</UserName><PolicyName>AmazonSesSendingAccess</PolicyName>"
                    + "<PolicyDocument>" + System.Uri.EscapeDataString(SmtpPolicy) + "</PolicyDocument>"),
                // The '+' of the address arrives as %2B: decoding must not turn it into a space.
                Check = r => Assert.Equal(SmtpPolicy, r),
            },
            new WireCase
            {
                Service = "iam", Operation = "ListAccessKeys", SigningName = "iam",
                Params = """{"UserName":"ses-smtp-example-org"}""",
                Invoke = (c, ct) => Box(new IamApi(c.Get(AwsService.Iam)).ListAccessKeysAsync("ses-smtp-example-org", ct)),
                Response = QueryXml("ListAccessKeys", IamNs,
                    "<AccessKeyMetadata>"
                    + "<member><UserName>ses-smtp-example-org</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status><CreateDate>2026-01-15T09:00:00Z</CreateDate></member>"
                    + "<member><UserName>ses-smtp-example-org</UserName><AccessKeyId>AKIAI44QH8DHBEXAMPLE</AccessKeyId><Status>Inactive</Status><CreateDate>2026-11-29T10:00:00Z</CreateDate></member>"
                    + "</AccessKeyMetadata><IsTruncated>false</IsTruncated>"),
                Check = r =>
                {
                    var keys = Assert.IsAssignableFrom<IReadOnlyList<IamAccessKey>>(r);
                    Assert.Equal(new[] { "AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE" }, keys.Select(k => k.AccessKeyId));
                    Assert.Equal(new[] { "Active", "Inactive" }, keys.Select(k => k.Status));
                    Assert.Equal(new System.DateTime(2026, 1, 15, 9, 0, 0, System.DateTimeKind.Utc), keys[0].CreateDate);
                },
            },
            new WireCase
            {
                Service = "iam", Operation = "DeleteAccessKey", SigningName = "iam",
                Params = """{"UserName":"ses-smtp-example-org","AccessKeyId":"AKIAIOSFODNN7EXAMPLE"}""",
                Invoke = (c, ct) => Done(new IamApi(c.Get(AwsService.Iam)).DeleteAccessKeyAsync("ses-smtp-example-org", "AKIAIOSFODNN7EXAMPLE", ct)),
                Response = $"<DeleteAccessKeyResponse xmlns=\"{IamNs}\"><ResponseMetadata><RequestId>7f2b3c1e-1111-2222-3333-444455556667</RequestId></ResponseMetadata></DeleteAccessKeyResponse>",
            },
            new WireCase
            {
                Service = "iam", Operation = "CreateAccessKey", SigningName = "iam",
                Params = """{"UserName":"ses-smtp-example-org"}""",
                Invoke = (c, ct) => Box(new IamApi(c.Get(AwsService.Iam)).CreateAccessKeyAsync("ses-smtp-example-org", ct)),
                Response = QueryXml("CreateAccessKey", IamNs,
                    "<AccessKey><UserName>ses-smtp-example-org</UserName><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId><Status>Active</Status>"
                    + "<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey><CreateDate>2026-11-29T10:00:00Z</CreateDate></AccessKey>"),
                Check = r =>
                {
                    var key = Assert.IsType<IamNewAccessKey>(r);
                    Assert.Equal(("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "Active"), (key.AccessKeyId, key.SecretAccessKey, key.Status));
                    Assert.DoesNotContain("wJalrXUtnFEMI", key.ToString());
                },
            },
            new WireCase
            {
                // Get-SesSmtpCredential's account-wide read (users only), one page of two.
                Service = "iam", Operation = "GetAccountAuthorizationDetails", SigningName = "iam",
                Params = """{"Filter":["User"]}""",
                Invoke = (c, ct) => Box(new IamApi(c.Get(AwsService.Iam)).ListUsersWithInlinePoliciesAsync(ct)),
                Response = QueryXml("GetAccountAuthorizationDetails", IamNs,
                    "<UserDetailList>"
                    + "<member><Path>/</Path><UserName>ses-smtp-example-org</UserName><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>"
                    + "<Arn>arn:aws:iam::123456789012:user/ses-smtp-example-org</Arn><CreateDate>2026-01-15T09:00:00Z</CreateDate>"
                    + "<UserPolicyList><member><PolicyName>AmazonSesSendingAccess</PolicyName><PolicyDocument>" + System.Uri.EscapeDataString(SmtpPolicy) + "</PolicyDocument></member></UserPolicyList>"
                    + "<GroupList/><AttachedManagedPolicies/></member>"
                    + "<member><Path>/</Path><UserName>deploy</UserName><UserId>AIDACKCEVSQ6C2EXAMPLF</UserId>"
                    + "<Arn>arn:aws:iam::123456789012:user/deploy</Arn><CreateDate>2025-06-01T00:00:00Z</CreateDate>"
                    + "<UserPolicyList/><GroupList><member>admins</member></GroupList><AttachedManagedPolicies/></member>"
                    + "</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/><IsTruncated>false</IsTruncated>"),
                Check = r =>
                {
                    var users = Assert.IsAssignableFrom<IReadOnlyList<IamUserDetail>>(r);
                    Assert.Equal(new[] { "ses-smtp-example-org", "deploy" }, users.Select(u => u.UserName));
                    Assert.Equal(new[] { "AmazonSesSendingAccess" }, users[0].InlinePolicyNames);
                    Assert.Empty(users[1].InlinePolicyNames);
                    Assert.Equal(new System.DateTime(2026, 1, 15, 9, 0, 0, System.DateTimeKind.Utc), users[0].CreateDate);
                },
            },
        };
    }
}
