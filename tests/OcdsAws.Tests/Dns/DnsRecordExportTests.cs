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
                "; replaces: \"v=spf1 include:_spf.google.com ~all\"\n" +
                "example.org. 3600 IN TXT \"v=spf1 include:_spf.google.com include:amazonses.com ~all\"\n" +
                "_dmarc.example.org. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@example.org\"\n" +
                "; remove: example.org. 3600 IN TXT \"v=spf1 include:mailgun.org ~all\"\n",
                DnsRecordExport.ToBind(Records()));
        }

        [Fact]
        public void BindSplitsLongTxtInto255ByteStringsAndEscapes()
        {
            var key = "v=DKIM1; k=rsa; p=" + new string('A', 282); // 300 bytes
            var records = new[]
            {
                new DnsRecord { Name = "sel._domainkey.example.org.", Type = "TXT", Value = key, Ttl = 60 },
                new DnsRecord { Name = "example.org", Type = "TXT", Value = "say \"hi\" \\ ü", Ttl = 60 },
                new DnsRecord { Name = "example.org", Type = "TXT", Value = "", Ttl = 60 },
            };

            Assert.Equal(
                $"sel._domainkey.example.org. 60 IN TXT \"{key.Substring(0, 255)}\" \"{key.Substring(255)}\"\n" +
                "example.org. 60 IN TXT \"say \\\"hi\\\" \\\\ \\195\\188\"\n" +
                "example.org. 60 IN TXT \"\"\n",
                DnsRecordExport.ToBind(records));
        }

        [Fact]
        public void Csv()
        {
            Assert.Equal(
                "Type,Host,Value,Priority,TTL,Action,Purpose\r\n" +
                "CNAME,abc._domainkey,abc.dkim.amazonses.com,,1800,Add,Easy DKIM\r\n" +
                "MX,@,inbound-smtp.eu-west-1.amazonaws.com,10,3600,Add,Inbound mail\r\n" +
                "TXT,@,v=spf1 include:_spf.google.com include:amazonses.com ~all,,3600,Update,\"SPF, merged\"\r\n" +
                "TXT,_dmarc,v=DMARC1; p=none; rua=mailto:dmarc@example.org,,300,Add,\"DMARC \"\"monitor\"\"\"\r\n" +
                "TXT,@,v=spf1 include:mailgun.org ~all,,3600,Remove,Second SPF record\r\n",
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
    }
}
