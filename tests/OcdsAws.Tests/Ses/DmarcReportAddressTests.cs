using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OcdsAws.Dns;
using OcdsAws.Ses;
using OcdsAws.Tests.Dns;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ses
{
    /// <summary>#15 item 12: the proposed DMARC record asks for aggregate reports when the user says where to send them.</summary>
    public sealed class DmarcReportAddressTests
    {
        private static DnsRecord Dmarc(PSObject o) => ((IEnumerable<DnsRecord>)o.Properties["DnsRecords"].Value).Single(r => r.Name.StartsWith("_dmarc.", StringComparison.Ordinal));

        [Fact]
        public void The_proposed_dmarc_record_sends_aggregate_reports_to_the_given_addresses()
        {
            var domain = TestBed.Unique("rua") + ".example";
            using var dns = new LoopbackDnsServer().AddZone(domain);
            var vars = ScriptVariables.For("eu-west-1", dns, ("domain", domain));

            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer -DmarcReportAddress \"dmarc@$domain\", 'ops!team@reports.example.net'", vars);

            Assert.Empty(r.Errors);
            Assert.Equal($"v=DMARC1; p=none; rua=mailto:dmarc@{domain},mailto:ops%21team@reports.example.net", Dmarc(r.Output.Single()).Value);
            // reports.example.net is another domain: it must agree to receive them (RFC 7489 §7.1).
            Assert.Single(r.Warnings, w => w.Contains($"{domain}._report._dmarc.reports.example.net", StringComparison.Ordinal));

            var get = PowerShellHost.Run("Get-SesDomainVerification $domain @aws -DnsServer $dnsServer -DmarcReportAddress \"dmarc@$domain\"", vars);
            Assert.Empty(get.Errors);
            Assert.Equal($"v=DMARC1; p=none; rua=mailto:dmarc@{domain}", Dmarc(get.Output.Single()).Value);
            Assert.DoesNotContain(get.Warnings, w => w.Contains("_report._dmarc", StringComparison.Ordinal));

            var none = PowerShellHost.Run("Get-SesDomainVerification $domain @aws -DnsServer $dnsServer", vars);
            Assert.Equal("v=DMARC1; p=none", Dmarc(none.Output.Single()).Value);
        }

        [Fact]
        public void A_domain_with_its_own_dmarc_record_gets_no_proposal_and_a_warning_naming_the_tag_to_add()
        {
            var domain = TestBed.Unique("rua") + ".example";
            using var dns = new LoopbackDnsServer().AddZone(domain).Add("_dmarc." + domain, "TXT", "v=DMARC1; p=reject");
            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer -DmarcReportAddress \"dmarc@$domain\"", ScriptVariables.For("eu-west-1", dns, ("domain", domain)));

            Assert.Empty(r.Errors);
            Assert.DoesNotContain(((IEnumerable<DnsRecord>)r.Output.Single().Properties["DnsRecords"].Value), x => x.Name.StartsWith("_dmarc.", StringComparison.Ordinal));
            Assert.Single(r.Warnings, w => w.Contains($"add rua=mailto:dmarc@{domain} to its DMARC record", StringComparison.Ordinal));
        }
    }
}
