using OcdsAws.Tests.Infrastructure;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Deliverability;
using OcdsAws.Tests.Dns;
using Xunit;

namespace OcdsAws.Tests.Deliverability
{
    /// <summary>DMARC record parsing and RFC 9989 discovery (tree walk), RFC 7489 with a Public Suffix List.</summary>
    public sealed class DmarcRecordTests
    {
        [Fact]
        public void Every_tag_is_parsed()
        {
            var r = DmarcPolicyRecord.Parse("v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; rua=mailto:dmarc@example.org,mailto:x@example.net; ruf=mailto:f@example.org; fo=1:d; t=y; psd=n");
            Assert.Equal(("reject", "quarantine", "reject", "s", "r"), (r.Policy, r.SubdomainPolicy, r.NonExistentSubdomainPolicy, r.Adkim, r.Aspf));
            Assert.Equal(new[] { "mailto:dmarc@example.org", "mailto:x@example.net" }, r.Rua);
            Assert.Equal(new[] { "mailto:f@example.org" }, r.Ruf);
            Assert.Equal(("1:d", true, "n"), (r.FailureOptions, r.Testing, r.Psd));
            Assert.Empty(r.Problems);
        }

        [Fact]
        public void Obsolete_tags_and_syntax_problems_are_reported()
        {
            var r = DmarcPolicyRecord.Parse("v=DMARC1; p=block; pct=50; rf=afrf; ri=86400; adkim=x; foo=bar; rua=https://example.org/r; junk");
            Assert.Equal("none", r.Policy);
            Assert.Equal(new[] { "pct=50", "rf=afrf", "ri=86400" }, r.ObsoleteTags);
            Assert.Equal("r", r.Adkim);
            Assert.Contains(r.Problems, p => p.Contains("p=block"));
            Assert.Contains(r.Problems, p => p.Contains("Unknown tag foo"));
            Assert.Contains(r.Problems, p => p.Contains("not a mailto"));
            Assert.Contains(r.Problems, p => p.Contains("'junk'"));
            Assert.Contains(r.Problems, p => p.Contains("pct is obsolete"));
            Assert.Contains(DmarcPolicyRecord.Parse("v=DMARC1; rua=mailto:a@example.org").Problems, p => p.Contains("p is missing"));
        }

        [Theory]
        [InlineData("v=DMARC1; p=none", true)]
        [InlineData("v=DMARC1", true)]
        [InlineData("v=dmarc1; p=none", false)]
        [InlineData("p=none; v=DMARC1", false)]
        [InlineData("v=spf1 -all", false)]
        public void Only_records_starting_with_v_DMARC1_count(string text, bool dmarc) => Assert.Equal(dmarc, DmarcPolicyRecord.IsDmarc(text));

        [Fact]
        public void The_walk_asks_at_most_8_names()
        {
            Assert.Equal(new[] { "a.b.example.org", "b.example.org", "example.org", "org" }, DmarcDiscovery.WalkTargets("a.b.example.org"));
            var deep = DmarcDiscovery.WalkTargets("l1.l2.l3.l4.l5.l6.l7.l8.l9.l10.example.org");
            Assert.Equal(8, deep.Count);
            Assert.Equal("l1.l2.l3.l4.l5.l6.l7.l8.l9.l10.example.org", deep[0]);
            Assert.Equal("l6.l7.l8.l9.l10.example.org", deep[1]); // jumps to 7 labels
            Assert.Equal("org", deep[7]);
        }

        [Fact]
        public async Task A_policy_on_the_organizational_domain_is_found_from_a_deep_subdomain()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org")
                .Add("_dmarc.example.org", "TXT", "v=DMARC1; p=quarantine; sp=reject; adkim=s; rua=mailto:dmarc@example.org")
                .Add("_dmarc.example.org", "TXT", "google-site-verification=abc");
            var discovery = new DmarcDiscovery(dns.CreateResolver());
            var result = await discovery.DiscoverAsync("a.b.c.mail.example.org", CancellationToken.None);
            Assert.Equal("RFC 9989 tree walk", result.Method);
            Assert.Equal(("example.org", "example.org"), (result.PolicyDomain, result.OrganizationalDomain));
            Assert.Equal(("quarantine", "reject", "s"), (result.Policy, result.EffectivePolicy, result.Adkim));
            Assert.Equal(new[] { "_dmarc.a.b.c.mail.example.org", "_dmarc.b.c.mail.example.org", "_dmarc.c.mail.example.org", "_dmarc.mail.example.org", "_dmarc.example.org", "_dmarc.org" }, result.Queries);
            Assert.Equal(6, dns.QueryCount);
            Assert.Empty(result.Problems);

