using System;
using System.Text.Json.Nodes;
using OcdsAws.Smtp;
using Xunit;

namespace OcdsAws.Tests.Smtp
{
    /// <summary>The SMTP password algorithm (design.md §5) and the policy Get-SmtpCredential writes.</summary>
    public sealed class SmtpPasswordTests
    {
        /// <summary>The four published vectors (Terraform's tests: two in design.md §5, two in issue 4).</summary>
        public static readonly TheoryData<string, string, string> Vectors = new TheoryData<string, string, string>
        {
            { "some+secret+key", "eu-central-1", "BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2" },
            { "some+secret+key", "us-west-1", "BH+jbMzper5WwlwUar9E1ySBqHa9whi0GPo+sJ0mVYJj" },
            { "another+secret+key", "eu-central-1", "BBbphbrQmrKMx42d1N6+C7VINYEBGI5v9VsZeTxwskfh" },
            { "another+secret+key", "us-west-1", "BKVmjjMDFk/qqw8EROW99bjCS65PF8WKvK5bSr4Y6EqF" },
        };

        [Theory]
        [MemberData(nameof(Vectors))]
        public void Derive_matches_the_published_vectors(string secret, string region, string password)
            => Assert.Equal(password, SmtpPassword.Derive(secret, region));

        [Fact]
        public void The_password_starts_with_version_byte_4_and_carries_a_sha256()
        {
            var bytes = Convert.FromBase64String(SmtpPassword.Derive("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "eu-west-1"));
            Assert.Equal(33, bytes.Length);
            Assert.Equal(0x04, bytes[0]);
        }

        [Theory]
        [InlineData("EU-WEST-1")]
        [InlineData("eu-west")]
        [InlineData("Europe")]
        [InlineData("")]
        public void Derive_refuses_what_is_not_a_region(string region)
            => Assert.Throws<ArgumentException>(() => SmtpPassword.Derive("some+secret+key", region));

        [Fact]
        public void Derive_refuses_an_empty_secret()
            => Assert.Throws<ArgumentException>(() => SmtpPassword.Derive("", "eu-west-1"));

        [Fact]
        public void SecureString_round_trip_keeps_the_text()
            => Assert.Equal("BH+jbMzper5WwlwUar9E1ySBqHa9whi0GPo+sJ0mVYJj", SmtpPassword.Reveal(SmtpPassword.Protect("BH+jbMzper5WwlwUar9E1ySBqHa9whi0GPo+sJ0mVYJj")));

        [Fact]
        public void The_policy_allows_only_SendRawEmail_and_names_the_from_addresses_when_given()
        {
            var open = JsonNode.Parse(SmtpCredentialService.PolicyDocument(Array.Empty<string>()))!;
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:SendRawEmail","Resource":"*"}]}"""), open));

            var limited = JsonNode.Parse(SmtpCredentialService.PolicyDocument(new[] { "data@example.org", "*@example.net" }))!;
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:SendRawEmail","Resource":"*","Condition":{"StringLike":{"ses:FromAddress":["data@example.org","*@example.net"]}}}]}"""), limited));
        }

        [Fact]
        public void Policies_compare_as_data_not_text()
        {
            var ours = SmtpCredentialService.PolicyDocument(Array.Empty<string>());
            Assert.True(SmtpCredentialService.SamePolicy("{ \"Statement\": [ { \"Resource\": \"*\", \"Action\": \"ses:SendRawEmail\", \"Effect\": \"Allow\" } ], \"Version\": \"2012-10-17\" }", ours));
            Assert.False(SmtpCredentialService.SamePolicy("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:*","Resource":"*"}]}""", ours));
            Assert.False(SmtpCredentialService.SamePolicy("not json", ours));
        }

        [Fact]
        public void The_output_type_hides_the_password_unless_asked()
        {
            var hidden = new SmtpCredential("u", "AKIAIOSFODNN7EXAMPLE", "eu-west-1", "BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2", false);
            Assert.Null(hidden.SmtpPassword);
            Assert.Equal("AKIAIOSFODNN7EXAMPLE", hidden.Credential.UserName);
            Assert.Equal("BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2", hidden.Credential.GetNetworkCredential().Password);
            Assert.Equal(("email-smtp.eu-west-1.amazonaws.com", 587, 465), (hidden.SmtpHost, hidden.Port, hidden.TlsPort));
            Assert.DoesNotContain("BMXh", hidden.ToString());
            Assert.Equal("BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2",
                new SmtpCredential("u", "AKIAIOSFODNN7EXAMPLE", "eu-west-1", "BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2", true).SmtpPassword);
        }
    }
}
