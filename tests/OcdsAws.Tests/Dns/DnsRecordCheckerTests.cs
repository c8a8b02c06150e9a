using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Dns;
using Xunit;

namespace OcdsAws.Tests.Dns
{
    public class DnsRecordCheckerTests
    {
        private static readonly CancellationToken None = CancellationToken.None;

        private static DnsRecord Record(string name, string type, string value, int? priority = null, DnsRecordAction action = DnsRecordAction.Add)
            => new DnsRecord { Zone = "example.test", Name = name, Type = type, Value = value, Priority = priority, Action = action, Purpose = "test" };

        private static LoopbackDnsServer Zone() => new LoopbackDnsServer().AddZone("example.test")
            .Add("abc._domainkey.example.test", "CNAME", "abc.dkim.amazonses.com.")
            .Add("ghi._domainkey.example.test", "CNAME", "ghi.dkim.example.net")
            .Add("example.test", "MX", "10 inbound-smtp.eu-west-1.amazonaws.com")
            .Add("example.test", "TXT", "google-site-verification=abc")
            .Add("example.test", "TXT", "v=spf1 -all")
            .Add("example.test", "TXT", "v=spf1 include:mailgun.org ~all")
            .Add("mail.example.test", "CNAME", "elsewhere.example.net");

        // #15 item 2: the merged SPF record beside the old one is no SPF at all (RFC 7208 §4.5), never Present.
        [Fact]
        public async Task Two_spf_records_are_a_conflict_that_names_the_old_one_to_delete()
        {
            const string Old = "v=spf1 include:_spf.google.com ~all";
            const string Merged = "v=spf1 include:_spf.google.com include:amazonses.com ~all";
            using var dns = new LoopbackDnsServer().AddZone("example.test")
                .Add("example.test", "TXT", Old).Add("example.test", "TXT", Merged).Add("example.test", "TXT", "google-site-verification=abc");
            var records = new[]
            {
                Record("example.test", "TXT", Merged, action: DnsRecordAction.Update),
                Record("example.test", "TXT", Old, action: DnsRecordAction.Remove),
                Record("example.test", "TXT", "google-site-verification=abc"),
            };

            var checks = await DnsRecordChecker.CheckAsync(records, dns.CreateResolver(), None);

            Assert.Equal(DnsRecordStatus.Conflict, checks[0].Status);
            Assert.Equal(new[] { Old, Merged }.OrderBy(v => v), checks[0].Found.OrderBy(v => v));
            Assert.Contains($"keep \"{Merged}\" and delete \"{Old}\"", checks[0].Error);
            Assert.Equal(DnsRecordStatus.Present, checks[1].Status); // a record to remove that is still there
            Assert.Equal(DnsRecordStatus.Present, checks[2].Status); // other TXT records are not SPF records

            // Once the old one is deleted, the merged one is Present.
            using var fixedDns = new LoopbackDnsServer().AddZone("example.test").Add("example.test", "TXT", Merged);
            var after = await DnsRecordChecker.CheckAsync(records.Take(2), fixedDns.CreateResolver(), None);
            Assert.Equal(new[] { DnsRecordStatus.Present, DnsRecordStatus.Missing }, after.Select(c => c.Status));
            Assert.Null(after[0].Error);
        }

