using System;
using System.Collections.Generic;
using System.Text.Json;
using OcdsAws.Dns;
using Xunit;

namespace OcdsAws.Tests.Dns
{
    public class DnsRecordExportTests
    {
        private static DnsRecord[] Records() => new[]
        {
            new DnsRecord { Zone = "example.org", Name = "abc._domainkey.example.org", HostLabel = "abc._domainkey", Type = "CNAME",
                Value = "abc.dkim.amazonses.com", Ttl = 1800, Purpose = "Easy DKIM", Action = DnsRecordAction.Add },
            new DnsRecord { Zone = "example.org", Name = "example.org", HostLabel = "@", Type = "MX", Value = "inbound-smtp.eu-west-1.amazonaws.com",
                Priority = 10, Purpose = "Inbound mail", Action = DnsRecordAction.Add },
            new DnsRecord { Zone = "example.org", Name = "example.org", Type = "TXT", Value = "v=spf1 include:_spf.google.com include:amazonses.com ~all",
                Purpose = "SPF, merged", Action = DnsRecordAction.Update, CurrentValue = "v=spf1 include:_spf.google.com ~all" },
            new DnsRecord { Zone = "example.org", Name = "_dmarc.example.org", Type = "TXT", Value = "v=DMARC1; p=none; rua=mailto:dmarc@example.org",
                Ttl = 300, Purpose = "DMARC \"monitor\"", Action = DnsRecordAction.Add },
            new DnsRecord { Zone = "example.org", Name = "example.org", HostLabel = "@", Type = "TXT", Value = "v=spf1 include:mailgun.org ~all",
                Purpose = "Second SPF record", Action = DnsRecordAction.Remove },
        };

        [Fact]
        public void Bind()
        {
            Assert.Equal(
                "abc._domainkey.example.org. 1800 IN CNAME abc.dkim.amazonses.com.\n" +
                "example.org. 3600 IN MX 10 inbound-smtp.eu-west-1.amazonaws.com.\n" +
                // #15 item 2: imported as written, an update adds nothing beside the record it replaces.
                "; update: edit the existing record at your DNS host (do not add a second one): replace\n" +
                ";   example.org. IN TXT \"v=spf1 include:_spf.google.com ~all\"\n" +
                "; with\n" +
                ";   example.org. 3600 IN TXT \"v=spf1 include:_spf.google.com include:amazonses.com ~all\"\n" +
                "_dmarc.example.org. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@example.org\"\n" +
                "; remove: delete this record at your DNS host: example.org. 3600 IN TXT \"v=spf1 include:mailgun.org ~all\"\n",
                DnsRecordExport.ToBind(Records()));
        }

        [Fact]
        public void Bind_writes_a_record_to_keep_as_a_comment()
        {
            var keep = new DnsRecord { Name = "example.org", Type = "TXT", Value = "v=spf1 include:amazonses.com ~all", Ttl = 60, Action = DnsRecordAction.Keep };
            Assert.Equal("; keep: already published, nothing to do: example.org. 60 IN TXT \"v=spf1 include:amazonses.com ~all\"\n", DnsRecordExport.ToBind(new[] { keep }));
        }

        [Fact]
        public void BindSplitsLongTxtInto255ByteStringsAndEscapes()
        {
            var key = "v=DKIM1; k=rsa; p=" + new string('A', 282); // 300 bytes
            var records = new[]
            {
                new DnsRecord { Name = "sel._domainkey.example.org.", Type = "TXT", Value = key, Ttl = 60 },
                new DnsRecord { Name = "example.org", Type = "TXT", Value = "say \"hi\" \\ ü", Ttl = 60 },
            };

            Assert.Equal(
                $"sel._domainkey.example.org. 60 IN TXT \"{key.Substring(0, 255)}\" \"{key.Substring(255)}\"\n" +
                "example.org. 60 IN TXT \"say \\\"hi\\\" \\\\ \\195\\188\"\n",
                DnsRecordExport.ToBind(records));
        }

