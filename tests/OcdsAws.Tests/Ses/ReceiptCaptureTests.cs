using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Dns;
using OcdsAws.Ses;
using OcdsAws.Tests.Dns;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ses
{
    /// <summary>
    /// The capture of the verification mail, against moto with boto3 as the witness. Only one receipt
    /// rule set is active per region, so these tests own us-west-2 and run one after another (one class).
    /// </summary>
    public sealed class ReceiptCaptureTests
    {
        private const string Region = "us-west-2";

        private static Dictionary<string, object?> Vars(LoopbackDnsServer? dns = null, params (string, object?)[] more) => ScriptVariables.For(Region, dns, more);

        private static JsonNode Call(string service, string method, JsonObject? p = null) => Witness.Call(service, method, p, Region);

        private static string Link(string address) =>
            $"https://email-verification.{Region}.amazonaws.com/?Context=123456789012&X-Amz-Date=20261129T100000Z&Identity.IdentityName={Uri.EscapeDataString(address)}"
            + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261129%2Fus-west-2%2Fses%2Faws4_request"
            + "&Operation=ConfirmVerification&Namespace=Bacon&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

        /// <summary>A verification mail written after SES's real one, as SES's S3 action stores it.</summary>
        private static string Mail(string address) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Ses", "verification-mail.eml"))
            .Replace("{address}", address).Replace("{htmllink}", Link(address).Replace("&", "&amp;")).Replace("{link}", Link(address)).Replace("\n", "\r\n");

        private static readonly string[] Mutations =
            { "CreateBucket", "PutBucket", "PutPublicAccessBlock", "DeleteBucket", "DeleteObjects", "CreateReceiptRuleSet", "CreateReceiptRule",
              "SetActiveReceiptRuleSet", "DeleteReceiptRule", "DeleteReceiptRuleSet", "CreateEmailIdentity" };

        /// <summary>The changes a run made: its "AWS call: &lt;service&gt; &lt;operation&gt;" lines whose operation changes something.</summary>
        private static List<string> Changes(PsResult r) => r.Verbose.Where(v => v.StartsWith("AWS call:", StringComparison.Ordinal))
            .Select(v => v.Split(' ')[3]).Where(op => Mutations.Any(m => op.StartsWith(m, StringComparison.Ordinal))).ToList();

        /// <summary>No rule set active, no ocdsaws-capture set, no set of the tests' users: whatever an earlier test left (this class owns us-west-2's receipt rules).</summary>
        private static void NoActiveRuleSet()
        {
            Call("ses", "set_active_receipt_rule_set");
            foreach (var set in Call("ses", "list_receipt_rule_sets")["RuleSets"]!.AsArray().Select(x => (string)x!["Name"]!).Where(n => n.StartsWith("users-rules-", StringComparison.Ordinal)))
                Call("ses", "delete_receipt_rule_set", new JsonObject { ["RuleSetName"] = set }); // the sets UsersActiveRuleSet made
            var own = Witness.TryCall("ses", "describe_receipt_rule_set", new JsonObject { ["RuleSetName"] = "ocdsaws-capture" }, Region)["result"];
            if (own == null) return;
            foreach (var rule in own["Rules"]!.AsArray())
                Call("ses", "delete_receipt_rule", new JsonObject { ["RuleSetName"] = "ocdsaws-capture", ["RuleName"] = (string)rule!["Name"]! });
            Call("ses", "delete_receipt_rule_set", new JsonObject { ["RuleSetName"] = "ocdsaws-capture" });
        }

        /// <summary>An active rule set of the user's with two rules of its own, made with boto3 (not OcdsAws).</summary>
        private static string UsersActiveRuleSet()
        {
            NoActiveRuleSet();
            var set = TestBed.Unique("users-rules");
            Call("ses", "create_receipt_rule_set", new JsonObject { ["RuleSetName"] = set });
            var bucket = TestBed.Unique("users-mail");
            Call("s3", "create_bucket", new JsonObject { ["Bucket"] = bucket, ["CreateBucketConfiguration"] = new JsonObject { ["LocationConstraint"] = Region } });
            Call("ses", "create_receipt_rule", new JsonObject
            {
                ["RuleSetName"] = set,
                ["Rule"] = new JsonObject { ["Name"] = "bounce-old-address", ["Enabled"] = true, ["Recipients"] = new JsonArray("old@example.net"),
                    ["Actions"] = new JsonArray(new JsonObject { ["BounceAction"] = new JsonObject { ["SmtpReplyCode"] = "550", ["Message"] = "gone", ["Sender"] = "postmaster@example.net" } }) },
            });
            System.Threading.Thread.Sleep(1100); // SES: CreateReceiptRule "no more than once per second" (the companion throttles)
            Call("ses", "create_receipt_rule", new JsonObject
            {
                ["RuleSetName"] = set,
                ["After"] = "bounce-old-address",
                ["Rule"] = new JsonObject { ["Name"] = "store-support", ["Enabled"] = true, ["Recipients"] = new JsonArray("support@example.net"),
                    ["Actions"] = new JsonArray(new JsonObject { ["S3Action"] = new JsonObject { ["BucketName"] = bucket } }) },
            });
            Call("ses", "set_active_receipt_rule_set", new JsonObject { ["RuleSetName"] = set });
            return set;
        }

        private static JsonArray RulesOf(string set) => Call("ses", "describe_receipt_rule_set", new JsonObject { ["RuleSetName"] = set })["Rules"]!.AsArray();

        private static string? ActiveSet() => (string?)Call("ses", "describe_active_receipt_rule_set")["Metadata"]?["Name"];

        [Fact]
        public Task The_whole_capture_from_setup_to_cleanup()
            => Story.RunAsync(async step =>
            {
                step("The domain and the user's own rule set");
                var domain = TestBed.Unique("nomx") + ".example";
                TestBed.VerifiedDomain(domain, Region);
                var address = "capture@" + domain;
                var previous = UsersActiveRuleSet();
                var usersRules = RulesOf(previous).ToJsonString();
                Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = address });

                step("Setup, twice");
                // Setup, twice: the second run finds everything and changes nothing.
                var created = PowerShellHost.Run("New-SesReceiptCapture -EmailAddress $address @aws -Verbose", Vars(null, ("address", address)));
                var again = PowerShellHost.Run("New-SesReceiptCapture -EmailAddress $address @aws -Verbose", Vars(null, ("address", address)));
                Assert.Empty(created.Errors);
                Assert.Empty(again.Errors);
                var capture = (ReceiptCapture)created.Output.Single().BaseObject;
                Assert.Equal((previous, false), (capture.RuleSetName, capture.RuleSetCreated));
                Assert.Equal((previous, false), (((ReceiptCapture)again.Output.Single().BaseObject).RuleSetName, ((ReceiptCapture)again.Output.Single().BaseObject).RuleSetCreated));
                Assert.DoesNotContain("SetActiveReceiptRuleSet", Changes(created));
                Assert.DoesNotContain("CreateReceiptRuleSet", Changes(created));
                Assert.Empty(Changes(again));
                var mx = Assert.Single(capture.DnsRecords);
                Assert.Equal(("MX", "@", "inbound-smtp.us-west-2.amazonaws.com", DnsRecordAction.Add), (mx.Type, mx.HostLabel, mx.Value, mx.Action));

                step("The bucket");
                // The bucket: public access blocked, only SES for this account and rule (in the user's set) may put objects.
                var block = Call("s3", "get_public_access_block", new JsonObject { ["Bucket"] = capture.BucketName })["PublicAccessBlockConfiguration"]!;
                Assert.All(new[] { "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets" }, k => Assert.True((bool)block[k]!));
                var policy = JsonNode.Parse((string)Call("s3", "get_bucket_policy", new JsonObject { ["Bucket"] = capture.BucketName })["Policy"]!)!;
                var statement = Assert.Single(policy["Statement"]!.AsArray())!;
                Assert.Equal("ses.amazonaws.com", (string)statement["Principal"]!["Service"]!);
                Assert.Equal("s3:PutObject", (string)statement["Action"]!);
                Assert.Equal($"arn:aws:s3:::{capture.BucketName}/*", (string)statement["Resource"]!);
                Assert.Equal("123456789012", (string)statement["Condition"]!["StringEquals"]!["AWS:SourceAccount"]!);
                Assert.Equal($"arn:aws:ses:{Region}:123456789012:receipt-rule-set/{previous}:receipt-rule/{capture.RuleName}",
                    (string)statement["Condition"]!["StringEquals"]!["AWS:SourceArn"]!);

                step("boto3");
                // boto3: the user's set is still the active one; our rule is first, for exactly the address, into the bucket;
                // the user's two rules follow, exactly as they were; no set of ours exists.
                Assert.Equal(previous, ActiveSet());
                var rules = RulesOf(previous);
                Assert.Equal(new[] { capture.RuleName, "bounce-old-address", "store-support" }, rules.Select(r => (string)r!["Name"]!));
                Assert.Equal(new[] { address }, rules[0]!["Recipients"]!.AsArray().Select(x => (string)x!));
                Assert.Equal(capture.BucketName, (string)rules[0]!["Actions"]![0]!["S3Action"]!["BucketName"]!);
                Assert.Equal(usersRules, new JsonArray(rules.Skip(1).Select(r => r!.DeepClone()).ToArray()).ToJsonString());
                Assert.DoesNotContain(Call("ses", "list_receipt_rule_sets")["RuleSets"]!.AsArray(), x => (string)x!["Name"]! == "ocdsaws-capture");

                step("Nothing yet, then SES's setup notification (skipped) and the mail");
                // Nothing yet, then SES's setup notification (skipped) and the mail.
                var none = PowerShellHost.Run("Get-SesVerificationLink $address @aws", Vars(null, ("address", address)));
                Assert.Empty(none.Output);
                Assert.Contains(none.Warnings, w => w.Contains("-Wait"));
                Call("s3", "put_object", new JsonObject { ["Bucket"] = capture.BucketName, ["Key"] = "mail/AMAZON_SES_SETUP_NOTIFICATION", ["Body"] = "Amazon SES setup notification" });
                Call("s3", "put_object", new JsonObject { ["Bucket"] = capture.BucketName, ["Key"] = "mail/o1rk2dvu1hp2d0lf9jq0ahv1qohj3ks6cbb11s81", ["Body"] = Mail(address) });
                var found = PowerShellHost.Run("New-SesReceiptCapture $address @aws | Get-SesVerificationLink @aws -Wait -Timeout 00:00:30", Vars(null, ("address", address)));
                Assert.Empty(found.Errors);
                var link = found.Output.Select(o => o.BaseObject).OfType<SesVerificationLink>().Single();
                Assert.Equal(Link(address), link.Link);
                Assert.Equal("mail/o1rk2dvu1hp2d0lf9jq0ahv1qohj3ks6cbb11s81", link.ObjectKey);
                Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 0, 1, TimeSpan.Zero), link.ReceivedAt);

                step("Following the link");
                // Following the link: the request goes where a browser would send it (routed to loopback here).
                using var aws = new CaptureServer((_, _) => new CannedResponse(200, "<html>Congratulations!</html>", "text/html"));
                EmailVerificationService.LinkHandlerFactory.Value = () => new RouteTo(new Uri(aws.Url));
                try
                {
                    var confirmed = PowerShellHost.Run("$link | Confirm-SesEmailVerification @aws", Vars(null, ("link", link)));
                    Assert.Empty(confirmed.Errors);
                    var request = Assert.Single(aws.Requests);
                    Assert.Equal("GET", request.Method);
                    Assert.Equal(new Uri(Link(address)).Query.TrimStart('?'), request.RawQuery);
                    Assert.Equal(address, ((SesEmailVerification)confirmed.Output.Single().BaseObject).EmailAddress);
                }
                finally
                {
                    EmailVerificationService.LinkHandlerFactory.Value = null;
                }

                step("Cleanup, twice");
                // Cleanup, twice: bucket gone, our rule gone from the user's set, which stays active with its rules untouched.
                var removed = PowerShellHost.Run("Remove-SesReceiptCapture $address @aws -Force -Verbose", Vars(null, ("address", address)));
                Assert.Empty(removed.Errors);
                var result = (ReceiptCapture)removed.Output.Single().BaseObject;
                Assert.Equal(DnsRecordAction.Remove, result.DnsRecords.Single().Action);
                Assert.Equal((previous, false), (result.RuleSetName, result.RuleSetCreated));
                Assert.Equal(new[] { "DeleteReceiptRule", "DeleteObjects", "DeleteBucket" }, Changes(removed));
                Assert.Equal(previous, ActiveSet());
                Assert.Equal(usersRules, RulesOf(previous).ToJsonString());
                Assert.DoesNotContain(Call("s3", "list_buckets")["Buckets"]!.AsArray(), b => (string)b!["Name"]! == capture.BucketName);
                var twice = PowerShellHost.Run("Remove-SesReceiptCapture $address @aws -Force -Verbose", Vars(null, ("address", address)));
                Assert.Empty(twice.Errors);
                Assert.Empty(Changes(twice));
                Assert.Equal(previous, ActiveSet());
                Assert.Equal(usersRules, RulesOf(previous).ToJsonString());
                NoActiveRuleSet();
                await Task.CompletedTask;
            });

        [Fact]
        public void With_no_active_rule_set_the_capture_makes_and_activates_its_own_and_removal_takes_it_away()
        {
            NoActiveRuleSet();
            var domain = TestBed.Unique("own") + ".example";
            TestBed.VerifiedDomain(domain, Region);
            var address = "data@" + domain;
            var vars = Vars(null, ("address", address));

            var created = PowerShellHost.Run("New-SesReceiptCapture $address @aws -Verbose", vars);
            Assert.Empty(created.Errors);
            var capture = (ReceiptCapture)created.Output.Single().BaseObject;
            Assert.Equal(("ocdsaws-capture", true), (capture.RuleSetName, capture.RuleSetCreated));
            Assert.Equal("ocdsaws-capture", ActiveSet());
            Assert.Equal(new[] { capture.RuleName }, RulesOf("ocdsaws-capture").Select(r => (string)r!["Name"]!));
            Assert.Empty(Changes(PowerShellHost.Run("New-SesReceiptCapture $address @aws -Verbose", vars)));

            // SES delivers its verification mail through the active set: it lands in the capture bucket.
            var (status, delivered) = TestBed.Control("/ocds-testbed/ses/deliver-verification-mail", new JsonObject { ["account"] = "123456789012", ["region"] = Region, ["address"] = address });
            Assert.Equal(200, status);
            Assert.Equal(capture.BucketName, (string)delivered!["bucket"]!);

            var removed = PowerShellHost.Run("Remove-SesReceiptCapture $address @aws -Force -Verbose", vars);
            Assert.Empty(removed.Errors);
            Assert.Equal(new[] { "DeleteReceiptRule", "SetActiveReceiptRuleSet", "DeleteReceiptRuleSet", "DeleteObjects", "DeleteBucket" }, Changes(removed));
            Assert.Null(ActiveSet());
            Assert.DoesNotContain(Call("ses", "list_receipt_rule_sets")["RuleSets"]!.AsArray(), x => (string)x!["Name"]! == "ocdsaws-capture");
            Assert.Empty(Changes(PowerShellHost.Run("Remove-SesReceiptCapture $address @aws -Force -Verbose", vars)));
        }

        [Fact]
        public void A_capture_in_the_users_active_set_receives_the_verification_mail_before_the_users_rules()
        {
            var domain = TestBed.Unique("first") + ".example";
            TestBed.VerifiedDomain(domain, Region);
            var address = "data@" + domain;
            var set = UsersActiveRuleSet();
            // A catch-all rule of the user's that would take the mail if it ran first.
            var sink = TestBed.Unique("catch-all");
            Call("s3", "create_bucket", new JsonObject { ["Bucket"] = sink, ["CreateBucketConfiguration"] = new JsonObject { ["LocationConstraint"] = Region } });
            System.Threading.Thread.Sleep(1100); // once per second
            Call("ses", "create_receipt_rule", new JsonObject
            {
                ["RuleSetName"] = set,
                ["Rule"] = new JsonObject { ["Name"] = "catch-all", ["Enabled"] = true, ["Actions"] = new JsonArray(new JsonObject { ["S3Action"] = new JsonObject { ["BucketName"] = sink } }) },
            });
            var vars = Vars(null, ("address", address));
            var capture = (ReceiptCapture)PowerShellHost.Run("New-SesReceiptCapture $address @aws", vars).Output.Single().BaseObject;

            var (status, delivered) = TestBed.Control("/ocds-testbed/ses/deliver-verification-mail", new JsonObject { ["account"] = "123456789012", ["region"] = Region, ["address"] = address });
            Assert.Equal(200, status);
            Assert.Equal(capture.BucketName, (string)delivered!["bucket"]!);
            var link = PowerShellHost.Run("Get-SesVerificationLink $address @aws", vars);
            Assert.Empty(link.Errors);
            Assert.Single(link.Output);

            Assert.Empty(PowerShellHost.Run("Remove-SesReceiptCapture $address @aws -Force", vars).Errors);
            Assert.Equal(set, ActiveSet());
            NoActiveRuleSet();
        }

        [Fact]
        public void A_domain_ses_has_not_verified_is_refused_before_any_change()
        {
            NoActiveRuleSet();
            var unknown = "data@" + TestBed.Unique("unknown") + ".example";
            var pending = TestBed.Unique("pending") + ".example";
            Witness.Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = pending }, Region);
            var vars = Vars(null, ("unknown", unknown), ("pending", "data@" + pending));

            var r = PowerShellHost.Run("New-SesReceiptCapture $unknown @aws -Verbose; New-SesReceiptCapture $pending @aws -Verbose; "
                + "New-SesEmailVerification $unknown -Capture Always @aws -Verbose", vars);

            Assert.Equal(3, r.Errors.Count);
            Assert.All(r.Errors, e =>
            {
                Assert.StartsWith("OcdsAws.DomainNotVerified", e.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidOperation, e.CategoryInfo.Category);
                Assert.Contains("New-SesDomainVerification", e.Exception.Message);
            });
            Assert.Contains("PENDING", r.Errors[1].Exception.Message);
            Assert.Empty(Changes(r));
            Assert.Null(ActiveSet());
            Assert.Equal("NotFoundException", (string)Witness.TryCall("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = unknown }, Region)["error"]!["Code"]!);

            // SES itself would not deliver mail for such a domain: the companion refuses too.
            var (status, _) = TestBed.Control("/ocds-testbed/ses/deliver-verification-mail", new JsonObject { ["account"] = "123456789012", ["region"] = Region, ["address"] = "data@" + pending });
            Assert.Equal(400, status);
        }

        [Fact]
        public void New_SesEmailVerification_captures_only_when_the_domain_has_no_mx()
        {
            var noMx = TestBed.Unique("nomx") + ".example";
            var withMx = TestBed.Unique("mx") + ".example";
            TestBed.VerifiedDomain(noMx, Region);
            using var dns = new LoopbackDnsServer().AddZone(noMx).AddZone(withMx).Add(withMx, "MX", "10 aspmx.l.google.com.");
            var a = "data@" + noMx;
            var b = "data@" + withMx;
            var r = PowerShellHost.Run("$a, $b | New-SesEmailVerification @aws -DnsServer $dnsServer -Verbose", Vars(dns, ("a", a), ("b", b)));
            try
            {
                Assert.Empty(r.Errors);
                var results = r.Output.Select(o => (SesEmailVerification)o.BaseObject).ToList();
                Assert.NotNull(results.Single(x => x.EmailAddress == a).Capture);
                Assert.Null(results.Single(x => x.EmailAddress == b).Capture);
                Assert.Equal("MX", results.Single(x => x.EmailAddress == a).DnsRecords.Single().Type);
                foreach (var address in new[] { a, b })
                    Assert.Equal("EMAIL_ADDRESS", (string)Witness.Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = address }, Region)["IdentityType"]!);
                Assert.Contains(r.Verbose, v => v.Contains($"{noMx} has no MX"));
            }
            finally
            {
                Assert.Empty(PowerShellHost.Run("Remove-SesReceiptCapture $a @aws -Force", Vars(dns, ("a", a))).Errors);
            }
        }

        [Theory]
        [InlineData("New-SesEmailVerification -EmailAddress 'not an address' @aws", "OcdsAws.InvalidEmailAddress")]
        [InlineData("New-SesEmailVerification -EmailAddress data@-bad.example @aws", "OcdsAws.InvalidDomainName")]
        [InlineData("New-SesEmailVerification -EmailAddress data@example.org -BucketName Bad_Bucket @aws", "OcdsAws.InvalidBucketName")]
        [InlineData("New-SesEmailVerification -EmailAddress data@example.org -BucketName 192.168.1.1 @aws", "OcdsAws.InvalidBucketName")]
        [InlineData("Confirm-SesEmailVerification -Link 'http://email-verification.us-west-2.amazonaws.com/?Context=1' @aws", "OcdsAws.InvalidVerificationLink")]
        [InlineData("Confirm-SesEmailVerification -Link 'https://email-verification.us-west-2.amazonaws.com.evil.example/?Context=1' @aws", "OcdsAws.InvalidVerificationLink")]
        [InlineData("Confirm-SesEmailVerification -Link 'https://example.org/?Context=1' @aws", "OcdsAws.InvalidVerificationLink")]
        [InlineData("Confirm-SesEmailVerification -Link 'https://user@email-verification.us-west-2.amazonaws.com/' @aws", "OcdsAws.InvalidVerificationLink")]
        [InlineData("Confirm-SesEmailVerification -Link 'https://email-verification.s3.amazonaws.com/?Context=1' @aws", "OcdsAws.InvalidVerificationLink")]
        [InlineData("Confirm-SesEmailVerification -Link 'https://email-verification.s3-website-us-west-2.amazonaws.com/?Context=1' @aws", "OcdsAws.InvalidVerificationLink")]
        [InlineData("Remove-SesReceiptCapture -EmailAddress nobody -Force @aws", "OcdsAws.InvalidEmailAddress")]
        public void Bad_input_fails_clearly_with_no_aws_call(string script, string errorId)
        {
            var r = PowerShellHost.Run(script + " -Verbose", Vars());
            var error = Assert.Single(r.Errors);
            Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, r.AwsCalls);
        }

        [Fact]
        public async Task A_capture_in_a_region_outside_the_receiving_table_warns_and_goes_ahead()
        {
            // eu-north-1 is not in SesFacts' confirmed table; the table is not the last word, so no refusal: a warning.
            const string North = "eu-north-1";
            var domain = TestBed.Unique("north") + ".example";
            var address = "data@" + domain;
            Witness.Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = domain }, North);
            using (var http = new HttpClient())
                (await http.PostAsync(TestBed.Endpoint.TrimEnd('/') + "/ocds-testbed/sesv2/identity-status", new StringContent(
                    $"{{\"account\":\"123456789012\",\"region\":\"{North}\",\"identity\":\"{domain}\",\"verification\":\"SUCCESS\",\"dkim\":\"SUCCESS\"}}",
                    System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            var vars = ScriptVariables.For(North, null, ("address", address));
            try
            {
                var r = PowerShellHost.Run("New-SesReceiptCapture $address @aws", vars);
                Assert.Empty(r.Errors);
                Assert.Contains(r.Warnings, w => w.Contains("not in OcdsAws's confirmed table") && w.Contains("inbound-smtp.eu-north-1.amazonaws.com"));
                var capture = (ReceiptCapture)r.Output.Single().BaseObject;
                Assert.Equal("inbound-smtp.eu-north-1.amazonaws.com", Assert.Single(capture.DnsRecords).Value);
            }
            finally
            {
                PowerShellHost.Run("Remove-SesReceiptCapture $address @aws -Force", vars);
            }
        }

        [Fact]
        public void WhatIf_and_Confirm_name_the_rule_set_and_change_nothing()
        {
            var domain = TestBed.Unique("whatif") + ".example";
            TestBed.VerifiedDomain(domain, Region);
            var address = "data@" + domain;
            var set = UsersActiveRuleSet();
            var rules = RulesOf(set).ToJsonString();
            var vars = Vars(null, ("address", address));

            // -WhatIf reads (the domain, the active set) and changes nothing.
            var r = PowerShellHost.Run("New-SesReceiptCapture $address @aws -WhatIf -Verbose; New-SesEmailVerification $address -Capture Always @aws -WhatIf -Verbose; Remove-SesReceiptCapture $address @aws -WhatIf -Verbose", vars);
            Assert.Empty(r.Errors);
            Assert.Empty(r.Output);
            Assert.Empty(Changes(r));
            Assert.Equal(set, ActiveSet());
            Assert.Equal(rules, RulesOf(set).ToJsonString());

            // The confirmation a non-interactive session cannot show says which rule set is touched.
            var confirm = PowerShellHost.Run("New-SesReceiptCapture $address @aws -Confirm", vars);
            var prompt = Assert.Single(confirm.Errors).Exception;
            Assert.IsType<System.Management.Automation.Host.HostException>(prompt);
            Assert.Contains($"first in the active rule set {set}", prompt.Message);
            Assert.Empty(Changes(confirm));
            NoActiveRuleSet();
        }

        /// <summary>Sends every request to a loopback server, keeping path and query: a browser click, minus the internet.</summary>
        private sealed class RouteTo : DelegatingHandler
        {
            private readonly Uri _target;

            public RouteTo(Uri target) : base(new HttpClientHandler()) => _target = target;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = _target.Scheme, Host = _target.Host, Port = _target.Port }.Uri;
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
