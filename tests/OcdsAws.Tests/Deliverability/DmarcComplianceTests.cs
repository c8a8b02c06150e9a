using OcdsAws.Tests.Infrastructure;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
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
    /// Test-DmarcCompliance on messages signed here with MimeKit's DKIM signer and keys generated here, their
    /// public keys and DMARC records served by the loopback DNS server.
    /// </summary>
    public sealed class DmarcComplianceTests : IDisposable
    {
        // 1024 bits: MimeKit's minimum, and quick to generate; the checks do not depend on key size.
        private static readonly AsymmetricCipherKeyPair SenderKey = NewKey();
        private static readonly AsymmetricCipherKeyPair SesKey = NewKey();
        private static readonly AsymmetricCipherKeyPair OtherKey = NewKey();

        private const string SesSelector = "224i4yxa5dv7c2xz3womw6peuasteono";

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "ocds-dmarc-" + Guid.NewGuid().ToString("n"));
        private readonly LoopbackDnsServer _dns;

        public DmarcComplianceTests()
        {
            Directory.CreateDirectory(_dir);
            _dns = new LoopbackDnsServer().AddZone("example.org").AddZone("amazonses.com")
                .Add("_dmarc.example.org", "TXT", "v=DMARC1; p=reject; rua=mailto:dmarc@example.org")
                .Add("ses1._domainkey.example.org", "TXT", KeyRecord(SenderKey))
                .Add(SesSelector + "._domainkey.amazonses.com", "TXT", KeyRecord(SesKey));
        }

        public void Dispose()
        {
            _dns.Dispose();
            Directory.Delete(_dir, true);
        }

        private static AsymmetricCipherKeyPair NewKey() => DkimKeys.NewRsaKey();

        private static string KeyRecord(AsymmetricCipherKeyPair key, string tags = "v=DKIM1; k=rsa") => DkimKeys.KeyRecord(key, tags);

        private static MimeMessage NewMessage(string from = "Data <data@example.org>")
        {
            var message = new MimeMessage();
            message.From.AddRange(InternetAddressList.Parse(from));
            message.To.Add(MailboxAddress.Parse("ops@example.net"));
            message.Subject = "OcdsAws test email";
            message.Date = new DateTimeOffset(2026, 11, 29, 16, 0, 0, TimeSpan.Zero);
            message.MessageId = "0102019abcdef012-3456789a@email.amazonses.com";
            message.Body = new TextPart("plain") { Text = "This is a test message.\nSecond line.\n" };
            return message;
        }

        private static void Sign(MimeMessage message, AsymmetricCipherKeyPair key, string domain, string selector)
        {
            var signer = new DkimSigner(key.Private, domain, selector, DkimSignatureAlgorithm.RsaSha256)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            signer.Sign(message, new[] { HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId });
        }

        /// <summary>What SES sends: the sender domain's signature and SES's own d=amazonses.com one.</summary>
        private static MimeMessage SesMessage(string from = "Data <data@example.org>")
        {
            var message = NewMessage(from);
            Sign(message, SenderKey, "example.org", "ses1");
            Sign(message, SesKey, "amazonses.com", SesSelector);
            return message;
        }

        private string Save(MimeMessage message, string name = "message.eml")
        {
            var path = Path.Combine(_dir, name);
            message.WriteTo(path);
            return path;
        }

        private Infrastructure.PsResult Check(params string[] paths)
            => PowerShellHost.Run("$paths | Test-DmarcCompliance -DnsServer $dnsServer",
                new Dictionary<string, object?> { ["paths"] = paths, ["dnsServer"] = $"127.0.0.1:{_dns.Port}" });

        private DmarcComplianceResult CheckOne(MimeMessage message)
        {
            var r = Check(Save(message));
            Assert.Empty(r.Errors);
            return (DmarcComplianceResult)r.Output.Single().BaseObject;
        }

        [Fact]
        public void A_single_aligned_signature_passes()
        {
            var message = NewMessage();
            Sign(message, SenderKey, "example.org", "ses1");
            var result = CheckOne(message);
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
            Assert.Contains("d=example.org s=ses1 verifies and is aligned", result.Reason);
            var dkim = Assert.Single(result.Dkim);
            Assert.Equal((DkimResult.Pass, true, "rsa-sha256"), (dkim.Result, dkim.Aligned, dkim.Algorithm));
            Assert.Equal(("example.org", "data@example.org", "reject"), (result.FromDomain, result.From, result.DmarcPolicy));
            Assert.Equal("example.org", result.Policy!.PolicyDomain);
        }

        [Fact]
        public void SES_double_signature_passes_and_the_amazonses_signature_is_explained()
        {
            var result = CheckOne(SesMessage());
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
            Assert.Equal(2, result.Dkim.Count);
            var ses = result.Dkim.Single(d => d.IsAmazonSes);
            Assert.Equal((DkimResult.Pass, false), (ses.Result, ses.Aligned));
            Assert.Contains("SES adds this signature", ses.Alignment);
            Assert.True(result.Dkim.Single(d => !d.IsAmazonSes).Aligned);
            Assert.Contains(result.Notes, n => n.Contains("amazonses.com"));
        }

        [Fact]
        public void Only_the_amazonses_signature_fails_as_not_aligned()
        {
            var message = NewMessage();
            Sign(message, SesKey, "amazonses.com", SesSelector);
            var result = CheckOne(message);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            Assert.True(Assert.Single(result.Dkim).Verified);
            Assert.Contains("d=amazonses.com verifies but is not aligned", result.Reason);
            Assert.Contains(result.Notes, n => n.Contains("p=reject"));
        }

        [Fact]
        public void A_tampered_body_fails_and_says_so()
        {
            var message = SesMessage();
            ((TextPart)message.Body!).Text = "This is a changed message.\n";
            var result = CheckOne(message);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            Assert.All(result.Dkim, d => Assert.Equal(DkimResult.Fail, d.Result));
            Assert.All(result.Dkim, d => Assert.Contains("body hash", d.Reason));
        }

        [Fact]
        public void A_tampered_signed_header_fails_and_says_so()
        {
            var message = SesMessage();
            message.Subject = "Changed subject";
            var result = CheckOne(message);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            Assert.All(result.Dkim, d => Assert.Equal(DkimResult.Fail, d.Result));
            Assert.All(result.Dkim, d => Assert.Contains("a signed header changed", d.Reason));
        }

        [Theory]
        [InlineData("r", DmarcVerdict.Pass)]
        [InlineData("s", DmarcVerdict.Fail)]
        public void A_subdomain_from_aligns_only_under_relaxed_alignment(string adkim, DmarcVerdict verdict)
        {
            _dns.Remove("_dmarc.example.org").Add("_dmarc.example.org", "TXT", $"v=DMARC1; p=quarantine; adkim={adkim}");
            var result = CheckOne(SesMessage("Data <data@mail.example.org>"));
            Assert.Equal(verdict, result.Verdict);
            Assert.Equal(("mail.example.org", "example.org"), (result.FromDomain, result.Policy!.OrganizationalDomain));
            var own = result.Dkim.Single(d => d.Domain == "example.org");
            Assert.True(own.Verified);
            Assert.Equal(adkim == "r", own.Aligned);
            Assert.Contains(adkim == "r" ? "relaxed" : "strict", own.Alignment);
        }

        [Fact]
        public void An_easy_dkim_key_behind_a_cname_verifies()
        {
            // SES Easy DKIM: <token>._domainkey.<domain> CNAME <token>.dkim.amazonses.com, where SES keeps the key.
            _dns.Add("tok3n._domainkey.example.org", "CNAME", "tok3n.dkim.amazonses.com").Add("tok3n.dkim.amazonses.com", "TXT", KeyRecord(OtherKey));
            var message = NewMessage();
            Sign(message, OtherKey, "example.org", "tok3n");
            var result = CheckOne(message);
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
            Assert.Equal(DkimResult.Pass, Assert.Single(result.Dkim).Result);
        }

        [Fact]
        public void A_key_too_short_for_verifiers_is_a_permerror()
        {
            var generator = new RsaKeyPairGenerator();
            generator.Init(new KeyGenerationParameters(new SecureRandom(), 512));
            var weak = generator.GenerateKeyPair();
            _dns.Add("weak._domainkey.example.org", "TXT", KeyRecord(weak));
            var message = NewMessage();
            Sign(message, weak, "example.org", "weak");
            var dkim = Assert.Single(CheckOne(message).Dkim);
            Assert.Equal(DkimResult.PermError, dkim.Result);
            Assert.Contains("512 bits", dkim.Reason);
        }

        [Fact]
        public void An_rsa_sha1_signature_is_a_permerror_and_never_passes_dmarc()
        {
            // RFC 8301 §3.1: rsa-sha1 MUST NOT be used for signing or verifying. The key is in DNS and the
            // signature is intact, so only the algorithm stands between it and a pass.
            var message = NewMessage();
            var signer = new DkimSigner(SenderKey.Private, "example.org", "ses1", DkimSignatureAlgorithm.RsaSha1)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            signer.Sign(message, new[] { HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId });
            var result = CheckOne(message);
            var dkim = Assert.Single(result.Dkim);
            Assert.Equal(("rsa-sha1", DkimResult.PermError, false), (dkim.Algorithm, dkim.Result, dkim.Verified));
            Assert.Contains("RFC 8301", dkim.Reason);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            Assert.Contains("does not verify (PermError", result.Reason);
            // Not verified at all: the key is never asked for.
            Assert.Equal(0, _dns.Queries.Count(q => q.Name == "ses1._domainkey.example.org"));
        }

        [Fact]
        public void An_expired_signature_fails()
        {
            var message = NewMessage();
            var signer = new DkimSigner(SenderKey.Private, "example.org", "ses1", DkimSignatureAlgorithm.RsaSha256) { SignaturesExpireAfter = TimeSpan.FromSeconds(-3600) };
            signer.Sign(message, new[] { HeaderId.From, HeaderId.Subject, HeaderId.Date });
            var result = CheckOne(message);
            var dkim = Assert.Single(result.Dkim);
            Assert.Equal(DkimResult.Fail, dkim.Result);
            Assert.Contains("expired", dkim.Reason);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
        }

        [Fact]
        public void A_key_missing_from_dns_is_a_permerror()
        {
            _dns.Remove("ses1._domainkey.example.org");
            var result = CheckOne(SesMessage());
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            var own = result.Dkim.Single(d => d.Domain == "example.org");
            Assert.Equal(DkimResult.PermError, own.Result);
            Assert.Contains("ses1._domainkey.example.org does not exist", own.Reason);
        }

        [Fact]
        public void A_revoked_key_is_a_permerror()
        {
            _dns.Remove("ses1._domainkey.example.org").Add("ses1._domainkey.example.org", "TXT", "v=DKIM1; k=rsa; p=");
            var result = CheckOne(SesMessage());
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            var own = result.Dkim.Single(d => d.Domain == "example.org");
            Assert.Equal(DkimResult.PermError, own.Result);
            Assert.Contains("revoked", own.Reason);
        }

        [Fact]
        public void A_key_that_does_not_match_fails()
        {
            _dns.Remove("ses1._domainkey.example.org").Add("ses1._domainkey.example.org", "TXT", KeyRecord(OtherKey));
            var result = CheckOne(SesMessage());
            Assert.Equal(DkimResult.Fail, result.Dkim.Single(d => d.Domain == "example.org").Result);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
        }

        [Fact]
        public void A_malformed_signature_header_is_a_permerror_and_the_others_still_count()
        {
            var message = SesMessage();
            message.Headers.Insert(0, new Header("DKIM-Signature", "v=1; a=rsa-sha256; d=example.org; h=from:subject"));
            var result = CheckOne(message);
            Assert.Equal(3, result.Dkim.Count);
            var bad = result.Dkim[0];
            Assert.Equal(DkimResult.PermError, bad.Result);
            Assert.Contains("malformed", bad.Reason);
            Assert.Contains("bh", bad.Reason);
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
        }

        [Fact]
        public void Two_from_addresses_fail_with_that_reason()
        {
            var result = CheckOne(SesMessage("data@example.org, other@example.net"));
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            Assert.Contains("2 addresses", result.Reason);
            Assert.Null(result.FromDomain);
        }

        [Fact]
        public void Aligned_spf_alone_passes_via_authentication_results()
        {
            var message = NewMessage();
            message.Headers.Insert(0, new Header("Authentication-Results",
                "mx.receiver.example; spf=pass (receiver.example: domain of bounce.example.org designates 192.0.2.10 as permitted sender) smtp.mailfrom=\"0102019abc@bounce.example.org\"; dkim=none"));
            message.Headers.Insert(1, new Header("Received-SPF", "Fail (this older header is not the receiver's) envelope-from=x@other.example"));
            var result = CheckOne(message);
            Assert.Empty(result.Dkim);
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
            Assert.Equal(("pass", "bounce.example.org", true), (result.Spf.Result, result.Spf.MailFromDomain, result.Spf.Aligned));
            Assert.Contains("SPF passed for MAIL FROM bounce.example.org", result.Reason);
        }

        [Fact]
        public void Spf_from_amazonses_mail_from_is_not_aligned()
        {
            var message = NewMessage();
            message.Headers.Insert(0, new Header("Received-SPF", "pass (google.com: domain of 0102019abc@eu-central-1.amazonses.com designates 54.240.0.1 as permitted sender) client-ip=54.240.0.1; envelope-from=0102019abc@eu-central-1.amazonses.com;"));
            var result = CheckOne(message);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            Assert.Equal(("pass", "eu-central-1.amazonses.com", false), (result.Spf.Result, result.Spf.MailFromDomain, result.Spf.Aligned));
            Assert.Contains("no DKIM signature", result.Reason);
        }

        [Theory]
        [InlineData(DnsFault.ServerFailure)]
        [InlineData(DnsFault.Silence)]
        public void Identical_domains_pass_when_dns_fails_above_the_from_domain(DnsFault fault)
        {
            // _dmarc.example.org has the record; _dmarc.org (the rest of the tree walk) fails. Identical domains are
            // aligned in relaxed and strict mode alike (RFC 9989 §4.10.2), so nothing above example.org is needed.
            _dns.Fail("_dmarc.org", fault);
            var dkim = CheckOne(SesMessage());
            Assert.Equal(DmarcVerdict.Pass, dkim.Verdict);
            Assert.Equal(("example.org", "reject"), (dkim.Policy!.PolicyDomain, dkim.DmarcPolicy));
            Assert.Null(dkim.Policy.OrganizationalDomain);
            Assert.Contains(dkim.Policy.Problems, p => p.Contains("organizational domain") && p.Contains("_dmarc.org"));

            // SPF for the From domain itself, no DKIM at all.
            var spfOnly = NewMessage();
            spfOnly.Headers.Insert(0, new Header("Authentication-Results", "mx.receiver.example; spf=pass smtp.mailfrom=bounce@example.org; dkim=none"));
            var spf = CheckOne(spfOnly);
            Assert.Equal(DmarcVerdict.Pass, spf.Verdict);
            Assert.True(spf.Spf.Aligned);

            // A relaxed identifier that needs the walk cannot be judged, but the aligned DKIM pass still decides.
            var mixed = SesMessage();
            mixed.Headers.Insert(0, new Header("Authentication-Results", "mx.receiver.example; spf=pass smtp.mailfrom=bounce@mail.example.org"));
            var both = CheckOne(mixed);
            Assert.Equal(DmarcVerdict.Pass, both.Verdict);
            Assert.False(both.Spf.Aligned);
            Assert.Contains("could not be determined", both.Spf.Alignment);
            Assert.Contains(_dns.Queries, q => q.Name == "_dmarc.org");
        }

        [Fact]
        public void A_dns_failure_that_leaves_no_pass_is_a_temperror()
        {
            // Only SPF for a subdomain of the From domain: its alignment needs the walk, which fails.
            _dns.Fail("_dmarc.org");
            var message = NewMessage();
            message.Headers.Insert(0, new Header("Authentication-Results", "mx.receiver.example; spf=pass smtp.mailfrom=bounce@mail.example.org"));
            var r = Check(Save(message));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.DnsUnavailable", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            Assert.Contains("temperror", error.Exception.Message);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void Keys_are_looked_up_once_per_selector_for_a_pipeline_of_messages()
        {
            var first = Save(SesMessage(), "a.eml");
            var second = Save(SesMessage(), "b.eml");
            var r = PowerShellHost.Run("$paths | Test-DmarcCompliance -DnsServer $dnsServer -Verbose",
                new Dictionary<string, object?> { ["paths"] = new[] { first, second }, ["dnsServer"] = $"127.0.0.1:{_dns.Port}" });
            Assert.Empty(r.Errors);
            Assert.Contains(r.Verbose, v => v.StartsWith("Checked 2 message(s) with 4 DNS queries") && v.Contains("2 for DKIM keys"));
            Assert.Equal(2, r.Output.Count);
            Assert.All(r.Output, o => Assert.Equal(DmarcVerdict.Pass, ((DmarcComplianceResult)o.BaseObject).Verdict));
            Assert.Equal(1, _dns.Queries.Count(q => q.Name == "ses1._domainkey.example.org"));
            Assert.Equal(1, _dns.Queries.Count(q => q.Name == SesSelector + "._domainkey.amazonses.com"));
            Assert.Equal(1, _dns.Queries.Count(q => q.Name == "_dmarc.example.org"));
            Assert.Equal(1, _dns.Queries.Count(q => q.Name == "_dmarc.org")); // the walk goes on to the top: no psd tag stopped it

            // Files from Get-ChildItem bind by FullName.
            var items = PowerShellHost.Run("Get-ChildItem -LiteralPath $dir -Filter *.eml | Test-DmarcCompliance -DnsServer $dnsServer",
                new Dictionary<string, object?> { ["dir"] = _dir, ["dnsServer"] = $"127.0.0.1:{_dns.Port}" });
            Assert.Empty(items.Errors);
            Assert.Equal(new[] { first, second }, items.Output.Select(o => ((DmarcComplianceResult)o.BaseObject).Path).OrderBy(p => p));
        }

        [Fact]
        public void A_message_object_can_be_piped_in()
        {
            var r = PowerShellHost.Run("$message | Test-DmarcCompliance -DnsServer $dnsServer",
                new Dictionary<string, object?> { ["message"] = MimeMessage.Load(Save(SesMessage())), ["dnsServer"] = $"127.0.0.1:{_dns.Port}" });
            Assert.True(r.Errors.Count == 0, string.Join("\n", r.Errors.Select(e => e.FullyQualifiedErrorId + " " + e.Exception.Message)));
            var result = (DmarcComplianceResult)r.Output.Single().BaseObject;
            Assert.Equal(DmarcVerdict.Pass, result.Verdict);
            Assert.Null(result.Path);
        }

        [Fact]
        public void Bad_files_are_clear_errors_and_the_good_ones_are_still_checked()
        {
            var missing = Path.Combine(_dir, "missing.eml");
            var notMessage = Path.Combine(_dir, "notes.txt");
            File.WriteAllText(notMessage, "just some notes\nnothing like an email\n");
            var empty = Path.Combine(_dir, "empty.eml");
            File.WriteAllText(empty, "");
            var good = Save(SesMessage());
            var r = Check(missing, notMessage, empty, good);
            Assert.Single(r.Output);
            Assert.Equal(3, r.Errors.Count);
            Assert.StartsWith("OcdsAws.FileNotFound", r.Errors[0].FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, r.Errors[0].CategoryInfo.Category);
            Assert.All(r.Errors.Skip(1), e => Assert.StartsWith("OcdsAws.NotAMessage", e.FullyQualifiedErrorId));
        }

        [Fact]
        public void An_invalid_from_domain_fails_with_the_reason()
        {
            var message = NewMessage("data@exa_mple.org");
            var result = CheckOne(message);
            Assert.Equal(DmarcVerdict.Fail, result.Verdict);
            Assert.Contains("underscore", result.Reason);
        }
    }
}