        [Fact]
        public void Csv()
        {
            Assert.Equal(
                "Type,Host,Value,Priority,TTL,Action,Purpose,CurrentValue\r\n" +
                "CNAME,abc._domainkey,abc.dkim.amazonses.com,,1800,Add,Easy DKIM,\r\n" +
                "MX,@,inbound-smtp.eu-west-1.amazonaws.com,10,3600,Add,Inbound mail,\r\n" +
                "TXT,@,v=spf1 include:_spf.google.com include:amazonses.com ~all,,3600,Update,\"SPF, merged\",v=spf1 include:_spf.google.com ~all\r\n" +
                "TXT,_dmarc,v=DMARC1; p=none; rua=mailto:dmarc@example.org,,300,Add,\"DMARC \"\"monitor\"\"\",\r\n" +
                "TXT,@,v=spf1 include:mailgun.org ~all,,3600,Remove,Second SPF record,\r\n",
                DnsRecordExport.ToCsv(Records()));
        }

        [Fact]
        public void Json()
        {
            var json = DnsRecordExport.ToJson(Records()[1..3]);

            Assert.Equal(
                "[\n" +
                "  {\n" +
                "    \"Zone\": \"example.org\",\n" +
                "    \"Name\": \"example.org\",\n" +
                "    \"HostLabel\": \"@\",\n" +
                "    \"Type\": \"MX\",\n" +
                "    \"Value\": \"inbound-smtp.eu-west-1.amazonaws.com\",\n" +
                "    \"Priority\": 10,\n" +
                "    \"Ttl\": null,\n" +
                "    \"Purpose\": \"Inbound mail\",\n" +
                "    \"Action\": \"Add\",\n" +
                "    \"CurrentValue\": null\n" +
                "  },\n" +
                "  {\n" +
                "    \"Zone\": \"example.org\",\n" +
                "    \"Name\": \"example.org\",\n" +
                "    \"HostLabel\": \"@\",\n" +
                "    \"Type\": \"TXT\",\n" +
                "    \"Value\": \"v=spf1 include:_spf.google.com include:amazonses.com ~all\",\n" +
                "    \"Priority\": null,\n" +
                "    \"Ttl\": null,\n" +
                "    \"Purpose\": \"SPF, merged\",\n" +
                "    \"Action\": \"Update\",\n" +
                "    \"CurrentValue\": \"v=spf1 include:_spf.google.com ~all\"\n" +
                "  }\n" +
                "]\n",
                json);
        }

        [Fact]
        public void JsonReadsBackAsDnsRecords()
        {
            var back = JsonSerializer.Deserialize<DnsRecord[]>(DnsRecordExport.ToJson(Records()),
                new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } })!;