        [Fact]
        public async Task PresentMissingDifferent()
        {
            using var dns = Zone();
            var records = new[]
            {
                Record("abc._domainkey.example.test", "CNAME", "abc.dkim.amazonses.com"),
                Record("ABC._domainkey.Example.Test.", "cname", "ABC.dkim.amazonses.com."), // case and trailing dots do not matter for hosts
                Record("def._domainkey.example.test", "CNAME", "def.dkim.amazonses.com"),
                Record("ghi._domainkey.example.test", "CNAME", "ghi.dkim.amazonses.com"),
                Record("example.test", "MX", "inbound-smtp.eu-west-1.amazonaws.com.", priority: 10),
                Record("example.test", "MX", "inbound-smtp.eu-west-1.amazonaws.com", priority: 20),
                Record("example.test", "TXT", "v=spf1 -all"),
                Record("example.test", "TXT", "v=spf1 include:amazonses.com -all", action: DnsRecordAction.Update),
                Record("example.test", "TXT", "V=SPF1 -ALL"), // TXT is exact text
                Record("_dmarc.example.test", "TXT", "v=DMARC1; p=none"),
                Record("mail.example.test", "TXT", "v=spf1 include:amazonses.com ~all"),
            };

            var checks = await DnsRecordChecker.CheckAsync(records, dns.CreateResolver(), None);

            Assert.Equal(new[]
            {
                "abc._domainkey.example.test CNAME abc.dkim.amazonses.com: Present [abc.dkim.amazonses.com]",
                "ABC._domainkey.Example.Test. cname ABC.dkim.amazonses.com: Present [abc.dkim.amazonses.com]",
                "def._domainkey.example.test CNAME def.dkim.amazonses.com: Missing []",
                "ghi._domainkey.example.test CNAME ghi.dkim.amazonses.com: Different [ghi.dkim.example.net]",
                "example.test MX 10 inbound-smtp.eu-west-1.amazonaws.com: Present [10 inbound-smtp.eu-west-1.amazonaws.com]",
                "example.test MX 20 inbound-smtp.eu-west-1.amazonaws.com: Different [10 inbound-smtp.eu-west-1.amazonaws.com]",
                "example.test TXT v=spf1 -all: Conflict [v=spf1 -all | v=spf1 include:mailgun.org ~all]",
                "example.test TXT v=spf1 include:amazonses.com -all: Conflict [v=spf1 -all | v=spf1 include:mailgun.org ~all]",
                "example.test TXT V=SPF1 -ALL: Conflict [v=spf1 -all | v=spf1 include:mailgun.org ~all]",
                "_dmarc.example.test TXT v=DMARC1; p=none: Missing []",
                "mail.example.test TXT v=spf1 include:amazonses.com ~all: Different [CNAME elsewhere.example.net]",
            }, checks.Select(c => $"{c.Name} {c.Type} {c.Expected}: {c.Status} [{string.Join(" | ", c.Found)}]").ToArray());
            Assert.All(checks, c => Assert.Equal($"127.0.0.1:{dns.Port}", c.Server));
            // Error says why only for a Conflict (which records to delete); the others have none.
            Assert.All(checks, c => Assert.Equal(c.Status == DnsRecordStatus.Conflict, c.Error != null));
            Assert.Same(records[0], checks[0].Record);
            Assert.Equal(records.Length, dns.QueryCount); // explicit server: asked directly, one question per record
        }

        [Fact]
        public async Task RemoveIsPresentWhileTheRecordStillExists()
        {
            using var dns = Zone();
            var records = new[]
            {
                Record("example.test", "TXT", "v=spf1 include:mailgun.org ~all", action: DnsRecordAction.Remove),
                Record("example.test", "TXT", "v=spf1 include:sendgrid.net ~all", action: DnsRecordAction.Remove),
                Record("ghi._domainkey.example.test", "CNAME", "", action: DnsRecordAction.Remove), // any value
                Record("def._domainkey.example.test", "CNAME", "", action: DnsRecordAction.Remove),
            };

            var checks = await DnsRecordChecker.CheckAsync(records, dns.CreateResolver(), None);

            Assert.Equal(new[] { DnsRecordStatus.Present, DnsRecordStatus.Missing, DnsRecordStatus.Present, DnsRecordStatus.Missing },
                checks.Select(c => c.Status).ToArray());

            dns.Remove("example.test", "TXT");
            Assert.Equal(DnsRecordStatus.Missing, (await DnsRecordChecker.CheckAsync(records.Take(1), dns.CreateResolver(), None)).Single().Status);
        }

