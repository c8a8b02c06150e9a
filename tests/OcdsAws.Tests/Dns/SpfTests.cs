using System;
using System.Linq;
using OcdsAws.Dns;
using Xunit;

namespace OcdsAws.Tests.Dns
{
    public class SpfTests
    {
        private const string Ses = "include:amazonses.com";

        // Apex TXT set -> action, published value, warnings (each fragment must appear in exactly one warning, and no other warnings).
        public static TheoryData<string, string[], DnsRecordAction, string, string[]> Cases => new TheoryData<string, string[], DnsRecordAction, string, string[]>
        {
            { "plain -all", new[] { "v=spf1 -all" }, DnsRecordAction.Update, "v=spf1 include:amazonses.com -all", new string[0] },
            { "Google Workspace", new[] { "v=spf1 include:_spf.google.com ~all" }, DnsRecordAction.Update,
                "v=spf1 include:_spf.google.com include:amazonses.com ~all", new string[0] },
            { "Microsoft 365", new[] { "v=spf1 include:spf.protection.outlook.com -all" }, DnsRecordAction.Update,
                "v=spf1 include:spf.protection.outlook.com include:amazonses.com -all", new string[0] },
            { "?all", new[] { "v=spf1 mx ?all" }, DnsRecordAction.Update, "v=spf1 mx include:amazonses.com ?all", new string[0] },
            { "+all", new[] { "v=spf1 include:sendgrid.net +all" }, DnsRecordAction.Update,
                "v=spf1 include:sendgrid.net include:amazonses.com +all", new[] { "ends in \"+all\", which lets any server" } },
            { "bare all", new[] { "v=spf1 a all" }, DnsRecordAction.Update, "v=spf1 a include:amazonses.com all", new[] { "ends in \"all\", which lets any server" } },
            { "already there", new[] { "v=spf1 include:_spf.google.com include:amazonses.com ~all" }, DnsRecordAction.Keep,
                "v=spf1 include:_spf.google.com include:amazonses.com ~all", new string[0] },
            { "already there, other case and +", new[] { "v=spf1  +Include:AmazonSES.com -all" }, DnsRecordAction.Keep,
                "v=spf1  +Include:AmazonSES.com -all", new string[0] },
            { "redirect only", new[] { "v=spf1 redirect=_spf.example.org" }, DnsRecordAction.Update,
                "v=spf1 include:amazonses.com redirect=_spf.example.org", new string[0] },
            { "redirect, no all", new[] { "v=spf1 a mx redirect=_spf.example.org" }, DnsRecordAction.Update,
                "v=spf1 a mx include:amazonses.com redirect=_spf.example.org", new string[0] },
            { "all before redirect", new[] { "v=spf1 mx -all redirect=_spf.example.org" }, DnsRecordAction.Update,
                "v=spf1 mx include:amazonses.com -all redirect=_spf.example.org", new string[0] },
            { "a mx ip4 ip6", new[] { "v=spf1 a mx ip4:192.0.2.0/24 ip6:2001:db8::/32 -all" }, DnsRecordAction.Update,
                "v=spf1 a mx ip4:192.0.2.0/24 ip6:2001:db8::/32 include:amazonses.com -all", new string[0] },
            { "10 lookups already", new[] { "v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net include:mailgun.org include:servers.mcsv.net include:spf.mandrillapp.com include:_spf.salesforce.com include:mail.zendesk.com ~all" },
                DnsRecordAction.Update,
                "v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net include:mailgun.org include:servers.mcsv.net include:spf.mandrillapp.com include:_spf.salesforce.com include:mail.zendesk.com include:amazonses.com ~all",
                new[] { "has 11 DNS-querying terms" } },
            { "two SPF records", new[] { "google-site-verification=abc", "v=spf1 include:_spf.google.com ~all", "v=spf1 include:mailgun.org ~all" }, DnsRecordAction.Update,
                "v=spf1 include:_spf.google.com include:amazonses.com ~all",
                new[] { "publishes 2 SPF records; receivers treat that as a permerror" } },
            { "macros", new[] { "v=spf1 exists:%{i}._spf.example.org -all" }, DnsRecordAction.Update,
                "v=spf1 exists:%{i}._spf.example.org include:amazonses.com -all", new[] { "uses macros" } },
            { "ptr", new[] { "v=spf1 ptr -all" }, DnsRecordAction.Update, "v=spf1 ptr include:amazonses.com -all", new[] { "ptr mechanism" } },
            { "no SPF, other TXT", new[] { "google-site-verification=rXOxyZounnZasA8Z7oaD3c14JdjS9aKSWvsR1EbUSIQ", "MS=ms12345678" }, DnsRecordAction.Add,
                "v=spf1 include:amazonses.com ~all", new string[0] },
            { "no TXT at all", new string[0], DnsRecordAction.Add, "v=spf1 include:amazonses.com ~all", new string[0] },
            { "v=spf10 is not SPF", new[] { "v=spf10 -all" }, DnsRecordAction.Add, "v=spf1 include:amazonses.com ~all", new string[0] },
            { "uppercase V=SPF1", new[] { "V=SPF1 MX -ALL" }, DnsRecordAction.Update, "V=SPF1 MX include:amazonses.com -ALL", new string[0] },
            { "extra spaces", new[] { "v=spf1   mx    include:_spf.google.com  ~all  " }, DnsRecordAction.Update,
                "v=spf1 mx include:_spf.google.com include:amazonses.com ~all", new string[0] },
            { "neither all nor redirect", new[] { "v=spf1 mx include:_spf.google.com" }, DnsRecordAction.Update,
                "v=spf1 mx include:_spf.google.com include:amazonses.com", new string[0] },
            { "version only", new[] { "v=spf1" }, DnsRecordAction.Update, "v=spf1 include:amazonses.com", new string[0] },
            { "exp modifier not counted, all before it", new[] { "v=spf1 mx -all exp=explain._spf.example.org" }, DnsRecordAction.Update,
                "v=spf1 mx include:amazonses.com -all exp=explain._spf.example.org", new string[0] },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void MergesAmazonSes(string name, string[] apexTxt, DnsRecordAction action, string expected, string[] warnings)
        {
            var proposal = Spf.Propose(apexTxt);

            Assert.Equal(action, proposal.Action);
            Assert.Equal(expected, proposal.ProposedValue);
            Assert.Equal(apexTxt.FirstOrDefault(Spf.IsSpfRecord), proposal.CurrentValue);
            foreach (var fragment in warnings)
                Assert.True(proposal.Warnings.Count(w => w.Contains(fragment)) == 1, $"{name}: expected one warning with '{fragment}' in: {string.Join(" | ", proposal.Warnings)}");
            Assert.True(warnings.Length == proposal.Warnings.Count, $"{name}: unexpected warnings: {string.Join(" | ", proposal.Warnings)}");
        }

        [Fact]
        public void TwoRecordsNameTheOnesToDelete()
        {
            var proposal = Spf.Propose(new[] { "v=spf1 mx -all", "v=spf1 include:mailgun.org ~all", "v=spf1 a -all" });

            Assert.Equal(new[] { "v=spf1 include:mailgun.org ~all", "v=spf1 a -all" }, proposal.RecordsToRemove);
            var warning = Assert.Single(proposal.Warnings);
            Assert.Contains("publishes 3 SPF records", warning);
            Assert.Contains("merges into the first (\"v=spf1 mx -all\"); delete the others: \"v=spf1 include:mailgun.org ~all\", \"v=spf1 a -all\"", warning);
        }

        // #15 item 2: after the merged record was imported beside the old one, a re-run keeps the merged record and
        // names the old one for deletion, whichever order DNS returns them in.
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_rerun_with_the_merged_record_beside_the_old_one_keeps_the_merged_and_deletes_the_old(bool mergedFirst)
        {
            const string Old = "v=spf1 include:_spf.google.com ~all";
            const string Merged = "v=spf1 include:_spf.google.com include:amazonses.com ~all";
            var proposal = Spf.Propose(mergedFirst ? new[] { Merged, "google-site-verification=x", Old } : new[] { Old, "google-site-verification=x", Merged });

            Assert.Equal(DnsRecordAction.Keep, proposal.Action);
            Assert.Equal(Merged, proposal.ProposedValue);
            Assert.Equal(Merged, proposal.CurrentValue);
            Assert.Equal(new[] { Old }, proposal.RecordsToRemove);
            var warning = Assert.Single(proposal.Warnings, w => w.Contains("permerror", StringComparison.Ordinal));
            Assert.EndsWith($"delete the other: \"{Old}\".", warning);
        }

        [Fact]
        public void Two_unrelated_records_still_merge_into_the_first_and_keep_its_terms()
        {
            // The record that authorises SES lacks mailgun: keeping it would drop a sender, so the first is merged into.
            var proposal = Spf.Propose(new[] { "v=spf1 include:mailgun.org ~all", "v=spf1 include:amazonses.com ~all" });
            Assert.Equal(DnsRecordAction.Update, proposal.Action);
            Assert.Equal("v=spf1 include:mailgun.org include:amazonses.com ~all", proposal.ProposedValue);
            Assert.Equal(new[] { "v=spf1 include:amazonses.com ~all" }, proposal.RecordsToRemove);
        }

        [Fact]
        public void KeepStillWarns()
        {
            var proposal = Spf.Propose(new[] { "v=spf1 include:amazonses.com +all" });
            Assert.Equal(DnsRecordAction.Keep, proposal.Action);
            Assert.Contains(proposal.Warnings, w => w.Contains("lets any server"));
        }

        [Fact]
        public void OtherMechanismsMergeTheSameWay()
        {
            var proposal = Spf.Propose(new[] { "v=spf1 -all" }, "include:spf.example.net");
            Assert.Equal("v=spf1 include:spf.example.net -all", proposal.ProposedValue);
            Assert.Equal("v=spf1 include:amazonses.com ~all", Spf.Propose(new string[0]).ProposedValue);
        }

        [Theory]
        [InlineData("v=spf1 -all", 0)]
        [InlineData("v=spf1 a mx ptr exists:%{i}.x.org include:a.org redirect=b.org", 6)]
        [InlineData("v=spf1 +a/24 -mx:mail.example.org/24 ~include:x.org ip4:192.0.2.1 exp=x.example.org all", 3)]
        public void CountsLookups(string record, int count) => Assert.Equal(count, Spf.CountLookups(record));

        [Theory]
        [InlineData("v=spf1", true)]
        [InlineData("v=spf1 -all", true)]
        [InlineData("V=SPF1 -all", true)]
        [InlineData("v=spf10 -all", false)]
        [InlineData(" v=spf1 -all", false)]
        [InlineData("v=DMARC1; p=none", false)]
        public void RecognisesSpfRecords(string txt, bool expected) => Assert.Equal(expected, Spf.IsSpfRecord(txt));

        [Fact]
        public void TableHasEnoughRealWorldRecords() => Assert.True(Cases.Count() >= 14);

        [Fact]
        public void DefaultMechanismIsAmazonSes() => Assert.Equal(Ses, Spf.AmazonSes);
    }
}
