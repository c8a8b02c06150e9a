using OcdsAws.Tests.Infrastructure;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MimeKit;
using MimeKit.Cryptography;
using OcdsAws.Deliverability;
using OcdsAws.Tests.Dns;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Xunit;

namespace OcdsAws.Tests.Deliverability
{
    /// <summary>
    /// DKIM and DMARC verdicts a hostile or unusual message must not get wrong (issue #16 item 4): key records that
    /// RFC 6376 says to discard or that restrict the signature, Authentication-Results a sender can forge, signatures
    /// that cannot be read, and RFC 8463's ed25519-sha256 test vector.
    /// </summary>
    public sealed class DkimVerdictTests : IDisposable
    {
        private static readonly AsymmetricCipherKeyPair SenderKey = NewKey();

        // RFC 8463 Appendix A.2: the test vector's public keys, as published in DNS.
        private const string Rfc8463Ed25519Key = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
        private const string Rfc8463RsaKey = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

        // RFC 8463 Appendix A.3: the signed message (two signatures over one body), folded lines as published.
        private static readonly string Rfc8463Message = string.Join("\r\n",
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=brisbane; t=1528637909; h=from : to :",
            " subject : date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus",
            " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=test; t=1528637909; h=from : to : subject :",
            " date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3",
            " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz",
            " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=",
            "From: Joe SixPack <joe@football.example.com>",
            "To: Suzie Q <suzie@shopping.example.net>",
            "Subject: Is dinner ready?",
            "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
            "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
            "",
            "Hi.",
            "",
            "We lost the game.  Are you hungry yet?",
            "",
            "Joe.",
            "");

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "ocds-dkim-" + Guid.NewGuid().ToString("n"));
        private readonly LoopbackDnsServer _dns;

        public DkimVerdictTests()
        {
            Directory.CreateDirectory(_dir);
            _dns = new LoopbackDnsServer().AddZone("example.org").AddZone("football.example.com")
                .Add("_dmarc.example.org", "TXT", "v=DMARC1; p=reject")
                .Add("ses1._domainkey.example.org", "TXT", KeyRecord(SenderKey))
                .Add("brisbane._domainkey.football.example.com", "TXT", Rfc8463Ed25519Key)
                .Add("test._domainkey.football.example.com", "TXT", Rfc8463RsaKey);
        }

        public void Dispose()
        {
            _dns.Dispose();
            Directory.Delete(_dir, true);
        }

        private static AsymmetricCipherKeyPair NewKey()
        {
            var generator = new RsaKeyPairGenerator();
            generator.Init(new KeyGenerationParameters(new SecureRandom(), 1024));
            return generator.GenerateKeyPair();
        }

