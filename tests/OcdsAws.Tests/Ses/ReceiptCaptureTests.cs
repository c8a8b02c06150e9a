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

        [Fact]
        public async Task The_whole_capture_from_setup_to_cleanup()
        {
            var address = TestBed.Unique("capture") + "@nomx.example";
            var previous = TestBed.Unique("previous");
            Call("ses", "create_receipt_rule_set", new JsonObject { ["RuleSetName"] = previous });
            Call("ses", "set_active_receipt_rule_set", new JsonObject { ["RuleSetName"] = previous });
            Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = address });

            // Setup, twice: the second run finds everything and changes nothing.
            var created = PowerShellHost.Run("New-SesReceiptCapture -EmailAddress $address @aws", Vars(null, ("address", address)));
            var again = PowerShellHost.Run("New-SesReceiptCapture -EmailAddress $address @aws -Verbose", Vars(null, ("address", address)));
            Assert.Empty(created.Errors);
            Assert.Empty(again.Errors);
            var capture = (ReceiptCapture)created.Output.Single().BaseObject;
            Assert.Equal(previous, capture.PreviousActiveRuleSet);
            Assert.Equal(previous, ((ReceiptCapture)again.Output.Single().BaseObject).PreviousActiveRuleSet);
            Assert.DoesNotContain(again.Verbose, v => v.Contains("CreateBucket") || v.Contains("PutBucket") || v.Contains("CreateReceiptRule ") || v.Contains("SetActiveReceiptRuleSet"));
            var mx = Assert.Single(capture.DnsRecords);
            Assert.Equal(("MX", "@", "inbound-smtp.us-west-2.amazonaws.com", DnsRecordAction.Add), (mx.Type, mx.HostLabel, mx.Value, mx.Action));

            // The bucket: public access blocked, only SES for this account and rule may put objects.
            var block = Call("s3", "get_public_access_block", new JsonObject { ["Bucket"] = capture.BucketName })["PublicAccessBlockConfiguration"]!;
            Assert.All(new[] { "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets" }, k => Assert.True((bool)block[k]!));
            var policy = JsonNode.Parse((string)Call("s3", "get_bucket_policy", new JsonObject { ["Bucket"] = capture.BucketName })["Policy"]!)!;
            var statement = Assert.Single(policy["Statement"]!.AsArray())!;
            Assert.Equal("ses.amazonaws.com", (string)statement["Principal"]!["Service"]!);
            Assert.Equal("s3:PutObject", (string)statement["Action"]!);
            Assert.Equal($"arn:aws:s3:::{capture.BucketName}/*", (string)statement["Resource"]!);
            Assert.Equal("123456789012", (string)statement["Condition"]!["StringEquals"]!["AWS:SourceAccount"]!);
            Assert.Equal($"arn:aws:ses:{Region}:123456789012:receipt-rule-set/ocdsaws-capture:receipt-rule/{capture.RuleName}",
                (string)statement["Condition"]!["StringEquals"]!["AWS:SourceArn"]!);

            // The rule: exactly the address, into the bucket; our set is the active one.
            var active = Call("ses", "describe_active_receipt_rule_set");
            Assert.Equal("ocdsaws-capture", (string)active["Metadata"]!["Name"]!);
            var rule = Assert.Single(active["Rules"]!.AsArray(), r => (string)r!["Name"]! == capture.RuleName)!;
            Assert.Equal(new[] { address }, rule["Recipients"]!.AsArray().Select(x => (string)x!));
            Assert.Equal(capture.BucketName, (string)rule["Actions"]![0]!["S3Action"]!["BucketName"]!);

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

            // Following the link: the request goes where a browser would send it (routed to loopback here).
            using var aws = new CaptureServer((_, _) => new CannedResponse(200, "<html>Congratulations!</html>", "text/html"));
            EmailVerificationService.LinkHandlerFactory = () => new RouteTo(new Uri(aws.Url));
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
                EmailVerificationService.LinkHandlerFactory = () => new HttpClientHandler();
            }

            // Cleanup, twice: bucket gone, previous set active again, ours deleted, MX to remove.
            var removed = PowerShellHost.Run("Remove-SesReceiptCapture $address @aws -Force", Vars(null, ("address", address)));
            Assert.Empty(removed.Errors);
            Assert.Equal(DnsRecordAction.Remove, ((ReceiptCapture)removed.Output.Single().BaseObject).DnsRecords.Single().Action);
            Assert.Equal(previous, (string)Call("ses", "describe_active_receipt_rule_set")["Metadata"]!["Name"]!);
            Assert.DoesNotContain(Call("ses", "list_receipt_rule_sets")["RuleSets"]!.AsArray(), s => (string)s!["Name"]! == "ocdsaws-capture");
            Assert.DoesNotContain(Call("s3", "list_buckets")["Buckets"]!.AsArray(), b => (string)b!["Name"]! == capture.BucketName);
            var twice = PowerShellHost.Run("Remove-SesReceiptCapture $address @aws -Force", Vars(null, ("address", address)));
            Assert.Empty(twice.Errors);
            Call("ses", "set_active_receipt_rule_set");
            Call("ses", "delete_receipt_rule_set", new JsonObject { ["RuleSetName"] = previous });
            await Task.CompletedTask;
        }

        [Fact]
        public void New_SesEmailVerification_captures_only_when_the_domain_has_no_mx()
        {
            var noMx = TestBed.Unique("nomx") + ".example";
            var withMx = TestBed.Unique("mx") + ".example";
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
        public void WhatIf_changes_nothing()
        {
            var address = TestBed.Unique("whatif") + "@nomx.example";
            var r = PowerShellHost.Run("New-SesReceiptCapture $address @aws -WhatIf -Verbose; New-SesEmailVerification $address -Capture Always @aws -WhatIf -Verbose; Remove-SesReceiptCapture $address @aws -WhatIf -Verbose",
                Vars(null, ("address", address)));
            Assert.Empty(r.Errors);
            Assert.Equal(0, r.AwsCalls);
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
