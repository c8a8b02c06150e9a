using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Ses;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ses
{
    /// <summary>Email identities without capture: idempotent creation, status and the wait.</summary>
    public sealed class EmailVerificationTests
    {
        private static Dictionary<string, object?> Vars(params (string, object?)[] more)
            => ScriptVariables.For("eu-west-2", null, more.Append(("control", (object?)(TestBed.Endpoint.TrimEnd('/') + "/ocds-testbed/sesv2/identity-status"))).ToArray());

        [Fact]
        public void Verifying_twice_sends_one_mail_and_the_wait_returns_once_verified()
        {
            var address = TestBed.Unique("sender") + "@example.org";
            var vars = Vars(("address", address));
            var first = PowerShellHost.Run("New-SesEmailVerification $address -Capture Never @aws", vars);
            var second = PowerShellHost.Run("New-SesEmailVerification $address -Capture Never @aws -Verbose", vars);

            Assert.Empty(first.Errors);
            Assert.Empty(second.Errors);
            var created = (SesEmailVerification)first.Output.Single().BaseObject;
            Assert.Null(created.Capture);
            Assert.Empty(created.DnsRecords);
            Assert.False(created.VerifiedForSending);
            Assert.Contains(second.Verbose, v => v.Contains("not sending another verification mail"));
            Assert.Equal("EMAIL_ADDRESS", (string)Witness.Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = address }, "eu-west-2")["IdentityType"]!);

            var r = PowerShellHost.Run(
                "Invoke-RestMethod -Method Post -Uri $control -ContentType 'application/json' -Body (@{ account = '123456789012'; region = 'eu-west-2'; identity = $address; verification = 'SUCCESS' } | ConvertTo-Json) | Out-Null; " +
                "New-SesEmailVerification $address -Capture Never @aws | Wait-SesEmailVerification @aws -Timeout 00:01:00; Get-SesEmailVerification $address @aws", vars);
            Assert.Empty(r.Errors);
            Assert.All(r.Output.Select(o => (SesEmailVerification)o.BaseObject), v => Assert.True(v.VerifiedForSending));
            Assert.Contains(r.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void A_wait_that_times_out_is_an_operation_timeout_error()
        {
            var address = TestBed.Unique("slow") + "@example.org";
            var r = PowerShellHost.Run("New-SesEmailVerification $address -Capture Never @aws | Out-Null; Wait-SesEmailVerification $address @aws -Timeout 00:00:01", Vars(("address", address)));
            var error = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
            Assert.Contains(address, error.Exception.Message);
        }
    }
}
