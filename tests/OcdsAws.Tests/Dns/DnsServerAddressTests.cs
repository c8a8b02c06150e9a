using System.Net;
using OcdsAws.Dns;
using Xunit;

namespace OcdsAws.Tests.Dns
{
    public class DnsServerAddressTests
    {
        [Theory]
        [InlineData("127.0.0.1", "127.0.0.1", 53)]
        [InlineData(" 127.0.0.1:5353 ", "127.0.0.1", 5353)]
        [InlineData("1.2.3.4:5353", "1.2.3.4", 5353)]
        [InlineData("::1", "::1", 53)]
        [InlineData("[::1]", "::1", 53)]
        [InlineData("[::1]:5353", "::1", 5353)]
        [InlineData("2001:db8::53", "2001:db8::53", 53)]
        [InlineData("[2001:db8::53]:65535", "2001:db8::53", 65535)]
        public void ParsesAddresses(string value, string address, int port)
        {
            var endpoint = DnsServerAddress.Parse(value);
            Assert.Equal(IPAddress.Parse(address), endpoint.Address);
            Assert.Equal(port, endpoint.Port);
        }

        [Theory]
        [InlineData("localhost", 53)]
        [InlineData("localhost:5353", 5353)]
        public void ResolvesHostNames(string value, int port)
        {
            var endpoint = DnsServerAddress.Parse(value);
            Assert.True(IPAddress.IsLoopback(endpoint.Address));
            Assert.Equal(port, endpoint.Port);
        }

        [Fact]
        public void SplitsWithoutLookingUp()
        {
            Assert.Equal(("ns1.example.org", 53), DnsServerAddress.Split("ns1.example.org"));
            Assert.Equal(("ns1.example.org", 5353), DnsServerAddress.Split("ns1.example.org:5353"));
        }

        [Theory]
        [InlineData(null, "it is empty")]
        [InlineData("", "it is empty")]
        [InlineData("  ", "it is empty")]
        [InlineData(":53", "the host is missing")]
        [InlineData("127.0.0.1:", "the port '' is not a number")]
        [InlineData("127.0.0.1:0", "the port '0'")]
        [InlineData("127.0.0.1:65536", "the port '65536'")]
        [InlineData("127.0.0.1:dns", "the port 'dns'")]
        [InlineData("127.0.0.1:-5", "the port '-5'")]
        [InlineData("[::1", "no closing ']'")]
        [InlineData("[::1]5353", "only ':port' may follow ']'")]
        [InlineData("[127.0.0.1]:53", "is not an IPv6 address")]
        [InlineData("1.2.3", "'1.2.3' is not an IPv4 address")]
        [InlineData("300.1.1.1", "'300.1.1.1' is not an IPv4 address")]
        [InlineData("1:2", "'1' is not an IPv4 address")]
        [InlineData("::1:5353:x", "not an IPv6 address")]
        [InlineData("dns server", "neither an IP address nor a host name")]
        [InlineData("-ns.example.org", "neither an IP address nor a host name")]
        public void RejectsBadValues(string? value, string reason)
        {
            var e = Assert.Throws<ValidationException>(() => DnsServerAddress.Parse(value));
            Assert.Equal("InvalidDnsServer", e.ErrorId);
            Assert.Contains(reason, e.Message);
            Assert.Contains("[::1]:5353", e.Message); // says what would work
        }
    }
}
