using OcdsAws.Tests.Infrastructure;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using OcdsAws.Deliverability;
using OcdsAws.Tests.Dns;
using Xunit;

namespace OcdsAws.Tests.Deliverability
{
    /// <summary>Test-DnsBlocklist against blocklist zones served by the loopback DNS server.</summary>
    public sealed class DnsBlocklistTests
    {
        private static Dictionary<string, object?> Vars(LoopbackDnsServer dns, params (string, object?)[] more)
        {
            var vars = new Dictionary<string, object?> { ["dnsServer"] = $"127.0.0.1:{dns.Port}" };
            foreach (var (k, v) in more) vars[k] = v;
            return vars;
        }

        private static List<DnsBlocklistResult> Results(Infrastructure.PsResult r) => r.Output.Select(o => (DnsBlocklistResult)o.BaseObject).ToList();

        [Theory]
        [InlineData("192.0.2.99", "99.2.0.192")]
        [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2")]
        public void Addresses_are_reversed_as_blocklists_expect(string ip, string expected)
            => Assert.Equal(expected, DnsBlocklist.ReversedName(IPAddress.Parse(ip)));

        [Fact]
        public void Listed_not_listed_and_error_codes_are_told_apart_and_every_zone_is_asked()
        {
            using var dns = new LoopbackDnsServer().AddZone("zen.spamhaus.org").AddZone("bl.spamcop.net").AddZone("dnsbl.blocked.test")
                .Add("2.0.0.127.zen.spamhaus.org", "A", "127.0.0.2")
                .Add("2.0.0.127.zen.spamhaus.org", "A", "127.0.0.4")
                .Add("2.0.0.127.bl.spamcop.net", "A", "127.0.0.2")
                .Add("2.0.0.127.dnsbl.blocked.test", "A", "127.255.255.254")
                .Add("10.2.0.192.dnsbl.blocked.test", "A", "127.255.255.255")
                .Add("10.2.0.192.zen.spamhaus.org", "A", "127.0.0.10");
            var r = PowerShellHost.Run("Test-DnsBlocklist 127.0.0.2, 192.0.2.10, 198.51.100.7 -Zone zen.spamhaus.org, bl.spamcop.net, dnsbl.blocked.test -DnsServer $dnsServer",
                Vars(dns));
            Assert.Empty(r.Errors);
            var results = Results(r);
            Assert.Equal(9, results.Count);
            // 3 addresses x 3 zones, plus each zone's RFC 5782 test points: 127.0.0.2 is one of the addresses
            // (asked once), 127.0.0.1 is asked once per zone.
            Assert.Equal(12, dns.Queries.Count(q => q.Type == "A"));

            var zen = results.Single(x => x.Target == "127.0.0.2" && x.Zone == "zen.spamhaus.org");
            Assert.Equal(DnsBlocklistStatus.Listed, zen.Status);
            Assert.Equal(new[] { "127.0.0.2", "127.0.0.4" }, zen.ReturnCodes.OrderBy(c => c));
            Assert.Contains("SBL", zen.Meaning);
            Assert.Contains("XBL", zen.Meaning);
            Assert.Equal(DnsBlocklistStatus.Listed, results.Single(x => x.Target == "127.0.0.2" && x.Zone == "bl.spamcop.net").Status);

            var blocked = results.Single(x => x.Target == "127.0.0.2" && x.Zone == "dnsbl.blocked.test");
            Assert.Equal(DnsBlocklistStatus.Error, blocked.Status);
            Assert.Contains("your resolver is blocked by the list", blocked.Meaning);
            var limited = results.Single(x => x.Target == "192.0.2.10" && x.Zone == "dnsbl.blocked.test");
            Assert.Equal(DnsBlocklistStatus.Error, limited.Status);
            Assert.Contains("excessive number of queries", limited.Meaning);

            var pbl = results.Single(x => x.Target == "192.0.2.10" && x.Zone == "zen.spamhaus.org");
            Assert.Equal(DnsBlocklistStatus.Listed, pbl.Status);
            Assert.Contains("PBL", pbl.Meaning);

            Assert.All(results.Where(x => x.Target == "198.51.100.7" && x.Zone != "dnsbl.blocked.test"), x => Assert.Equal(DnsBlocklistStatus.NotListed, x.Status));
            // The blocked list refuses its own test point too, so its "no entry" for 198.51.100.7 means nothing.
            var silent = results.Single(x => x.Target == "198.51.100.7" && x.Zone == "dnsbl.blocked.test");
            Assert.Equal(DnsBlocklistStatus.NotAnswering, silent.Status);
            Assert.Contains("your resolver is blocked by the list", silent.Meaning);
        }

        [Theory]
        [InlineData("127.255.255.253", "127.255.255.253")]
        [InlineData("127.255.255.0", "127.255.255.0")]
        [InlineData("127.255.255.252", "typo")]
        public void Every_code_in_127_255_255_0_24_is_an_error_never_a_listing(string code, string said)
        {
            // Spamhaus reserves the whole /24 for errors about the query itself; a code it adds later is still no listing.
            using var dns = new LoopbackDnsServer().AddZone("zen.spamhaus.org")
                .Add("2.0.0.127.zen.spamhaus.org", "A", "127.0.0.2")
                .Add("10.2.0.192.zen.spamhaus.org", "A", code);
            var r = PowerShellHost.Run("Test-DnsBlocklist 192.0.2.10 -Zone zen.spamhaus.org -DnsServer $dnsServer", Vars(dns));
            Assert.Empty(r.Errors);
            var result = Assert.Single(Results(r));
            Assert.Equal(DnsBlocklistStatus.Error, result.Status);
            Assert.Equal(new[] { code }, result.ReturnCodes);
            Assert.Contains("the list refused to answer", result.Meaning);
            Assert.Contains(said, result.Meaning);
        }

        [Fact]
        public void A_list_that_does_not_list_its_test_point_is_not_answering_and_asked_once_per_run()
        {
            // RFC 5782 §5: every IPv4 list lists 127.0.0.2. One that does not is not answering for this resolver.
            using var dns = new LoopbackDnsServer().AddZone("zen.spamhaus.org").AddZone("bl.spamcop.net")
                .Add("2.0.0.127.bl.spamcop.net", "A", "127.0.0.2")
                .Add("10.2.0.192.zen.spamhaus.org", "A", "127.0.0.3");
            var r = PowerShellHost.Run("'192.0.2.10', '198.51.100.7', '2001:db8::1' | Test-DnsBlocklist -Zone zen.spamhaus.org, bl.spamcop.net -DnsServer $dnsServer", Vars(dns));
            Assert.Empty(r.Errors);
            var results = Results(r);
            Assert.Equal(6, results.Count);
            var silent = results.Where(x => x.Zone == "zen.spamhaus.org" && x.Target != "192.0.2.10").ToList();
            Assert.Equal(2, silent.Count);
            Assert.All(silent, x =>
            {
                Assert.Equal(DnsBlocklistStatus.NotAnswering, x.Status);
                Assert.Contains("2.0.0.127.zen.spamhaus.org", x.Meaning);
                Assert.Contains("RFC 5782", x.Meaning);
            });
            // A real listing is still a listing.
            Assert.Equal(DnsBlocklistStatus.Listed, results.Single(x => x.Zone == "zen.spamhaus.org" && x.Target == "192.0.2.10").Status);
            Assert.All(results.Where(x => x.Zone == "bl.spamcop.net"), x => Assert.Equal(DnsBlocklistStatus.NotListed, x.Status));
            // The test points once per zone for the whole pipeline, not once per address.
            Assert.Equal(1, dns.Queries.Count(q => q.Name == "2.0.0.127.zen.spamhaus.org"));
            Assert.Equal(1, dns.Queries.Count(q => q.Name == "1.0.0.127.zen.spamhaus.org"));
            Assert.Equal(1, dns.Queries.Count(q => q.Name == "2.0.0.127.bl.spamcop.net"));
            Assert.Equal(1, dns.Queries.Count(q => q.Name == "1.0.0.127.bl.spamcop.net"));
        }

        [Fact]
        public void A_list_that_lists_127_0_0_1_is_unreliable()
        {
            // RFC 5782 §5: a list MUST NOT list 127.0.0.1; one that does answers "listed" to everything.
            using var dns = new LoopbackDnsServer().AddZone("dnsbl.wild.test")
                .Add("2.0.0.127.dnsbl.wild.test", "A", "127.0.0.2")
                .Add("1.0.0.127.dnsbl.wild.test", "A", "127.0.0.2")
                .Add("10.2.0.192.dnsbl.wild.test", "A", "127.0.0.2");
            var r = PowerShellHost.Run("Test-DnsBlocklist 192.0.2.10 -Zone dnsbl.wild.test -DnsServer $dnsServer", Vars(dns));
            Assert.Empty(r.Errors);
            var result = Assert.Single(Results(r));
            Assert.Equal(DnsBlocklistStatus.Unreliable, result.Status);
            Assert.Contains("1.0.0.127.dnsbl.wild.test", result.Meaning);
        }

        [Fact]
        public void An_ipv6_address_is_asked_as_nibbles()
        {
            using var dns = new LoopbackDnsServer().AddZone("zen.spamhaus.org")
                .Add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org", "A", "127.0.0.3");
            var r = PowerShellHost.Run("Test-DnsBlocklist -IPAddress 2001:db8::1 -Zone zen.spamhaus.org -DnsServer $dnsServer", Vars(dns));
            Assert.Empty(r.Errors);
            var result = Assert.Single(Results(r));
            Assert.Equal(DnsBlocklistStatus.Listed, result.Status);
            Assert.Contains("CSS", result.Meaning);
            Assert.Equal("2001:db8::1", result.Target);
        }

        [Fact]
        public void A_domain_is_checked_against_domain_lists_by_default()
        {
            using var dns = new LoopbackDnsServer().AddZone("dbl.spamhaus.org").AddZone("multi.surbl.org")
                .Add("spammy.example.dbl.spamhaus.org", "A", "127.0.1.2");
            var r = PowerShellHost.Run("Test-DnsBlocklist -Domain spammy.example, Clean.Example. -DnsServer $dnsServer", Vars(dns));
            Assert.Empty(r.Errors);
            var results = Results(r);
            Assert.Equal(4, results.Count);
            var listed = results.Single(x => x.Status == DnsBlocklistStatus.Listed);
            Assert.Equal(("spammy.example", "dbl.spamhaus.org"), (listed.Target, listed.Zone));
            Assert.Contains("spam domain", listed.Meaning);
            Assert.Equal(2, results.Count(x => x.Target == "clean.example" && x.Status == DnsBlocklistStatus.NotListed));
        }

        [Fact]
        public void An_answer_outside_127_is_a_rewriting_resolver_not_a_listing()
        {
            using var dns = new LoopbackDnsServer().AddZone("zen.spamhaus.org").Add("7.100.51.198.zen.spamhaus.org", "A", "203.0.113.80");
            var r = PowerShellHost.Run("Test-DnsBlocklist 198.51.100.7 -Zone zen.spamhaus.org -DnsServer $dnsServer", Vars(dns));
            var result = Assert.Single(Results(r));
            Assert.Equal(DnsBlocklistStatus.Error, result.Status);
            Assert.Contains("rewrites unknown names", result.Meaning);
        }

        [Fact]
        public void An_unreachable_dns_server_is_an_error_result_per_zone()
        {
            using var silent = new SilentUdpPort();
            var r = PowerShellHost.Run("Test-DnsBlocklist 198.51.100.7 -Zone zen.spamhaus.org -DnsServer $dnsServer",
                new Dictionary<string, object?> { ["dnsServer"] = $"127.0.0.1:{silent.Endpoint.Port}" });
            var result = Assert.Single(Results(r));
            Assert.Equal(DnsBlocklistStatus.Error, result.Status);
            Assert.Contains("could not answer", result.Meaning);
        }

        [Theory]
        [InlineData("-IPAddress 300.1.2.3", "InvalidIPAddress")]
        [InlineData("-IPAddress 127.1", "InvalidIPAddress")]
        [InlineData("-IPAddress not-an-ip", "InvalidIPAddress")]
        [InlineData("-Domain 'bad domain'", "InvalidDomainName")]
        [InlineData("-IPAddress 192.0.2.1 -Zone 'bad zone'", "InvalidDomainName")]
        public void Bad_input_is_a_clear_error_before_any_query(string args, string errorId)
        {
            using var dns = new LoopbackDnsServer();
            var r = PowerShellHost.Run($"Test-DnsBlocklist {args} -DnsServer $dnsServer", Vars(dns));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws." + errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, dns.QueryCount);
        }

        [Fact]
        public void A_bad_address_among_good_ones_does_not_stop_the_others()
        {
            using var dns = new LoopbackDnsServer().AddZone("zen.spamhaus.org");
            var r = PowerShellHost.Run("'192.0.2.1', 'nope', '192.0.2.2' | Test-DnsBlocklist -Zone zen.spamhaus.org -DnsServer $dnsServer", Vars(dns));
            Assert.Single(r.Errors);
            Assert.Equal(2, Results(r).Count);
        }
    }
}
