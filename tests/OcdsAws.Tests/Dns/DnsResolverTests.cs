using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Dns;
using Xunit;

namespace OcdsAws.Tests.Dns
{
    [Collection(OcdsAws.Tests.Measured.Timing.Collection)] // times a Ctrl+C / cancellation: runs alone
    public class DnsResolverTests
    {
        private static readonly CancellationToken None = CancellationToken.None;

        [Fact]
        public async Task TxtCharacterStringsAreJoinedWithoutSpaces()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.test");
            dns.AddTxt("example.test", "v=spf1 include:_spf.google.com ", "include:amazonses.com ~all");
            dns.Add("example.test", "TXT", "google-site-verification=abc");

            var lookup = await dns.CreateResolver().QueryAsync("example.test", "TXT", None);

            Assert.True(lookup.Reachable);
            Assert.True(lookup.NameExists);
            Assert.Equal(new[] { "v=spf1 include:_spf.google.com include:amazonses.com ~all", "google-site-verification=abc" },
                lookup.Answers.Select(a => a.Value).ToArray());
            Assert.All(lookup.Answers, a => Assert.Equal("TXT", a.Type));
            Assert.All(lookup.Answers, a => Assert.Equal("example.test", a.Name));
            Assert.Equal($"127.0.0.1:{dns.Port}", lookup.Server);
        }

        [Fact]
        public async Task LongTxtRecordsComeBackWhole()
        {
            var dkim = "v=DKIM1; k=rsa; p=" + new string('A', 400);
            using var dns = new LoopbackDnsServer().AddZone("example.test").Add("sel._domainkey.example.test", "TXT", dkim);

            var lookup = await dns.CreateResolver().QueryAsync("sel._domainkey.example.test", "TXT", None);

            Assert.Equal(dkim, Assert.Single(lookup.Answers).Value);
        }

        [Fact]
        public async Task MxHasPriorityAndHostWithoutTrailingDot()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.test");
            dns.Add("example.test", "MX", "10 inbound-smtp.eu-west-1.amazonaws.com.", ttl: 600).Add("example.test", "MX", "20 backup.example.test");

            var lookup = await dns.CreateResolver().QueryAsync("Example.Test.", "mx", None);