        [Fact]
        public async Task DefaultAsksTheZonesOwnServers()
        {
            // The "recursive" server knows the zone's SOA and NS (glue 127.0.0.1) but has stale data;
            // the zone's own server, on the port the glue cannot say, has the truth.
            using var zoneServer = Zone();
            using var recursive = new LoopbackDnsServer().AddZone("example.test")
                .Add("abc._domainkey.example.test", "CNAME", "stale.example.net");
            var resolver = new DnsResolver(new[] { recursive.Endpoint }) { AuthoritativePort = zoneServer.Port };
            var records = new[]
            {
                Record("abc._domainkey.example.test", "CNAME", "abc.dkim.amazonses.com"),
                Record("def._domainkey.example.test", "CNAME", "def.dkim.amazonses.com"),
                Record("example.test", "MX", "inbound-smtp.eu-west-1.amazonaws.com", priority: 10),
            };

            var checks = await DnsRecordChecker.CheckAsync(records, resolver, authoritative: true, None);

            Assert.Equal(new[] { DnsRecordStatus.Present, DnsRecordStatus.Missing, DnsRecordStatus.Present }, checks.Select(c => c.Status).ToArray());
            Assert.All(checks, c => Assert.Equal($"127.0.0.1:{zoneServer.Port}", c.Server));
            Assert.Equal(new[] { "abc._domainkey.example.test CNAME", "def._domainkey.example.test CNAME", "example.test MX" },
                zoneServer.Queries.Select(q => $"{q.Name} {q.Type}").ToArray());
            Assert.All(zoneServer.Queries, q => Assert.False(q.RecursionDesired));
            // One SOA question per name (the zone comes back in the authority section), except where the name is a
            // CNAME (the answer is the alias, without the zone's SOA: walk up one label); the NS set once per zone.
            Assert.Equal(new[] { "abc._domainkey.example.test SOA", "_domainkey.example.test SOA", "example.test NS", "def._domainkey.example.test SOA", "example.test SOA" },
                recursive.Queries.Select(q => $"{q.Name} {q.Type}").ToArray());
            Assert.Equal(8, resolver.QueryCount);
        }

        [Fact]
        public async Task UnreachableDnsIsAStatusNotAnException()
        {
            using var silent = new SilentUdpPort();
            var records = new[] { Record("example.test", "MX", "inbound-smtp.eu-west-1.amazonaws.com", priority: 10) };

            var direct = Assert.Single(await DnsRecordChecker.CheckAsync(records, new DnsResolver(new[] { silent.Endpoint }), None));
            Assert.Equal(DnsRecordStatus.Unreachable, direct.Status);
            Assert.Empty(direct.Found);
            Assert.Contains(silent.Endpoint.ToString(), direct.Error);

            using var refusing = new LoopbackDnsServer { Refuse = true };
            var viaZone = Assert.Single(await DnsRecordChecker.CheckAsync(records, refusing.CreateResolver(), authoritative: true, None));
            Assert.Equal(DnsRecordStatus.Unreachable, viaZone.Status);
            Assert.Contains("Refused", viaZone.Error);
        }

        [Fact]
        public async Task UnregisteredDomainIsUnreachableWithAReason()
        {
            using var dns = new LoopbackDnsServer(); // knows no zone at all
            var check = Assert.Single(await DnsRecordChecker.CheckAsync(new[] { Record("example.test", "TXT", "v=spf1 -all") }, dns.CreateResolver(), authoritative: true, None));
            Assert.Equal(DnsRecordStatus.Unreachable, check.Status);
            Assert.Contains("No DNS zone holds example.test", check.Error);
        }

        [Theory]
        [InlineData("example.test", "SRV", "has the type 'SRV', which cannot be checked")]
        [InlineData("example.test", "", "has the type ''")]
        [InlineData("", "TXT", "has no Name")]
        public async Task BadRecordsFailBeforeAnyQuery(string name, string type, string reason)
        {
            using var dns = Zone();
            var records = new[] { Record("example.test", "TXT", "v=spf1 -all"), Record(name, type, "x") };

            var e = await Assert.ThrowsAsync<ValidationException>(() => DnsRecordChecker.CheckAsync(records, dns.CreateResolver(), None));

            Assert.Equal("InvalidDnsRecord", e.ErrorId);
            Assert.Contains(reason, e.Message);
            Assert.Equal(0, dns.QueryCount);
        }

        [Fact]
        public void CheckIsAPublicObjectWithBindableProperties()
        {
            var record = Record("example.test", "MX", "inbound-smtp.eu-west-1.amazonaws.com.", priority: 10);
            var check = new DnsRecordCheck(record, DnsRecordStatus.Missing, new string[0], "127.0.0.1:53", null);

            Assert.True(typeof(DnsRecordCheck).IsPublic && typeof(DnsRecordCheck).IsSealed && typeof(DnsRecordStatus).IsPublic);
            foreach (var name in new[] { "Name", "Type", "Expected", "Status", "Found", "Record", "Server", "Error" })
                Assert.NotNull(typeof(DnsRecordCheck).GetProperty(name));
            Assert.Equal("10 inbound-smtp.eu-west-1.amazonaws.com", check.Expected);
            Assert.Equal("example.test MX 10 inbound-smtp.eu-west-1.amazonaws.com: Missing", check.ToString());
        }
    }
}