        private static string KeyRecord(AsymmetricCipherKeyPair key, string tags = "v=DKIM1; k=rsa")
            => tags + "; p=" + Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public).GetEncoded());

        private static MimeMessage SignedMessage(string? identity = null)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("data@example.org"));
            message.To.Add(MailboxAddress.Parse("ops@example.net"));
            message.Subject = "OcdsAws test email";
            message.Date = new DateTimeOffset(2026, 11, 29, 16, 0, 0, TimeSpan.Zero);
            message.MessageId = "verdict@example.org";
            message.Body = new TextPart("plain") { Text = "This is a test message.\n" };
            var signer = new DkimSigner(SenderKey.Private, "example.org", "ses1", DkimSignatureAlgorithm.RsaSha256)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                AgentOrUserIdentifier = identity,
            };
            signer.Sign(message, new[] { HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId });
            return message;
        }

        private static MimeMessage Unsigned()
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("data@example.org"));
            message.Subject = "OcdsAws test email";
            message.MessageId = "spf@example.org";
            message.Body = new TextPart("plain") { Text = "Hello.\n" };
            return message;
        }

        private PsResult Check(string path, string extra = "")
            => PowerShellHost.Run("Test-DmarcCompliance -Path $path -DnsServer $dnsServer " + extra,
                new Dictionary<string, object?> { ["path"] = path, ["dnsServer"] = $"127.0.0.1:{_dns.Port}" });

        private DmarcComplianceResult CheckOne(MimeMessage message, string extra = "")
        {
            var path = Path.Combine(_dir, Guid.NewGuid().ToString("n") + ".eml");
            message.WriteTo(path);
            return CheckFile(path, extra);
        }

        private DmarcComplianceResult CheckFile(string path, string extra = "")
        {
            var r = Check(path, extra);
            Assert.True(r.Errors.Count == 0, string.Join("\n", r.Errors.Select(e => e.FullyQualifiedErrorId + " " + e.Exception.Message)));
            return (DmarcComplianceResult)Assert.Single(r.Output).BaseObject;
        }

        private void ReplaceKey(string record) => _dns.Remove("ses1._domainkey.example.org").Add("ses1._domainkey.example.org", "TXT", record);

        [Fact]
        public void Ed25519_sha256_verifies_rfc_8463s_test_vector()
        {
            var path = Path.Combine(_dir, "rfc8463.eml");
            File.WriteAllText(path, Rfc8463Message);

            var result = CheckFile(path);

            Assert.Equal(new[] { "ed25519-sha256 Pass", "rsa-sha256 Pass" }, result.Dkim.Select(d => $"{d.Algorithm} {d.Result}").ToArray());
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
        }

        [Fact]
        public void A_key_record_of_another_dkim_version_is_discarded()
        {
            ReplaceKey(KeyRecord(SenderKey, "v=DKIM2; k=rsa"));
            var result = CheckOne(SignedMessage());
            var dkim = Assert.Single(result.Dkim);
            Assert.Equal(DkimResult.PermError, dkim.Result);
            Assert.Contains("v=DKIM2", dkim.Reason);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
        }

        [Fact]
        public void A_key_limited_to_sha1_cannot_verify_an_rsa_sha256_signature()
        {
            ReplaceKey(KeyRecord(SenderKey, "v=DKIM1; k=rsa; h=sha1"));
            var result = CheckOne(SignedMessage());
            var dkim = Assert.Single(result.Dkim);
            Assert.Equal(DkimResult.PermError, dkim.Result);
            Assert.Contains("h=sha1", dkim.Reason);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);

            ReplaceKey(KeyRecord(SenderKey, "v=DKIM1; k=rsa; h=sha1:sha256"));
            Assert.Equal(DmarcVerdict.Pass, CheckOne(SignedMessage()).Verdict);
        }

        [Fact]
        public void A_strict_key_refuses_an_identity_in_a_subdomain()
        {
            ReplaceKey(KeyRecord(SenderKey, "v=DKIM1; k=rsa; t=s"));
            var result = CheckOne(SignedMessage("data@mail.example.org"));
            var dkim = Assert.Single(result.Dkim);
            Assert.Equal(DkimResult.PermError, dkim.Result);
            Assert.Contains("t=s", dkim.Reason);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);

            Assert.Equal(DmarcVerdict.Pass, CheckOne(SignedMessage("data@example.org")).Verdict);
        }

        [Fact]
        public void A_key_for_another_algorithm_is_a_permerror_for_that_signature_only()
        {
            _dns.Add("ed._domainkey.example.org", "TXT", Rfc8463Ed25519Key);
            var message = SignedMessage();
            message.Headers.Insert(0, new Header("DKIM-Signature", "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=ed; h=from:subject; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=AAAA"));
            var result = CheckOne(message);
            Assert.Equal(2, result.Dkim.Count);
            Assert.Equal(DkimResult.PermError, result.Dkim[0].Result);
            Assert.Contains("k=ed25519", result.Dkim[0].Reason);
            Assert.Equal(DkimResult.Pass, result.Dkim[1].Result);
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
        }

        [Theory]
        [InlineData("x=-99999999999999", "x=")]
        [InlineData("d=" + "l234567890123456789012345678901234567890123456789012345678901234.example.org", "63")]
        [InlineData("d=a23456789012345678901234567890123456789012345678901234567890.b23456789012345678901234567890123456789012345678901234567890.c23456789012345678901234567890123456789012345678901234567890.d23456789012345678901234567890123456789012345678901234567890.example.org", "255")]
        public void One_unreadable_signature_is_a_permerror_and_the_message_is_still_judged(string tag, string reasonPart)
        {
            var message = SignedMessage();
            var tags = new List<string> { "v=1", "a=rsa-sha256", "c=relaxed/relaxed", "d=example.org", "s=ses1", "h=from:subject", "bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=", "b=AAAA" };
            var name = tag.Substring(0, tag.IndexOf('='));
            tags.RemoveAll(t => t.StartsWith(name + "=", StringComparison.Ordinal));
            tags.Insert(3, tag);
            message.Headers.Insert(0, new Header("DKIM-Signature", string.Join("; ", tags)));

            var result = CheckOne(message);

            Assert.Equal(2, result.Dkim.Count);
            Assert.Equal(DkimResult.PermError, result.Dkim[0].Result);
            Assert.Contains(reasonPart, result.Dkim[0].Reason);
            Assert.Equal(DkimResult.Pass, result.Dkim[1].Result);
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
        }

        [Fact]
        public void A_quoted_spf_pass_in_another_result_does_not_count()
        {
            var message = Unsigned();
            message.Headers.Insert(0, new Header("Authentication-Results",
                "mx.receiver.example; dkim=none reason=\"no signature; spf=pass smtp.mailfrom=bounce@example.org\""));
            var result = CheckOne(message);
            Assert.Null(result.Spf.Result);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
        }

        [Fact]
        public void A_lower_sender_added_authentication_results_is_not_trusted()
        {
            var message = Unsigned();
            message.Headers.Insert(0, new Header("Authentication-Results", "mx.receiver.example; dkim=none"));
            message.Headers.Insert(1, new Header("Authentication-Results", "mx.receiver.example; spf=pass smtp.mailfrom=bounce@example.org"));
            var result = CheckOne(message);
            Assert.Null(result.Spf.Result);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            Assert.Contains("mx.receiver.example", result.Spf.Source);
        }

        [Fact]
        public void AuthServId_names_the_receiver_whose_results_count()
        {
            var message = Unsigned();
            message.Headers.Insert(0, new Header("Authentication-Results", "mx.forwarder.example; spf=fail smtp.mailfrom=bounce@example.org"));
            message.Headers.Insert(1, new Header("Authentication-Results", "mx.receiver.example; spf=pass smtp.mailfrom=bounce@example.org"));

            Assert.Equal(("fail", DmarcVerdict.Fail), Pair(CheckOne(message)));
            Assert.Equal(("pass", DmarcVerdict.Pass), Pair(CheckOne(message, "-AuthServId mx.receiver.example")));
            var none = CheckOne(message, "-AuthServId mx.other.example");
            Assert.Null(none.Spf.Result);
            Assert.Contains("mx.other.example", none.Reason);

            static (string?, DmarcVerdict) Pair(DmarcComplianceResult r) => (r.Spf.Result, r.Verdict);
        }
    }
}
