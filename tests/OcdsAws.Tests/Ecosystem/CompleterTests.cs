using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ecosystem
{
    /// <summary>Tab completion of regions, and of identity names from one cheap list call to moto.</summary>
    public sealed class CompleterTests
    {
        private static IReadOnlyList<string> Complete(string line, Dictionary<string, object?>? variables = null)
        {
            var r = PowerShellHost.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText",
                new Dictionary<string, object?>(variables ?? new()) { ["line"] = line });
            Assert.Empty(r.Errors);
            return r.Output.Select(o => o.ToString()).ToList();
        }

        [Fact]
        public void Regions_complete_from_the_sdk_list()
            => Assert.Contains("eu-west-1", Complete("Get-SesAccount -Region eu-w"));

        [Fact]
        public void Domains_and_addresses_complete_from_ses_with_the_credentials_on_the_line()
        {
            var domain = TestBed.Unique("complete") + ".example";
            var address = "data@" + domain;
            Witness.Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = domain }, "ap-northeast-3");
            Witness.Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = address }, "ap-northeast-3");
            var prefix = $"-EndpointUrl {TestBed.Endpoint} -AccessKey {TestBed.AccessKey} -SecretKey {TestBed.SecretKey} -Region ap-northeast-3";

            Assert.Equal(new[] { domain }, Complete($"Get-SesDomainVerification {prefix} -Domain {domain.Substring(0, 12)}"));
            Assert.Equal(new[] { address }, Complete($"Wait-SesEmailVerification {prefix} -EmailAddress data@{domain.Substring(0, 12)}"));
            Assert.Contains(address, Complete($"Set-SesIdentityNotification {prefix} -Identity "));
        }

        [Fact]
        public void Completion_without_credentials_offers_nothing_and_fails_nothing()
            => Assert.Empty(Complete("Get-SesDomainVerification -EndpointUrl http://127.0.0.1:9 -AccessKey a -SecretKey b -Region eu-west-1 -Domain x"));
    }
}
