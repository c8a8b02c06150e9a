using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Dns;
using OcdsAws.Ses;
using OcdsAws.Tests.Dns;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ses
{
    /// <summary>
    /// The runbook's "Verify a domain" and the account steps, as users run them: cmdlets in a runspace,
    /// moto (+ companion) with signature checking on, a DNS server on loopback, boto3 as the witness.
    /// </summary>
    public sealed class SesDomainCmdletTests
    {
        private static Dictionary<string, object?> Vars(LoopbackDnsServer dns, params (string, object?)[] more) => ScriptVariables.For("us-east-1", dns, more);

        private static LoopbackDnsServer Zone(string domain) => new LoopbackDnsServer().AddZone(domain)
            .Add(domain, "TXT", "v=spf1 include:_spf.google.com ~all")
            .Add(domain, "TXT", "google-site-verification=abc123");

        private static DnsRecord[] Records(PSObject o) => ((IEnumerable<DnsRecord>)o.Properties["DnsRecords"].Value).ToArray();

        [Fact]
        public void New_verifies_with_easy_dkim_and_proposes_every_record()
        {
            var domain = TestBed.Unique("ocp") + ".example";
            using var dns = Zone(domain);
            var r = PowerShellHost.Run("New-SesDomainVerification -Domain $domain @aws -DnsServer $dnsServer -Verbose 3>&1", Vars(dns, ("domain", domain)));

            Assert.Empty(r.Errors);
            var result = r.Output.Single(o => o.BaseObject is SesDomainVerification);
            var verification = (SesDomainVerification)result.BaseObject;
            var witness = Witness.Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = domain });
            Assert.Equal(witness["DkimAttributes"]!["Tokens"]!.AsArray().Select(t => (string)t!), verification.DkimTokens);
            Assert.Equal("RSA_2048_BIT", (string)witness["DkimAttributes"]!["NextSigningKeyLength"]!);
            Assert.Equal(domain, verification.EmailIdentity);
            Assert.Equal("us-east-1", verification.Region);
            Assert.False(verification.VerifiedForSending);

            var records = verification.DnsRecords;
            var cnames = records.Where(x => x.Type == "CNAME").ToList();
            Assert.Equal(3, cnames.Count);
            Assert.All(cnames, c =>
            {
                Assert.Equal(domain, c.Zone);
                Assert.Equal(c.Name.Split('.')[0] + "._domainkey", c.HostLabel);
                Assert.Equal(c.Name.Split('.')[0] + ".dkim.amazonses.com", c.Value);
                Assert.Equal(DnsRecordAction.Add, c.Action);
            });
            var mx = Assert.Single(records, x => x.Type == "MX");
            Assert.Equal(("@", "inbound-smtp.us-east-1.amazonaws.com", 10), (mx.HostLabel, mx.Value, mx.Priority!.Value));
            var spf = Assert.Single(records, x => x.Type == "TXT" && x.HostLabel == "@");
            Assert.Equal("v=spf1 include:_spf.google.com include:amazonses.com ~all", spf.Value);
            Assert.Equal(DnsRecordAction.Update, spf.Action);
            Assert.Equal("v=spf1 include:_spf.google.com ~all", spf.CurrentValue);
            var dmarc = Assert.Single(records, x => x.HostLabel == "_dmarc");
            Assert.StartsWith("v=DMARC1; p=none", dmarc.Value);
            Assert.Contains(r.Output, o => o.BaseObject is WarningRecord w && w.Message.Contains("MAIL FROM"));
            Assert.Equal(1, r.AwsCalls);
        }

        [Fact]
        public void Dkim_records_point_at_the_signing_hosted_zone_ses_returns_in_a_region_with_its_own()
        {
            // af-south-1 answers DkimAttributes.SigningHostedZone = dkim.af-south-1.amazonses.com, not dkim.amazonses.com.
            var domain = TestBed.Unique("cpt") + ".example";
            using var dns = Zone(domain);
            var vars = ScriptVariables.For("af-south-1", dns, ("domain", domain));
            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer -InboundMx Never", vars);

            Assert.Empty(r.Errors);
            var verification = (SesDomainVerification)r.Output.Single(o => o.BaseObject is SesDomainVerification).BaseObject;
            var zone = (string)Witness.Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = domain }, "af-south-1")["DkimAttributes"]!["SigningHostedZone"]!;
            Assert.Equal("dkim.af-south-1.amazonses.com", zone);
            Assert.Equal(zone, verification.SigningHostedZone);
            var cnames = verification.DnsRecords.Where(x => x.Type == "CNAME").ToList();
            Assert.Equal(3, cnames.Count);
            Assert.All(cnames, c => Assert.Equal(c.Name.Split('.')[0] + "." + zone, c.Value));

            // Published as proposed, Get-SesDomainVerification keeps them and Test-DnsRecord finds them present.
            foreach (var c in cnames) dns.Add(c.Name, "CNAME", c.Value + ".");
            var again = PowerShellHost.Run("Get-SesDomainVerification $domain @aws -DnsServer $dnsServer -InboundMx Never | Test-DnsRecord -DnsServer $dnsServer", vars);
            Assert.Empty(again.Errors);
            Assert.Equal(3, again.Output.Select(o => (DnsRecordCheck)o.BaseObject).Count(c => c.Type == "CNAME" && c.Status == DnsRecordStatus.Present));
        }

        [Fact]
        public void Receiving_in_a_region_outside_the_table_is_decided_by_dns_and_the_table_has_ap_southeast_3()
        {
            // eu-north-1 is in no table here: DNS answers for its inbound endpoint, so the MX is proposed.
            var domain = TestBed.Unique("arn") + ".example";
            using var dns = Zone(domain).Add("inbound-smtp.eu-north-1.amazonaws.com", "A", "192.0.2.25");
            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -Region eu-north-1 -DnsServer $dnsServer -InboundMx Always -Verbose", Vars(dns, ("domain", domain)));
            Assert.Empty(r.Errors);
            var mx = Assert.Single(Records(r.Output.Single(o => o.BaseObject is SesDomainVerification)), x => x.Type == "MX");
            Assert.Equal("inbound-smtp.eu-north-1.amazonaws.com", mx.Value);
            Assert.Contains(r.Verbose, v => v.Contains("DNS answers for inbound-smtp.eu-north-1.amazonaws.com"));

            // ap-southeast-3 (Jakarta) is in AWS's receiving table: no DNS question about its endpoint.
            var jakarta = TestBed.Unique("cgk") + ".example";
            using var dns2 = Zone(jakarta);
            var j = PowerShellHost.Run("New-SesDomainVerification $domain @aws -Region ap-southeast-3 -DnsServer $dnsServer -InboundMx Always", Vars(dns2, ("domain", jakarta)));
            Assert.Empty(j.Errors);
            Assert.Equal("inbound-smtp.ap-southeast-3.amazonaws.com", Assert.Single(Records(j.Output.Single()), x => x.Type == "MX").Value);
            Assert.DoesNotContain(dns2.Queries, q => q.Name.StartsWith("inbound-smtp."));
        }

        [Fact]
        public void Rerunning_changes_nothing_and_raises_nothing()
        {
            var domain = TestBed.Unique("again") + ".example";
            using var dns = Zone(domain);
            var first = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", Vars(dns, ("domain", domain)));
            var second = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer -Verbose", Vars(dns, ("domain", domain)));

            Assert.Empty(first.Errors);
            Assert.Empty(second.Errors);
            Assert.Equal(((SesDomainVerification)first.Output.Single().BaseObject).DkimTokens, ((SesDomainVerification)second.Output.Single().BaseObject).DkimTokens);
            Assert.Contains(second.Verbose, v => v.Contains("already an SES identity"));
            var identities = Witness.Call("sesv2", "list_email_identities")["EmailIdentities"]!.AsArray().Count(i => (string)i!["IdentityName"]! == domain);
            Assert.Equal(1, identities);
        }

        [Fact]
        public void Records_that_are_published_test_present_and_the_pipeline_works()
        {
            var domain = TestBed.Unique("pipe") + ".example";
            using var dns = Zone(domain);
            var vars = Vars(dns, ("domain", domain));
            var created = (SesDomainVerification)PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", vars).Output.Single().BaseObject;
            foreach (var c in created.DnsRecords.Where(x => x.Type == "CNAME").Take(2)) dns.Add(c.Name, "CNAME", c.Value + ".");
            var third = created.DnsRecords.Where(x => x.Type == "CNAME").Last();
            dns.Add(third.Name, "CNAME", "wrong.dkim.amazonses.com.");

            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer | Test-DnsRecord -DnsServer $dnsServer", vars);

            Assert.Empty(r.Errors);
            var checks = r.Output.Select(o => (DnsRecordCheck)o.BaseObject).ToList();
            Assert.Equal(2, checks.Count(c => c.Type == "CNAME" && c.Status == DnsRecordStatus.Present));
            Assert.Equal(DnsRecordStatus.Different, checks.Single(c => c.Name == third.Name).Status);
            Assert.Equal(DnsRecordStatus.Missing, checks.Single(c => c.Type == "MX").Status);
            Assert.Equal(DnsRecordStatus.Different, checks.Single(c => c.Type == "TXT" && c.Name == domain).Status);
        }

        [Fact]
        public void A_domain_with_mx_gets_no_inbound_mx_and_Always_in_a_region_without_receiving_is_refused_before_any_call()
        {
            var domain = TestBed.Unique("mx") + ".example";
            using var dns = Zone(domain).Add(domain, "MX", "10 aspmx.l.google.com.");
            var vars = Vars(dns, ("domain", domain));
            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", vars);
            Assert.Empty(r.Errors);
            Assert.DoesNotContain(Records(r.Output.Single()), x => x.Type == "MX");

            var refused = PowerShellHost.Run("New-SesDomainVerification ('x' + $domain) @aws -Region af-south-1 -DnsServer $dnsServer -InboundMx Always -Verbose", vars);
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("OcdsAws.RegionWithoutReceiving", error.FullyQualifiedErrorId);
            Assert.Contains("eu-west-1", error.Exception.Message);
            Assert.Equal(0, refused.AwsCalls);
        }

        [Fact]
        public void An_internationalised_domain_becomes_punycode()
        {
            var label = TestBed.Unique("bücher");
            var ascii = new System.Globalization.IdnMapping().GetAscii(label) + ".example";
            using var dns = Zone(ascii);
            var r = PowerShellHost.Run("New-SesDomainVerification ($label + '.example') @aws -DnsServer $dnsServer", Vars(dns, ("label", label)));
            Assert.Empty(r.Errors);
            Assert.Equal(ascii, ((SesDomainVerification)r.Output.Single().BaseObject).Domain);
            Assert.StartsWith("xn--", ascii);
        }

        [Theory]
        [InlineData("exa mple.org")]
        [InlineData("-example.org")]
        [InlineData("example..org")]
        [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.org")]
        [InlineData("data@example.org")]
        [InlineData("localhost")]
        public void Bad_domains_fail_clearly_with_no_aws_call(string bad)
        {
            using var dns = new LoopbackDnsServer();
            var r = PowerShellHost.Run("New-SesDomainVerification -Domain $bad @aws -DnsServer $dnsServer -Verbose", Vars(dns, ("bad", bad)));
            var error = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.StartsWith("OcdsAws.InvalidDomainName", error.FullyQualifiedErrorId);
            Assert.Equal(0, r.AwsCalls);
            Assert.Equal(0, dns.QueryCount);
        }

        [Fact]
        public void A_name_over_253_characters_and_an_empty_string_fail_with_no_aws_call()
        {
            using var dns = new LoopbackDnsServer();
            var longName = string.Join(".", Enumerable.Repeat(new string('a', 60), 5)) + ".org";
            var r = PowerShellHost.Run("New-SesDomainVerification -Domain $long @aws -DnsServer $dnsServer -Verbose; New-SesDomainVerification -Domain '' @aws -Verbose",
                Vars(dns, ("long", longName)));
            Assert.Equal(2, r.Errors.Count);
            Assert.StartsWith("OcdsAws.InvalidDomainName", r.Errors[0].FullyQualifiedErrorId);
            Assert.Contains("253", r.Errors[0].Exception.Message);
            Assert.Contains(r.Errors[1].CategoryInfo.Category, new[] { ErrorCategory.InvalidData, ErrorCategory.InvalidArgument });
            Assert.Equal(0, r.AwsCalls);
        }

        [Fact]
        public void WhatIf_makes_no_aws_call()
        {
            var domain = TestBed.Unique("whatif") + ".example";
            using var dns = Zone(domain);
            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer -WhatIf -Verbose", Vars(dns, ("domain", domain)));
            Assert.Empty(r.Errors);
            Assert.Equal(0, r.AwsCalls);
            var error = Witness.TryCall("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = domain })["error"];
            Assert.Equal("NotFoundException", (string)error!["Code"]!);
        }

        [Fact]
        public void Wait_returns_the_verified_identity_once_ses_verifies_it()
        {
            var domain = TestBed.Unique("wait") + ".example";
            using var dns = Zone(domain);
            var vars = Vars(dns, ("domain", domain), ("control", TestBed.Endpoint.TrimEnd('/') + "/ocds-testbed/sesv2/identity-status"));
            var r = PowerShellHost.Run(
                "$v = New-SesDomainVerification $domain @aws -DnsServer $dnsServer; " +
                "Invoke-RestMethod -Method Post -Uri $control -ContentType 'application/json' -Body (@{ account = '123456789012'; region = 'us-east-1'; identity = $domain; verification = 'SUCCESS'; dkim = 'SUCCESS' } | ConvertTo-Json) | Out-Null; " +
                "$v | Wait-SesDomainVerification @aws -DnsServer $dnsServer -Timeout 00:01:00", vars);
            Assert.Empty(r.Errors);
            var verified = (SesDomainVerification)r.Output.Single(o => o.BaseObject is SesDomainVerification).BaseObject;
            Assert.True(verified.VerifiedForSending);
            Assert.Equal("SUCCESS", verified.DkimStatus);
            Assert.Contains(r.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void Get_reads_the_identity_back_and_a_missing_one_is_not_found()
        {
            var domain = TestBed.Unique("get") + ".example";
            using var dns = Zone(domain).Add(domain, "TXT", "v=spf1 mx -all");
            var vars = Vars(dns, ("domain", domain));
            var created = (SesDomainVerification)PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", vars).Output.Single().BaseObject;

            var r = PowerShellHost.Run("Get-SesDomainVerification $domain @aws -DnsServer $dnsServer -InboundMx Never", vars);
            Assert.Empty(r.Errors);
            var read = (SesDomainVerification)r.Output.Single().BaseObject;
            Assert.Equal(created.DkimTokens, read.DkimTokens);
            Assert.DoesNotContain(read.DnsRecords, x => x.Type == "MX");
            // Two SPF records: merge into the first, remove the second.
            var remove = Assert.Single(read.DnsRecords, x => x.Action == DnsRecordAction.Remove);
            Assert.Equal("TXT", remove.Type);
            Assert.Contains(r.Warnings, w => w.Contains("permerror", System.StringComparison.OrdinalIgnoreCase));

            var missing = PowerShellHost.Run("Get-SesDomainVerification ('missing-' + $domain) @aws -DnsServer $dnsServer", vars);
            var error = Assert.Single(missing.Errors);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.StartsWith("Aws.NotFoundException", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void Export_writes_bind_lines_godaddy_imports()
        {
            var domain = TestBed.Unique("export") + ".example";
            using var dns = Zone(domain);
            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer | Export-DnsRecord -Format Bind", Vars(dns, ("domain", domain)));
            Assert.Empty(r.Errors);
            var text = (string)r.Output.Single().BaseObject;
            Assert.Matches($@"(?m)^\S+\._domainkey\.{System.Text.RegularExpressions.Regex.Escape(domain)}\. \d+ IN CNAME \S+\.dkim\.amazonses\.com\.$", text);
            Assert.Contains($"{domain}. 1800 IN MX 10 inbound-smtp.us-east-1.amazonaws.com.", text);
        }
    }
}