            // The same through the cmdlet.
            var r = PowerShellHost.Run("Get-DmarcRecord -Domain A.B.C.Mail.Example.Org. -DnsServer $dnsServer",
                new Dictionary<string, object?> { ["dnsServer"] = $"127.0.0.1:{dns.Port}" });
            Assert.Empty(r.Errors);
            var hosted = (DmarcRecordResult)r.Output.Single().BaseObject;
            Assert.Equal(("a.b.c.mail.example.org", "example.org", "reject"), (hosted.Domain, hosted.PolicyDomain, hosted.EffectivePolicy));
            Assert.Equal(new[] { "mailto:dmarc@example.org" }, hosted.Record!.Rua);
        }

        [Fact]
        public async Task The_walk_of_a_very_deep_name_is_capped_at_8_queries()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org").Add("_dmarc.example.org", "TXT", "v=DMARC1; p=reject");
            var discovery = new DmarcDiscovery(dns.CreateResolver());
            var result = await discovery.DiscoverAsync("x1.x2.x3.x4.x5.x6.x7.x8.x9.x10.x11.example.org", CancellationToken.None);
            Assert.Equal(8, dns.QueryCount);
            Assert.Equal(8, result.Queries.Count);
            Assert.Equal("example.org", result.OrganizationalDomain);
            Assert.Equal("reject", result.EffectivePolicy);
        }

        [Fact]
        public async Task Psd_tags_end_the_walk_and_decide_the_organizational_domain()
        {
            using var dns = new LoopbackDnsServer().AddZone("example")
                .Add("_dmarc.example", "TXT", "v=DMARC1; p=reject; psd=y")
                .Add("_dmarc.dept.agency.example", "TXT", "v=DMARC1; p=none; psd=n");
            var discovery = new DmarcDiscovery(dns.CreateResolver());
            var below = await discovery.DiscoverAsync("mail.agency.example", CancellationToken.None);
            // psd=y on "example": the organizational domain is one label below it, and it has no record of its own,
            // so the public suffix domain's record applies (RFC 9989 §4.10.1).
            Assert.Equal("agency.example", below.OrganizationalDomain);
            Assert.Equal(("example", "reject"), (below.PolicyDomain, below.Record?.Policy));
            var stop = await discovery.DiscoverAsync("a.dept.agency.example", CancellationToken.None);
            Assert.Equal("dept.agency.example", stop.OrganizationalDomain);
            Assert.Equal(new[] { "_dmarc.a.dept.agency.example", "_dmarc.dept.agency.example" }, stop.Queries); // psd=n stops the walk
        }

        [Fact]
        public void The_public_suffix_domains_policy_applies_when_neither_the_domain_nor_its_organizational_domain_has_one()
        {
            // RFC 9989 §4.10.1: the record of the Author Domain, else of its Organizational Domain, else of its Public
            // Suffix Domain (psd=y). For a subdomain of the PSD, sp applies when it exists and np when it does not.
            using var dns = new LoopbackDnsServer().AddZone("bank.example")
                .Add("_dmarc.bank.example", "TXT", "v=DMARC1; p=none; sp=quarantine; np=reject; psd=y; rua=mailto:psd@bank.example")
                .Add("_dmarc.giant.bank.example", "TXT", "v=DMARC1; p=none; rua=mailto:dmarc@giant.bank.example")
                .Add("mail.mega.bank.example", "A", "192.0.2.25");
            var r = PowerShellHost.Run("'mail.mega.bank.example', 'ghost.tiny.bank.example', 'mail.giant.bank.example' | Get-DmarcRecord -DnsServer $dnsServer",
                new Dictionary<string, object?> { ["dnsServer"] = $"127.0.0.1:{dns.Port}" });
            Assert.Empty(r.Errors);
            var results = r.Output.Select(o => (DmarcRecordResult)o.BaseObject).ToList();
            Assert.Equal(3, results.Count);

            var mega = results[0];
            Assert.Equal(("mega.bank.example", "bank.example", "quarantine"), (mega.OrganizationalDomain, mega.PolicyDomain, mega.EffectivePolicy));
            Assert.Equal(new[] { "mailto:psd@bank.example" }, mega.Record!.Rua);
            Assert.Equal(new[] { "_dmarc.mail.mega.bank.example", "_dmarc.mega.bank.example", "_dmarc.bank.example" }, mega.Queries);

            var ghost = results[1];
            Assert.Equal(("tiny.bank.example", "bank.example", "reject"), (ghost.OrganizationalDomain, ghost.PolicyDomain, ghost.EffectivePolicy));

            // An organizational domain with a record of its own keeps it: the PSD's policy is only a fallback.
            var giant = results[2];
            Assert.Equal(("giant.bank.example", "giant.bank.example", "none"), (giant.OrganizationalDomain, giant.PolicyDomain, giant.EffectivePolicy));
        }

        [Fact]
        public async Task A_dns_failure_above_a_domain_with_its_own_record_leaves_the_policy_and_says_so()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org")
                .Add("_dmarc.mail.example.org", "TXT", "v=DMARC1; p=quarantine")
                .Fail("_dmarc.example.org");
            var result = await new DmarcDiscovery(dns.CreateResolver()).DiscoverAsync("mail.example.org", CancellationToken.None);
            Assert.Equal(("mail.example.org", "quarantine"), (result.PolicyDomain, result.EffectivePolicy));
            Assert.Null(result.OrganizationalDomain);
            Assert.Contains(result.Problems, p => p.Contains("organizational domain") && p.Contains("_dmarc.example.org"));

            // Without a record of its own the policy itself depends on the failed name: a temperror.
            var error = await Assert.ThrowsAsync<OcdsAws.OcdsAwsException>(() => new DmarcDiscovery(dns.CreateResolver()).DiscoverAsync("www.example.org", CancellationToken.None));
            Assert.Equal("DnsUnavailable", error.ErrorId);
        }

        [Fact]
        public async Task Np_applies_to_a_subdomain_that_does_not_exist_and_sp_to_one_that_does()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org")
                .Add("_dmarc.example.org", "TXT", "v=DMARC1; p=none; sp=quarantine; np=reject")
                .Add("www.example.org", "A", "192.0.2.1");
            var discovery = new DmarcDiscovery(dns.CreateResolver());
            Assert.Equal("reject", (await discovery.DiscoverAsync("ghost.example.org", CancellationToken.None)).EffectivePolicy);
            Assert.Equal("quarantine", (await discovery.DiscoverAsync("www.example.org", CancellationToken.None)).EffectivePolicy);
            Assert.Equal("none", (await discovery.DiscoverAsync("example.org", CancellationToken.None)).EffectivePolicy);
        }

        [Fact]
        public async Task A_dmarc_record_delegated_by_cname_is_followed()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org").AddZone("reports.example")
                .Add("_dmarc.example.org", "CNAME", "example.org._dmarc.reports.example")
                .Add("example.org._dmarc.reports.example", "TXT", "v=DMARC1; p=quarantine");
            var result = await new DmarcDiscovery(dns.CreateResolver()).DiscoverAsync("example.org", CancellationToken.None);
            Assert.Equal("quarantine", result.EffectivePolicy);
        }

        [Fact]
        public async Task Several_records_count_as_none()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org")
                .Add("_dmarc.example.org", "TXT", "v=DMARC1; p=reject")
                .Add("_dmarc.example.org", "TXT", "v=DMARC1; p=none");
            var result = await new DmarcDiscovery(dns.CreateResolver()).DiscoverAsync("example.org", CancellationToken.None);
            Assert.Null(result.Record);
            Assert.Equal("none", result.EffectivePolicy);
            Assert.Contains(result.Problems, p => p.Contains("2 DMARC records") && p.Contains("as none"));
        }

        [Fact]
        public void Get_DmarcRecord_in_RFC_7489_mode_uses_the_public_suffix_list_given()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.co.uk").Add("_dmarc.example.co.uk", "TXT", "v=DMARC1; p=reject; pct=100");
            var psl = Path.Combine(Path.GetTempPath(), "psl-" + Guid.NewGuid().ToString("n") + ".dat");
            File.WriteAllText(psl, "// ===BEGIN ICANN DOMAINS===\nuk\nco.uk\n*.ck\n!www.ck\norg\n");
            try
            {
                var r = PowerShellHost.Run("Get-DmarcRecord deep.mail.example.co.uk -PublicSuffixListPath $psl -DnsServer $dnsServer",
                    new Dictionary<string, object?> { ["psl"] = psl, ["dnsServer"] = $"127.0.0.1:{dns.Port}" });
                Assert.Empty(r.Errors);
                var result = (DmarcRecordResult)r.Output.Single().BaseObject;
                Assert.Equal("RFC 7489 public suffix list", result.Method);
                Assert.Equal(("example.co.uk", "example.co.uk", "reject"), (result.OrganizationalDomain, result.PolicyDomain, result.EffectivePolicy));
                Assert.Equal(new[] { "_dmarc.deep.mail.example.co.uk", "_dmarc.example.co.uk" }, result.Queries);
                Assert.Contains(result.Problems, p => p.Contains("pct is obsolete"));
                Assert.Equal(2, dns.QueryCount);
            }
            finally
            {
                File.Delete(psl);
            }
        }

        [Theory]
        [InlineData("a.b.ck", "a.b.ck")]
        [InlineData("www.ck", "www.ck")]
        [InlineData("x.www.ck", "www.ck")]
        [InlineData("mail.example.org", "example.org")]
        [InlineData("example.unlisted", "example.unlisted")]
        public void Public_suffix_rules_wildcards_and_exceptions(string domain, string org)
        {
            var psl = Path.Combine(Path.GetTempPath(), "psl-" + Guid.NewGuid().ToString("n") + ".dat");
            File.WriteAllText(psl, "*.ck\n!www.ck\norg\n");
            try
            {
                Assert.Equal(org, PublicSuffixList.Load(psl).OrganizationalDomain(domain));
            }
            finally
            {
                File.Delete(psl);
            }
        }

        [Theory]
        [InlineData("Get-DmarcRecord 'not a domain' -DnsServer 127.0.0.1:9", "InvalidDomainName", ErrorCategory.InvalidArgument)]
        [InlineData("Get-DmarcRecord user@example.org -DnsServer 127.0.0.1:9", "InvalidDomainName", ErrorCategory.InvalidArgument)]
        [InlineData("Get-DmarcRecord example.org -DnsServer 'bad:server:x'", "InvalidDnsServer", ErrorCategory.InvalidArgument)]
        [InlineData("Get-DmarcRecord example.org -PublicSuffixListPath ./no-such-psl.dat -DnsServer 127.0.0.1:9", "FileNotFound", ErrorCategory.ObjectNotFound)]
        public void Bad_input_is_a_clear_error(string script, string errorId, ErrorCategory category)
        {
            var r = PowerShellHost.Run(script);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws." + errorId, error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void An_unreachable_dns_server_is_a_temperror_not_a_missing_record()
        {
            using var silent = new SilentUdpPort();
            var r = PowerShellHost.Run("Get-DmarcRecord example.org -DnsServer $dnsServer",
                new Dictionary<string, object?> { ["dnsServer"] = $"127.0.0.1:{silent.Endpoint.Port}" });
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.DnsUnavailable", error.FullyQualifiedErrorId);
            Assert.Contains("temperror", error.Exception.Message);
            Assert.Empty(r.Output);
        }
    }
}
