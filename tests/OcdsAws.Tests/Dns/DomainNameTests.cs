using System;
using OcdsAws.Dns;
using Xunit;

namespace OcdsAws.Tests.Dns
{
    public class DomainNameTests
    {
        [Theory]
        [InlineData("example.org", "example.org")]
        [InlineData(" Example.ORG. ", "example.org")]
        [InlineData("mail.example.co.uk", "mail.example.co.uk")]
        [InlineData("bücher.example", "xn--bcher-kva.example")]
        [InlineData("BÜCHER.example", "xn--bcher-kva.example")]
        [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
        [InlineData("例え.テスト", "xn--r8jz45g.xn--zckzah")]
        [InlineData("例え。テスト", "xn--r8jz45g.xn--zckzah")]
        [InlineData("a-b.c0.org", "a-b.c0.org")]
        public void NormalizesToLowercaseAscii(string input, string expected)
            => Assert.Equal(expected, DomainName.Normalize(input, "-Domain"));

        [Theory]
        [InlineData(null, "-Domain is empty")]
        [InlineData("", "-Domain is empty")]
        [InlineData("   ", "-Domain is empty")]
        [InlineData("exa mple.org", "contains a space in the label 'exa mple'")]
        [InlineData("exa_mple.org", "contains an underscore")]
        [InlineData("example!.org", "contains the character '!'")]
        [InlineData("http://example.org", "contains the character ':'")]
        [InlineData("-example.org", "'-example', which starts with a hyphen")]
        [InlineData("example-.org", "'example-', which ends with a hyphen")]
        [InlineData("example..org", "empty label")]
        [InlineData(".example.org", "empty label")]
        [InlineData("example.org..", "empty label")]
        [InlineData("localhost", "'localhost' is a single label")]
        [InlineData("user@example.org", "'user@example.org' is an email address")]
        [InlineData("192.0.2.1", "'192.0.2.1' is an IP address")]
        public void RejectsBadNamesSayingWhy(string? input, string reason)
        {
            var e = Assert.Throws<ValidationException>(() => DomainName.Normalize(input, "-Domain"));
            Assert.Equal("InvalidDomainName", e.ErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, e.Category);
            Assert.Contains(reason, e.Message);
            Assert.StartsWith("-Domain", e.Message);
        }

        [Fact]
        public void EmailAddressPointsToEmailVerification()
        {
            var e = Assert.Throws<ValidationException>(() => DomainName.Normalize("ops@example.org", "-MailFromDomain"));
            Assert.Contains("-MailFromDomain 'ops@example.org' is an email address", e.Message);
            Assert.Contains("New-SesEmailVerification", e.Message);
        }

        [Fact]
        public void LabelOver63Characters()
        {
            Assert.Equal(new string('a', 63) + ".org", DomainName.Normalize(new string('a', 63) + ".org", "-Domain"));
            var e = Assert.Throws<ValidationException>(() => DomainName.Normalize(new string('a', 64) + ".org", "-Domain"));
            Assert.Equal("InvalidDomainName", e.ErrorId);
            Assert.Contains("a label of 64 characters; a label can have at most 63", e.Message);
        }

        [Fact]
        public void NameOver253Characters()
        {
            var label = new string('a', 63);
            var ok = string.Join(".", label, label, label, new string('b', 61)); // 253
            Assert.Equal(253, DomainName.Normalize(ok, "-Domain").Length);

            var e = Assert.Throws<ValidationException>(() => DomainName.Normalize(string.Join(".", label, label, label, label), "-Domain"));
            Assert.Equal("InvalidDomainName", e.ErrorId);
            Assert.Contains("is 255 characters long; a domain name can have at most 253", e.Message);
            Assert.True(e.Message.Length < 300, "the message shortens the name it quotes");
        }

        [Theory]
        [InlineData("mail.example.org", "example.org", true)]
        [InlineData("example.org", "example.org.", true)]
        [InlineData("A.Example.ORG.", "example.org", true)]
        [InlineData("badexample.org", "example.org", false)]
        [InlineData("example.org", "mail.example.org", false)]
        [InlineData("example.org", "", true)]
        public void SameOrSubdomain(string name, string parent, bool expected)
            => Assert.Equal(expected, DomainName.IsSameOrSubdomainOf(name, parent));

        [Theory]
        [InlineData("example.org", "example.org", "@")]
        [InlineData("Example.org.", "example.org", "@")]
        [InlineData("abc._domainkey.example.org", "example.org", "abc._domainkey")]
        [InlineData("_dmarc.example.org.", "example.org.", "_dmarc")]
        [InlineData("mail.sub.example.org", "sub.example.org", "mail")]
        public void RelativeHostLabels(string fqdn, string zone, string expected)
            => Assert.Equal(expected, DomainName.RelativeHostLabel(fqdn, zone));

        [Fact]
        public void RelativeHostLabelOutsideTheZoneIsABug()
            => Assert.Throws<ArgumentException>(() => DomainName.RelativeHostLabel("example.net", "example.org"));
    }
}
