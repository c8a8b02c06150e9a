using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Deliverability;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Deliverability
{
    /// <summary>Send-SesTestEmail against moto (SESv2 SendEmail; moto checks that the sender identity exists).</summary>
    public sealed class SendSesTestEmailTests
    {
        private const string Region = "eu-central-1";

        private static Dictionary<string, object?> Vars(params (string, object?)[] more)
            => ScriptVariables.For(Region, null, more);

        [Fact]
        public void Sends_through_ses_and_outputs_the_message_id()
        {
            var domain = TestBed.Unique("send") + ".example";
            Witness.Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = domain }, Region);
            var before = (double)Witness.Call("sesv2", "get_account", null, Region)["SendQuota"]!["SentLast24Hours"]!;

            var r = PowerShellHost.Run("Send-SesTestEmail -From ('data@' + $domain) -To check@example.net, ops@example.net -Subject 'DMARC check' @aws -Verbose",
                Vars(("domain", domain)));

            Assert.Empty(r.Errors);
            Assert.Equal(1, r.AwsCalls);
            Assert.Contains(r.Verbose, v => v.Contains("SendEmail"));
            var sent = (SesTestEmail)r.Output.Single().BaseObject;
            Assert.False(string.IsNullOrEmpty(sent.MessageId));
            Assert.Equal(("data@" + domain, "DMARC check", Region), (sent.From, sent.Subject, sent.Region));
            Assert.Equal(new[] { "check@example.net", "ops@example.net" }, sent.To);
            // The witness: SES counted the message against the quota.
            var after = (double)Witness.Call("sesv2", "get_account", null, Region)["SendQuota"]!["SentLast24Hours"]!;
            Assert.True(after > before, $"SentLast24Hours {before} -> {after}");
        }

        [Fact]
        public void What_if_sends_nothing()
        {
            var r = PowerShellHost.Run("Send-SesTestEmail data@example.org check@example.net -WhatIf @aws -Verbose", Vars());
            Assert.Empty(r.Errors);
            Assert.Empty(r.Output);
            Assert.Equal(0, r.AwsCalls);
        }

        [Fact]
        public void An_unverified_sender_is_the_aws_error()
        {
            var r = PowerShellHost.Run("Send-SesTestEmail -From ('data@' + $domain) -To check@example.net @aws",
                Vars(("domain", TestBed.Unique("unverified") + ".example")));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("Aws.", error.FullyQualifiedErrorId);
            Assert.Empty(r.Output);
        }

        [Theory]
        [InlineData("-From not-an-address -To check@example.net", "InvalidEmailAddress")]
        [InlineData("-From data@example.org -To 'two words'", "InvalidEmailAddress")]
        [InlineData("-From data@example.org -To check@localhost", "InvalidEmailAddress")]
        public void Bad_input_fails_before_any_call(string args, string errorId)
        {
            var r = PowerShellHost.Run($"Send-SesTestEmail {args} @aws -Verbose", Vars());
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws." + errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, r.AwsCalls);
        }
    }
}