            Assert.Equal(new[] { "10 inbound-smtp.eu-west-1.amazonaws.com 600", "20 backup.example.test 300" },
                lookup.Answers.Select(a => $"{a.Priority} {a.Value} {a.Ttl}").ToArray());
        }

        [Fact]
        public async Task OtherTypesInPresentationForm()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.test");
            dns.Add("www.example.test", "A", "192.0.2.10").Add("www.example.test", "AAAA", "2001:db8::10")
                .Add("abc._domainkey.example.test", "CNAME", "abc.dkim.amazonses.com");
            var resolver = dns.CreateResolver();

            Assert.Equal("192.0.2.10", Assert.Single((await resolver.QueryAsync("www.example.test", "A", None)).Answers).Value);
            Assert.Equal("2001:db8::10", Assert.Single((await resolver.QueryAsync("www.example.test", "AAAA", None)).Answers).Value);
            Assert.Equal("abc.dkim.amazonses.com", Assert.Single((await resolver.QueryAsync("abc._domainkey.example.test", "CNAME", None)).Answers).Value);
            Assert.Equal("ns1.example.test", Assert.Single((await resolver.QueryAsync("example.test", "NS", None)).Answers).Value);
            Assert.Equal("ns1.example.test hostmaster.example.test 1 3600 600 86400 300",
                Assert.Single((await resolver.QueryAsync("example.test", "SOA", None)).Answers).Value);
        }

        [Fact]
        public async Task PunycodeNamesStayAscii()
        {
            using var dns = new LoopbackDnsServer().AddZone("xn--bcher-kva.example").Add("xn--bcher-kva.example", "MX", "10 mail.xn--bcher-kva.example");

            var lookup = await dns.CreateResolver().QueryAsync("xn--bcher-kva.example", "MX", None);

            var mx = Assert.Single(lookup.Answers);
            Assert.Equal("xn--bcher-kva.example", mx.Name);
            Assert.Equal("mail.xn--bcher-kva.example", mx.Value);
        }

        [Fact]
        public async Task NxDomainAndNoData()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.test").Add("www.example.test", "A", "192.0.2.1");
            var resolver = dns.CreateResolver();

            var missing = await resolver.QueryAsync("nothing.example.test", "TXT", None);
            Assert.True(missing.Reachable);
            Assert.False(missing.NameExists);
            Assert.Empty(missing.Answers);
            Assert.Null(missing.Error);

            var noTxt = await resolver.QueryAsync("www.example.test", "TXT", None);
            Assert.True(noTxt.Reachable);
            Assert.True(noTxt.NameExists);
            Assert.Empty(noTxt.Answers);
        }

        [Fact]
        public async Task SilentServerIsUnreachableWithinThreeSeconds()
        {
            using var silent = new SilentUdpPort();
            var resolver = new DnsResolver(new[] { silent.Endpoint });

            var clock = Stopwatch.StartNew();
            var lookup = await resolver.QueryAsync("example.test", "TXT", None);
            clock.Stop();

            Assert.False(lookup.Reachable);
            Assert.False(lookup.NameExists);
            Assert.Empty(lookup.Answers);
            Assert.Contains(silent.Endpoint.ToString(), lookup.Error);
            Assert.Contains("example.test TXT", lookup.Error);
            // Two tries of 1.5 s; the margin is for a busy test machine.
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(4));
        }

        [Fact]
        public async Task RefusalIsUnreachableNotAnException()
        {
            using var dns = new LoopbackDnsServer { Refuse = true };

            var lookup = await dns.CreateResolver().QueryAsync("example.test", "MX", None);

            Assert.False(lookup.Reachable);
            Assert.Contains("Refused", lookup.Error);
            Assert.Contains($"127.0.0.1:{dns.Port}", lookup.Error);
        }

        [Fact]
        public async Task CancellationIsNotSwallowed()
        {
            using var silent = new SilentUdpPort();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var resolver = new DnsResolver(new[] { silent.Endpoint });

            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.QueryAsync("example.test", "TXT", cancel.Token));
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }

        [Fact]
        public async Task UnsupportedTypeIsAProgrammingError()
        {
            using var dns = new LoopbackDnsServer();
            await Assert.ThrowsAsync<ArgumentException>(() => dns.CreateResolver().QueryAsync("example.test", "SRV", None));
        }

        [Fact]
        public async Task FindZoneFromADeepNameUsesTheAuthoritySoa()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.test").AddZone("sub.example.test");
            var resolver = dns.CreateResolver();

            Assert.Equal("example.test", await resolver.FindZoneAsync("a.b.c._domainkey.example.test", None));
            Assert.Equal(1, resolver.QueryCount); // NXDOMAIN carried the zone's SOA: no walk needed
            Assert.Equal("example.test", await resolver.FindZoneAsync("example.test.", None));
            Assert.Equal("sub.example.test", await resolver.FindZoneAsync("x.y.sub.example.test", None));
            Assert.Null(await resolver.FindZoneAsync("elsewhere.invalid", None));
        }

        [Fact]
        public async Task FindZoneOfUnreachableDnsThrowsDnsUnavailable()
        {
            using var dns = new LoopbackDnsServer { Refuse = true };
            var e = await Assert.ThrowsAsync<DnsUnavailableException>(() => dns.CreateResolver().FindZoneAsync("example.test", None));
            Assert.Contains("Refused", e.Message);
        }

        [Fact]
        public async Task AuthoritativeForAsksTheZonesServerWithoutRecursion()
        {
            // "Recursive" server: knows the delegation, whose glue points at 127.0.0.1, where the zone's own server listens.
            using var zoneServer = new LoopbackDnsServer().AddZone("example.test").Add("example.test", "TXT", "v=spf1 -all");
            using var recursive = new LoopbackDnsServer()
                .Add("example.test", "NS", "ns1.example.test").Add("example.test", "NS", "ns2.example.test")
                .Add("ns1.example.test", "A", "127.0.0.1").Add("ns2.example.test", "A", "127.0.0.1");
            var resolver = new DnsResolver(new[] { recursive.Endpoint }) { AuthoritativePort = zoneServer.Port };

            var authoritative = await resolver.AuthoritativeForAsync("example.test", None);
            Assert.True(authoritative.IsAuthoritative);
            Assert.Equal($"127.0.0.1:{zoneServer.Port}", authoritative.Servers); // both NS share the address: asked once
            Assert.Equal(1, resolver.QueryCount); // the NS answer carried glue: no address lookups

            var txt = await authoritative.QueryAsync("example.test", "TXT", None);

            Assert.Equal("v=spf1 -all", Assert.Single(txt.Answers).Value);
            var asked = Assert.Single(zoneServer.Queries);
            Assert.Equal(new ReceivedQuery("example.test", "TXT", false), asked);
            Assert.All(recursive.Queries, q => Assert.True(q.RecursionDesired));
            Assert.Equal(1, authoritative.QueryCount);
            Assert.Equal(2, resolver.QueryCount); // the parent counts the child's queries too
        }

        [Fact]
        public async Task AuthoritativeForLooksUpNameServersWithoutGlue()
        {
            using var zoneServer = new LoopbackDnsServer().AddZone("example.test", "ns.dns-host.test");
            using var recursive = new LoopbackDnsServer { Glue = false }.Add("example.test", "NS", "ns.dns-host.test").Add("ns.dns-host.test", "A", "127.0.0.1");
            var resolver = new DnsResolver(new[] { recursive.Endpoint }) { AuthoritativePort = zoneServer.Port };

            var authoritative = await resolver.AuthoritativeForAsync("example.test", None);

            Assert.Equal($"127.0.0.1:{zoneServer.Port}", authoritative.Servers);
            Assert.Equal(new[] { "example.test NS", "ns.dns-host.test A" }, recursive.Queries.Select(q => q.Name + " " + q.Type).ToArray());
        }

        [Fact]
        public async Task AuthoritativeForAZoneWithoutNameServersThrows()
        {
            using var dns = new LoopbackDnsServer();
            var e = await Assert.ThrowsAsync<DnsUnavailableException>(() => dns.CreateResolver().AuthoritativeForAsync("example.test", None));
            Assert.Contains("no name servers", e.Message);
        }

        [Fact]
        public async Task QueryCountCountsQuestionsAsked()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.test");
            var resolver = dns.CreateResolver();
            Assert.Equal(0, resolver.QueryCount);

            await Task.WhenAll(Enumerable.Range(0, 5).Select(i => resolver.QueryAsync($"h{i}.example.test", "A", None)));

            Assert.Equal(5, resolver.QueryCount);
            Assert.Equal(5, dns.QueryCount);
            Assert.Empty(dns.Errors);
        }
    }
}