            Assert.Equal(5, back.Length);
            Assert.Equal("DMARC \"monitor\"", back[3].Purpose);
            Assert.Equal(DnsRecordAction.Remove, back[4].Action);
            Assert.Equal("_dmarc", back[3].HostLabel);
        }

        [Fact]
        public void SameInputSameText()
        {
            Assert.Equal(DnsRecordExport.ToBind(Records()), DnsRecordExport.ToBind(Records()));
            Assert.Equal(DnsRecordExport.ToCsv(Records()), DnsRecordExport.ToCsv(Records()));
            Assert.Equal(DnsRecordExport.ToJson(Records()), DnsRecordExport.ToJson(Records()));
            Assert.Equal("[]\n", DnsRecordExport.ToJson(new DnsRecord[0]));
            Assert.Equal("", DnsRecordExport.ToBind(new DnsRecord[0]));
        }

        // Issue #16 item 6: every field is checked before a line is written, in every format; a newline in a name
        // would otherwise start a zone-file line of the caller's choosing.
        public static TheoryData<string, DnsRecord, string> BadRecords() => new()
        {
            { "newline in Name", new DnsRecord { Name = "www.example.org\nexample.org. 60 IN TXT \"injected\"", Type = "A", Value = "192.0.2.1" }, "Name" },
            { "carriage return in Name", new DnsRecord { Name = "www.example.org\r", Type = "A", Value = "192.0.2.1" }, "Name" },
            { "space in Name", new DnsRecord { Name = "www example.org", Type = "A", Value = "192.0.2.1" }, "Name" },
            { "semicolon in Name", new DnsRecord { Name = "www;.example.org", Type = "A", Value = "192.0.2.1" }, "Name" },
            { "empty Name", new DnsRecord { Name = "", Type = "TXT", Value = "x" }, "has no Name" },
            { "empty Type", new DnsRecord { Name = "example.org", Type = "", Value = "x" }, "has no Type" },
            { "Type with a newline", new DnsRecord { Name = "example.org", Type = "TXT\nexample.org. 60 IN A", Value = "x" }, "Type" },
            { "unknown Type", new DnsRecord { Name = "example.org", Type = "SRV", Value = "0 5 5060 sip.example.org" }, "SRV" },
            { "empty Value", new DnsRecord { Name = "example.org", Type = "TXT", Value = "" }, "has no Value" },
            { "newline in an A Value", new DnsRecord { Name = "www.example.org", Type = "A", Value = "192.0.2.1\nwww.example.org. 60 IN A 203.0.113.9" }, "IPv4" },
            { "host name in an A Value", new DnsRecord { Name = "www.example.org", Type = "A", Value = "www.example.net" }, "IPv4" },
            { "short IPv4 in an A Value", new DnsRecord { Name = "www.example.org", Type = "A", Value = "1" }, "IPv4" },
            { "IPv4 in an AAAA Value", new DnsRecord { Name = "www.example.org", Type = "AAAA", Value = "192.0.2.1" }, "IPv6" },
            { "newline in a CNAME Value", new DnsRecord { Name = "www.example.org", Type = "CNAME", Value = "x.example.net\n@ 60 IN NS evil.example" }, "Value" },
            { "space in an MX Value", new DnsRecord { Name = "example.org", Type = "MX", Value = "10 mx.example.org", Priority = 10 }, "Value" },
            { "negative TTL", new DnsRecord { Name = "example.org", Type = "TXT", Value = "x", Ttl = -1 }, "TTL" },
            { "negative Priority", new DnsRecord { Name = "example.org", Type = "MX", Value = "mx.example.org", Priority = -10 }, "Priority" },
            { "Priority beyond 16 bits", new DnsRecord { Name = "example.org", Type = "MX", Value = "mx.example.org", Priority = 65536 }, "Priority" },
            { "newline in HostLabel", new DnsRecord { Zone = "example.org", Name = "www.example.org", HostLabel = "www\nevil", Type = "A", Value = "192.0.2.1" }, "HostLabel" },
            { "newline in Zone", new DnsRecord { Zone = "example.org\nevil", Name = "www.example.org", Type = "A", Value = "192.0.2.1" }, "Zone" },
            { "newline in Purpose", new DnsRecord { Name = "example.org", Type = "TXT", Value = "x", Purpose = "SPF\nexample.org,TXT" }, "Purpose" },
            { "newline in a CNAME CurrentValue", new DnsRecord { Name = "www.example.org", Type = "CNAME", Value = "a.example.net", Action = DnsRecordAction.Update,
                CurrentValue = "b.example.net\nwww.example.org. 60 IN A 203.0.113.9" }, "CurrentValue" },
        };

        [Theory]
        [MemberData(nameof(BadRecords))]
        public void Refuses_a_record_it_cannot_write_safely_in_every_format(string why, DnsRecord record, string fragment)
        {
            var records = new[] { Records()[0], record };
            foreach (var format in new Func<IEnumerable<DnsRecord>, string>[] { DnsRecordExport.ToBind, DnsRecordExport.ToCsv, DnsRecordExport.ToJson })
            {
                var e = Assert.Throws<ValidationException>(() => format(records));
                Assert.Equal("InvalidDnsRecord", e.ErrorId);
                Assert.True(e.Message.Contains(fragment, StringComparison.Ordinal), $"{why}: {e.Message}");
                Assert.DoesNotContain("\n", e.Message, StringComparison.Ordinal); // the message shows a line break as \n, never as one
            }
        }

        [Fact]
        public void A_txt_value_with_line_breaks_is_escaped_inside_its_quotes_and_stays_one_line()
        {
            var text = DnsRecordExport.ToBind(new[] { new DnsRecord { Name = "example.org", Type = "TXT", Value = "a\nexample.org. 60 IN A 203.0.113.9", Ttl = 60 } });
            Assert.Equal("example.org. 60 IN TXT \"a\\010example.org. 60 IN A 203.0.113.9\"\n", text);
        }
    }
}
