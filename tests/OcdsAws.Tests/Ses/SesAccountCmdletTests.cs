using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using OcdsAws.Dns;
using OcdsAws.Ses;
using OcdsAws.Tests.Dns;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ses
{
    /// <summary>
    /// MAIL FROM, sandbox and suppression against moto's companion. The account is per region, so each
    /// test that changes it uses a region of its own (tests run in parallel on one moto).
    /// </summary>
    public sealed class SesAccountCmdletTests
    {
        private static Dictionary<string, object?> Vars(string region, LoopbackDnsServer? dns = null, params (string, object?)[] more) => ScriptVariables.For(region, dns, more);

        private static JsonNode Account(string region) => Witness.Call("sesv2", "get_account", null, region);

        [Fact]
        public void Set_mail_from_sets_it_once_and_returns_the_mx_and_spf_records()
        {
            var domain = TestBed.Unique("mf") + ".example";
            using var dns = new LoopbackDnsServer().AddZone(domain);
            var vars = Vars("eu-west-2", dns, ("domain", domain));
            Assert.Empty(PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", vars).Errors);

            var r = PowerShellHost.Run("Set-SesMailFromDomain -Domain $domain -MailFromDomain ('bounce.' + $domain) -BehaviorOnMxFailure RejectMessage @aws -DnsServer $dnsServer -Verbose", vars);

            Assert.Empty(r.Errors);
            var records = r.Output.Select(o => (DnsRecord)o.BaseObject).ToList();
            var mx = Assert.Single(records, x => x.Type == "MX");
            Assert.Equal(("bounce", "feedback-smtp.eu-west-2.amazonses.com", 10), (mx.HostLabel, mx.Value, mx.Priority!.Value));
            Assert.Equal("v=spf1 include:amazonses.com ~all", Assert.Single(records, x => x.Type == "TXT").Value);
            var attributes = Witness.Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = domain }, "eu-west-2")["MailFromAttributes"]!;
            Assert.Equal("bounce." + domain, (string)attributes["MailFromDomain"]!);
            Assert.Equal("REJECT_MESSAGE", (string)attributes["BehaviorOnMxFailure"]!);

            var again = PowerShellHost.Run("Set-SesMailFromDomain $domain ('bounce.' + $domain) -BehaviorOnMxFailure RejectMessage @aws -DnsServer $dnsServer -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.Equal(1, again.AwsCalls); // GetEmailIdentity only
            Assert.Contains(again.Verbose, v => v.Contains("nothing to change"));
        }

        [Theory]
        [InlineData("bounce.other.example", "MailFromOutsideIdentity")]
        [InlineData("{domain}", "MailFromOutsideIdentity")]
        [InlineData("not a domain", "InvalidDomainName")]
        public void A_mail_from_domain_outside_the_identity_fails_with_no_call(string mailFrom, string errorId)
        {
            var domain = TestBed.Unique("mfo") + ".example";
            var r = PowerShellHost.Run("Set-SesMailFromDomain $domain $mailFrom @aws -DnsServer $dnsServer -Verbose",
                Vars("eu-west-2", null, ("domain", domain), ("mailFrom", mailFrom.Replace("{domain}", domain))));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws." + errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, r.AwsCalls);
        }

        [Fact]
        public void A_mail_from_domain_that_receives_mail_is_refused_before_any_call()
        {
            var domain = TestBed.Unique("mfr") + ".example";
            using var dns = new LoopbackDnsServer().AddZone(domain).Add("mail." + domain, "MX", "10 aspmx.l.google.com.");
            var r = PowerShellHost.Run("Set-SesMailFromDomain $domain ('mail.' + $domain) @aws -DnsServer $dnsServer -Verbose", Vars("eu-west-2", dns, ("domain", domain)));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.MailFromReceivesMail", error.FullyQualifiedErrorId);
            Assert.Contains("aspmx.l.google.com", error.Exception.Message);
            Assert.Equal(0, r.AwsCalls);
        }

        [Fact]
        public void A_mail_from_mx_of_another_region_is_kept_not_refused_nor_replaced()
        {
            // The identity is already set up in us-east-1: bounce.<domain> MX feedback-smtp.us-east-1.amazonses.com. A MAIL
            // FROM domain may hold only one MX record, so the same MX must serve the identity in eu-west-2 as well.
            var domain = TestBed.Unique("mf2") + ".example";
            using var dns = new LoopbackDnsServer().AddZone(domain).Add("bounce." + domain, "MX", "10 feedback-smtp.us-east-1.amazonses.com.");
            var vars = Vars("eu-west-2", dns, ("domain", domain));
            Assert.Empty(PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", vars).Errors);

            var r = PowerShellHost.Run("Set-SesMailFromDomain $domain ('bounce.' + $domain) @aws -DnsServer $dnsServer -Verbose", vars);

            Assert.Empty(r.Errors);
            var mx = Assert.Single(r.Output.Select(o => (DnsRecord)o.BaseObject), x => x.Type == "MX");
            Assert.Equal(("feedback-smtp.us-east-1.amazonses.com", DnsRecordAction.Keep), (mx.Value, mx.Action));
            Assert.Contains("us-east-1", mx.Purpose);
            Assert.Contains(r.Verbose, v => v.Contains("feedback-smtp.us-east-1.amazonses.com") && v.Contains("eu-west-2"));
            var attributes = Witness.Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = domain }, "eu-west-2")["MailFromAttributes"]!;
            Assert.Equal("bounce." + domain, (string)attributes["MailFromDomain"]!);
        }

        [Fact]
        public void Get_account_reads_the_sandbox_quota_and_suppression()
        {
            var r = PowerShellHost.Run("Get-SesAccount @aws", Vars("sa-east-1"));
            Assert.Empty(r.Errors);
            var account = (SesAccount)r.Output.Single().BaseObject;
            var witness = Account("sa-east-1");
            Assert.Equal((bool)witness["ProductionAccessEnabled"]!, account.ProductionAccessEnabled);
            Assert.Equal((double)witness["SendQuota"]!["Max24HourSend"]!, account.Max24HourSend);
            Assert.Equal("sa-east-1", account.Region);
            Assert.Equal(new[] { "BOUNCE", "COMPLAINT" }, account.SuppressedReasons.OrderBy(x => x));
        }

        [Fact]
        public async System.Threading.Tasks.Task Request_production_access_sends_the_request_once_and_not_when_already_granted()
        {
            var vars = Vars("ap-south-1");
            await Review("ap-south-1", "DENIED"); // a sandboxed account, whatever an earlier run left
            var r = PowerShellHost.Run("Request-SesProductionAccess @aws -MailType Transactional -WebsiteUrl https://www.open-contracting.org " +
                "-UseCaseDescription 'Notifications to registered users' -AdditionalContactEmailAddress sysadmin@open-contracting.org", vars);
            Assert.Empty(r.Errors);
            var details = Account("ap-south-1")["Details"]!;
            Assert.Equal("TRANSACTIONAL", (string)details["MailType"]!);
            Assert.Equal("https://www.open-contracting.org", (string)details["WebsiteURL"]!);
            Assert.Equal("PENDING", ((SesAccount)r.Output.Single().BaseObject).ReviewStatus);

            await Review("ap-south-1", "GRANTED");

            var again = PowerShellHost.Run("Request-SesProductionAccess @aws -MailType Transactional -WebsiteUrl https://www.open-contracting.org -UseCaseDescription x -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.Contains(again.Warnings, w => w.Contains("already has production access"));
            Assert.Equal(1, again.AwsCalls); // GetAccount only
        }

        [Fact]
        public async System.Threading.Tasks.Task Rerunning_while_the_review_is_pending_warns_returns_the_account_and_changes_nothing()
        {
            const string Region = "ap-northeast-2";
            var vars = Vars(Region);
            await Review(Region, "DENIED"); // a sandboxed account, whatever an earlier run left
            const string Request = "Request-SesProductionAccess @aws -MailType Transactional -WebsiteUrl https://www.open-contracting.org -UseCaseDescription 'Notifications to registered users'";
            Assert.Empty(PowerShellHost.Run(Request, vars).Errors);
            var before = Account(Region)["Details"]!.ToJsonString();

            var again = PowerShellHost.Run(Request.Replace("Transactional", "Marketing") + " -Verbose", vars);

            Assert.Empty(again.Errors);
            Assert.Contains(again.Warnings, w => w.Contains("PENDING") && w.Contains("already"));
            var account = (SesAccount)again.Output.Single().BaseObject;
            Assert.Equal(("PENDING", false, Region), (account.ReviewStatus, account.ProductionAccessEnabled, account.Region));
            Assert.Equal(1, again.AwsCalls); // GetAccount only: no PutAccountDetails
            Assert.Equal(before, Account(Region)["Details"]!.ToJsonString());
        }

        /// <summary>Plays AWS's review of the production access request (the companion's control endpoint).</summary>
        private static async System.Threading.Tasks.Task Review(string region, string status)
        {
            using var http = new HttpClient();
            (await http.PostAsync(TestBed.Endpoint.TrimEnd('/') + "/ocds-testbed/sesv2/account-review",
                new StringContent($"{{\"account\":\"123456789012\",\"region\":\"{region}\",\"status\":\"{status}\"}}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        [Theory]
        [InlineData("-MailType Bulk -WebsiteUrl https://x.example -UseCaseDescription x", null)]
        [InlineData("-MailType Marketing -WebsiteUrl ftp://x.example -UseCaseDescription x", "OcdsAws.InvalidWebsiteUrl")]
        [InlineData("-MailType Marketing -WebsiteUrl x.example -UseCaseDescription x", "OcdsAws.InvalidWebsiteUrl")]
        [InlineData("-MailType Marketing -WebsiteUrl https://x.example -UseCaseDescription ' '", "OcdsAws.InvalidUseCaseDescription")]
        [InlineData("-MailType Marketing -WebsiteUrl https://x.example -UseCaseDescription x -AdditionalContactEmailAddress not-an-address", "OcdsAws.InvalidEmailAddress")]
        [InlineData("-MailType Marketing -WebsiteUrl https://x.example -UseCaseDescription x -AdditionalContactEmailAddress a@x.org,b@x.org,c@x.org,d@x.org,e@x.org", "OcdsAws.TooManyContacts")]
        public void Bad_production_access_requests_fail_with_no_call(string arguments, string? errorId)
        {
            var r = PowerShellHost.Run("Request-SesProductionAccess @aws -Verbose " + arguments, Vars("me-south-1"));
            var error = Assert.Single(r.Errors);
            if (errorId != null) Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
            Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidData });
            Assert.Equal(0, r.AwsCalls);
        }

        [Fact]
        public void Suppression_can_be_disabled_and_enabled_and_reruns_change_nothing()
        {
            var vars = Vars("ca-central-1");
            // Whatever an earlier run on this moto left: the default, both reasons suppressed.
            Witness.Call("sesv2", "put_account_suppression_attributes", new JsonObject { ["SuppressedReasons"] = new JsonArray("BOUNCE", "COMPLAINT") }, "ca-central-1");
            var whatIf = PowerShellHost.Run("Disable-SesAccountSuppression @aws -WhatIf -Force -Verbose", vars);
            Assert.Equal(0, whatIf.AwsCalls);
            Assert.Equal(2, Account("ca-central-1")["SuppressionAttributes"]!["SuppressedReasons"]!.AsArray().Count);

            var off = PowerShellHost.Run("Disable-SesAccountSuppression @aws -Force", vars);
            Assert.Empty(off.Errors);
            Assert.Contains(off.Warnings, w => w.Contains("sender reputation"));
            Assert.Empty(Account("ca-central-1")["SuppressionAttributes"]!["SuppressedReasons"]!.AsArray());

            var again = PowerShellHost.Run("Disable-SesAccountSuppression @aws -Confirm:$false -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.Equal(1, again.AwsCalls);

            var on = PowerShellHost.Run("Enable-SesAccountSuppression @aws -Reason Bounce", vars);
            Assert.Empty(on.Errors);
            Assert.Equal(new[] { "BOUNCE" }, Account("ca-central-1")["SuppressionAttributes"]!["SuppressedReasons"]!.AsArray().Select(x => (string)x!));
            Assert.Equal(new[] { "BOUNCE" }, ((SesAccount)on.Output.Single().BaseObject).SuppressedReasons);
        }
    }
}
