using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;
using MimeKit.Cryptography;
using OcdsAws.Dns;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace OcdsAws.Deliverability
{
    /// <summary>The outcome of checking one DKIM-Signature (RFC 8601 result names).</summary>
    public enum DkimResult
    {
        /// <summary>The signature verifies.</summary>
        Pass,

        /// <summary>The signature does not verify (body or a signed header changed, or the wrong key).</summary>
        Fail,

        /// <summary>The signature can never verify: malformed, key missing or revoked, unsupported algorithm.</summary>
        PermError,

        /// <summary>DNS could not be asked for the key; try again later.</summary>
        TempError,
    }

    /// <summary>One DKIM-Signature of a message: who signed, whether it verifies, whether it is aligned with the From domain.</summary>
    public sealed class DkimSignatureResult
    {
        /// <summary>d=: the signing domain.</summary>
        public string? Domain { get; internal set; }

        /// <summary>s=: the selector (the key is at selector._domainkey.domain).</summary>
        public string? Selector { get; internal set; }

        /// <summary>a=: the algorithm, e.g. rsa-sha256.</summary>
        public string? Algorithm { get; internal set; }

        /// <summary>Pass, Fail, PermError or TempError.</summary>
        public DkimResult Result { get; internal set; }

        /// <summary>True when the signature verifies.</summary>
        public bool Verified => Result == DkimResult.Pass;

        /// <summary>Why it does not verify (null when it does).</summary>
        public string? Reason { get; internal set; }

        /// <summary>True when d= aligns with the From domain under the policy's adkim.</summary>
        public bool Aligned { get; internal set; }

        /// <summary>The alignment in words, e.g. "d=amazonses.com is not aligned with example.org (relaxed)".</summary>
        public string? Alignment { get; internal set; }

        /// <summary>True for SES's own d=amazonses.com signature, which is never aligned and does not need to be.</summary>
        public bool IsAmazonSes { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => $"d={Domain} s={Selector} {Result}{(Aligned ? " aligned" : " not aligned")}";
    }

    /// <summary>A DKIM key record from DNS: the key and the record's tags (RFC 6376 §3.6.1).</summary>
    internal sealed class DkimKeyRecord
    {
        public DkimKeyRecord(string name, AsymmetricKeyParameter key, IReadOnlyDictionary<string, string> tags)
        {
            Name = name;
            Key = key;
            Tags = tags;
        }

        /// <summary>selector._domainkey.domain.</summary>
        public string Name { get; }

        public AsymmetricKeyParameter Key { get; }

        public IReadOnlyDictionary<string, string> Tags { get; }
    }

    /// <summary>A DKIM key lookup that cannot give a key, with the DKIM result it means.</summary>
    internal sealed class DkimKeyException : Exception
    {
        public DkimKeyException(DkimResult result, string message) : base(message) => Result = result;

        public DkimResult Result { get; }
    }

    /// <summary>
    /// MimeKit's public-key locator on our <see cref="DnsResolver"/>: TXT at selector._domainkey.domain, cached per
    /// selector and domain (a pipeline of messages from one sender asks once). A missing or revoked key is a
    /// <see cref="DkimKeyException"/>, so the reason reaches the user instead of MimeKit's generic failure.
    /// </summary>
    internal sealed class DnsDkimKeyLocator : DkimPublicKeyLocatorBase
    {
        private readonly DnsResolver _resolver;
        private readonly ConcurrentDictionary<string, Lazy<Task<DkimKeyRecord>>> _keys =
            new ConcurrentDictionary<string, Lazy<Task<DkimKeyRecord>>>(StringComparer.OrdinalIgnoreCase);
        private int _queries;

        public DnsDkimKeyLocator(DnsResolver resolver) => _resolver = resolver;

        /// <summary>DNS questions asked for keys (one per selector and domain).</summary>
        public int Queries => Volatile.Read(ref _queries);

        /// <inheritdoc />
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
            => LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

        /// <inheritdoc />
        public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
            => (await KeyRecordAsync(domain, selector, cancellationToken).ConfigureAwait(false)).Key;

        /// <summary>The key record at selector._domainkey.domain (asked once, then cached).</summary>
        /// <exception cref="DkimKeyException">No usable key record.</exception>
        public Task<DkimKeyRecord> KeyRecordAsync(string domain, string selector, CancellationToken cancellationToken)
        {
            var name = $"{selector}._domainkey.{domain}".ToLowerInvariant();
            return _keys.GetOrAdd(name, n => new Lazy<Task<DkimKeyRecord>>(() => FetchAsync(n, cancellationToken))).Value;
        }

        private async Task<DkimKeyRecord> FetchAsync(string name, CancellationToken ct)
        {
            Interlocked.Increment(ref _queries);
            var lookup = await _resolver.QueryAsync(name, "TXT", ct).ConfigureAwait(false);
            if (!lookup.Reachable) throw new DkimKeyException(DkimResult.TempError, $"the key could not be looked up: {lookup.Error}");
            var records = lookup.Answers.Where(a => a.Type == "TXT").Select(a => a.Value).ToList();
            // RFC 6376 §3.6.1 (https://www.rfc-editor.org/rfc/rfc6376#section-3.6.1), v=: "Records beginning with a "v="
            // tag with any other value [than DKIM1] MUST be discarded"; s=: "Verifiers for a given service type MUST ignore
            // this record if the appropriate type is not listed" (email, or * for all). Both quoted as verifier
            // implementations and the issue quote them; the RFC's own page was not readable here.
            var discarded = new List<string>();
            var usable = new List<string>();
            foreach (var record in records)
            {
                var first = record.Split(';')[0];
                var eq = first.IndexOf('=');
                var version = eq > 0 && first.Substring(0, eq).Trim() == "v" ? first.Substring(eq + 1).Trim() : null;
                var services = Tags(record).TryGetValue("s", out var sv) ? sv.Split(':') : new[] { "*" };
                if (version != null && version != "DKIM1") discarded.Add($"v={version} (only v=DKIM1 is a DKIM key record; RFC 6376 says to discard it)");
                else if (!services.Any(x => x == "*" || x == "email")) discarded.Add($"s={string.Join(":", services)} (not for email; RFC 6376 says to ignore it)");
                else usable.Add(record);
            }
            // A key record has p=; other TXT records at the name (rare) are not keys.
            var keys = usable.Where(r => Tags(r).ContainsKey("p")).ToList();
            if (keys.Count == 0)
                throw new DkimKeyException(DkimResult.PermError, discarded.Count > 0
                    ? $"{name} has no usable DKIM key record: its record has {discarded[0]}"
                    : lookup.NameExists
                    ? $"{name} has no DKIM key record (no TXT with p=)"
                    : $"the key record {name} does not exist (NXDOMAIN): the selector is wrong or the key was removed");
            if (keys.Count > 1) throw new DkimKeyException(DkimResult.PermError, $"{name} has {keys.Count} key records; a selector must have one");
            var tags = Tags(keys[0]);
            if (tags["p"].Length == 0) throw new DkimKeyException(DkimResult.PermError, $"the key at {name} is revoked (p= is empty)");
            try
            {
                return new DkimKeyRecord(name, GetPublicKey(keys[0]), tags);
            }
            catch (Exception e) when (e is ParseException || e is FormatException || e is ArgumentException || e is InvalidCastException)
            {
                throw new DkimKeyException(DkimResult.PermError, $"the key record at {name} cannot be read: {e.Message.TrimEnd('.')}");
            }
        }

        /// <summary>A DKIM tag list (tag=value; ...), values with folding whitespace removed.</summary>
        internal static Dictionary<string, string> Tags(string text)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var part in text.Split(';'))
            {
                var eq = part.IndexOf('=');
                if (eq <= 0) continue;
                var name = part.Substring(0, eq).Trim();
                if (name.Length == 0 || tags.ContainsKey(name)) continue;
                tags[name] = new string(part.Substring(eq + 1).Where(c => !char.IsWhiteSpace(c)).ToArray());
            }
            return tags;
        }
    }

    /// <summary>MimeKit's verifier, with its body-hash check exposed so a failure can say whether the body changed.</summary>
    internal sealed class ExplainingDkimVerifier : DkimVerifier
    {
        public ExplainingDkimVerifier(DnsDkimKeyLocator locator) : base(locator)
        {
            // rsa-sha1 stays off (MimeKit's default): RFC 8301 §3.1 forbids verifying it, and DkimCheck reports it
            // as a permerror before MimeKit sees it.
            Keys = locator;
        }

        /// <summary>The locator keys come from (MimeKit keeps its own reference protected).</summary>
        public DnsDkimKeyLocator Keys { get; }

        /// <summary>True when the body hash bh= of <paramref name="tags"/> matches the message's body.</summary>
        public bool BodyMatches(MimeMessage message, IReadOnlyDictionary<string, string> tags)
        {
            var algorithm = tags["a"] == "ed25519-sha256" ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256;
            var c = tags.TryGetValue("c", out var cv) ? cv : "simple/simple";
            var body = c.Contains("/") ? c.Substring(c.IndexOf('/') + 1) : "simple";
            var canon = body == "relaxed" ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple;
            var length = tags.TryGetValue("l", out var l) && int.TryParse(l, out var n) ? n : -1;
            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            return VerifyBodyHash(options, message, algorithm, canon, length, tags["bh"]);
        }
    }

    /// <summary>Checks every DKIM-Signature of a message.</summary>
    internal static class DkimCheck
    {
        private static readonly string[] Required = { "v", "a", "b", "bh", "d", "h", "s" };

        /// <summary>Verifies each DKIM-Signature header, top first. Alignment is filled in by the caller.</summary>
        public static async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(MimeMessage message, ExplainingDkimVerifier verifier, CancellationToken ct)
        {
            var results = new List<DkimSignatureResult>();
            foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList())
            {
                var tags = DnsDkimKeyLocator.Tags(header.Value);
                var result = new DkimSignatureResult
                {
                    Domain = tags.TryGetValue("d", out var d) ? d.ToLowerInvariant() : null,
                    Selector = tags.TryGetValue("s", out var s) ? s : null,
                    Algorithm = tags.TryGetValue("a", out var a) ? a : null,
                };
                result.IsAmazonSes = result.Domain == "amazonses.com";
                results.Add(result);

                var missing = Required.Where(t => !tags.ContainsKey(t)).ToList();
                if (missing.Count > 0)
                {
                    result.Result = DkimResult.PermError;
                    result.Reason = $"the signature is malformed: it lacks the tag{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}";
                    continue;
                }
                if (tags["v"] != "1")
                {
                    result.Result = DkimResult.PermError;
                    result.Reason = $"v={tags["v"]} is not DKIM version 1";
                    continue;
                }
                // RFC 8301 §3.1 (https://www.rfc-editor.org/rfc/rfc8301#section-3.1): "rsa-sha1 MUST NOT be used for signing
                // or verifying", and signatures with such historic algorithms count as having permanently failed evaluation
                // (both as quoted in design.md §5 and a secondary summary; the RFC's own text was not readable here).
                // So a permerror, never verified, never a DMARC pass; the key is not even asked for.
                if (string.Equals(tags["a"].Trim(), "rsa-sha1", StringComparison.OrdinalIgnoreCase))
                {
                    result.Result = DkimResult.PermError;
                    result.Reason = "a=rsa-sha1: RFC 8301 forbids verifying rsa-sha1 signatures (SHA-1 is broken); the signer must sign with rsa-sha256";
                    continue;
                }
                if (!tags["h"].Split(':').Any(h => h.Trim().Equals("from", StringComparison.OrdinalIgnoreCase)))
                {
                    result.Result = DkimResult.PermError;
                    result.Reason = "the signature does not cover the From header (h= must include from)";
                    continue;
                }

                // A signature that cannot be read is a PermError for that signature alone; the others still count.
                var unreadable = Unreadable(tags);
                if (unreadable != null)
                {
                    result.Result = DkimResult.PermError;
                    result.Reason = unreadable;
                    continue;
                }

                // RFC 6376 §3.5: past x= the signature is no longer valid, however well it verifies. Unreadable already
                // checked that x= is digits; a value past year 9999 is simply not expired.
                if (tags.TryGetValue("x", out var x) && long.TryParse(x, out var expires) && expires < DateTimeOffset.UtcNow.ToUnixTimeSeconds())
                {
                    result.Result = DkimResult.Fail;
                    result.Reason = $"the signature expired at {DateTimeOffset.FromUnixTimeSeconds(expires).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (x=)";
                    continue;
                }

                try
                {
                    var refusal = KeyRefuses(await verifier.Keys.KeyRecordAsync(tags["d"], tags["s"], ct).ConfigureAwait(false), tags);
                    if (refusal != null)
                    {
                        result.Result = DkimResult.PermError;
                        result.Reason = refusal;
                        continue;
                    }
                    if (await verifier.VerifyAsync(message, header, ct).ConfigureAwait(false))
                    {
                        result.Result = DkimResult.Pass;
                        continue;
                    }
                    result.Result = DkimResult.Fail;
                    // MimeKit answers false, not an error, for keys below its minimum; say so rather than "changed".
                    var key = await verifier.Keys.LocatePublicKeyAsync(tags.TryGetValue("q", out var q) ? q : "dns/txt", tags["d"], tags["s"], ct).ConfigureAwait(false);
                    if (key is RsaKeyParameters rsa && rsa.Modulus.BitLength < verifier.MinimumRsaKeyLength)
                    {
                        result.Result = DkimResult.PermError;
                        result.Reason = $"the key is {rsa.Modulus.BitLength} bits; verifiers refuse RSA keys shorter than {verifier.MinimumRsaKeyLength} bits";
                        continue;
                    }
                    result.Reason = verifier.BodyMatches(message, tags)
                        ? "the signature does not match: a signed header changed after signing, or the DNS key is not the signing key"
                        : "the body hash (bh=) does not match: the body changed after signing";
                }
                catch (DkimKeyException e)
                {
                    result.Result = e.Result;
                    result.Reason = e.Message;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e) when (e is FormatException || e is ParseException || e is NotSupportedException || e is ArgumentException
                    || e is InvalidOperationException || e is InvalidCastException || e is OverflowException || e is CryptoException)
                {
                    // One signature MimeKit or BouncyCastle cannot handle (a key of the wrong shape…) is that signature's
                    // PermError; the message goes on to the next signature.
                    result.Result = DkimResult.PermError;
                    result.Reason = "MimeKit cannot verify the signature: " + e.Message.TrimEnd('.');
                }
            }
            return results;
        }

        /// <summary>Why the signature's own tags make it unverifiable (RFC 6376 §3.5, §6.1.1), or null.</summary>
        private static string? Unreadable(IReadOnlyDictionary<string, string> tags)
        {
            // d= and s= make the DNS name of the key: RFC 1035 §2.3.4 labels of 1 to 63 octets, 255 octets in all.
            var keyName = $"{tags["s"]}._domainkey.{tags["d"]}";
            foreach (var (tag, value) in new[] { ("d", tags["d"]), ("s", tags["s"]) })
            {
                var label = value.Split('.').FirstOrDefault(l => l.Length == 0 || l.Length > 63);
                if (label != null)
                    return label.Length == 0 ? $"{tag}={value} has an empty label: it is not a domain name"
                        : $"{tag}={value} has a label of {label.Length} characters; DNS labels are at most 63";
                if (value.Any(c => c > 127 || char.IsWhiteSpace(c) || c == ';'))
                    return $"{tag}={value} is not an ASCII domain name";
            }
            if (keyName.Length + 2 > 255)
                return $"the key's name {keyName.Substring(0, 40)}… is {keyName.Length + 2} octets in DNS; a name is at most 255";

            // RFC 6376 §3.5 i=: "The domain part of the address MUST be the same as, or a subdomain of, the value of the
            // d= tag"; §6.1.1: otherwise the verifier returns PERMFAIL (domain mismatch).
            if (tags.TryGetValue("i", out var identity))
            {
                var domain = IdentityDomain(identity);
                if (!DomainName.IsSameOrSubdomainOf(domain, tags["d"]))
                    return $"i={identity} is not in d={tags["d"]} or a subdomain of it (RFC 6376 §6.1.1: domain mismatch)";
            }

            // RFC 6376 §3.5 x=: an unsigned decimal integer (seconds since 1970).
            if (tags.TryGetValue("x", out var x) && (x.Length == 0 || !x.All(c => c >= '0' && c <= '9')))
                return $"x={x} is not an expiry time (RFC 6376 §3.5: an unsigned decimal number of seconds since 1970)";
            return null;
        }

        /// <summary>Why the key record refuses this signature (RFC 6376 §3.6.1, §6.1.2), or null.</summary>
        private static string? KeyRefuses(DkimKeyRecord key, IReadOnlyDictionary<string, string> tags)
        {
            var algorithm = tags["a"].Trim().ToLowerInvariant();
            var dash = algorithm.IndexOf('-');
            var keyType = dash > 0 ? algorithm.Substring(0, dash) : algorithm;
            var hash = dash > 0 ? algorithm.Substring(dash + 1) : "";
            // §6.1.2: "If the public key data is not suitable for use with the algorithm and key types defined by the
            // "a=" and "k=" tags ..., the Verifier MUST immediately return PERMFAIL (inappropriate key algorithm)."
            // k= defaults to rsa (§3.6.1).
            var k = key.Tags.TryGetValue("k", out var kv) ? kv.ToLowerInvariant() : "rsa";
            if (k != keyType)
                return $"the key at {key.Name} is k={k}, but the signature is a={tags["a"]} (RFC 6376 §6.1.2: inappropriate key algorithm)";
            // §6.1.2: "If the "h=" tag exists in the public key record and the hash algorithm implied by the a= tag in
            // the DKIM-Signature header field is not included in the contents of the "h=" tag, the verifier MUST ignore
            // the key record and return PERMFAIL (inappropriate hash algorithm)." (as quoted in several verifiers' sources;
            // the RFC's own page was not readable here)
            if (key.Tags.TryGetValue("h", out var hv) && !hv.ToLowerInvariant().Split(':').Contains(hash))
                return $"the key at {key.Name} allows only h={hv}, not the signature's {hash} (RFC 6376 §6.1.2: inappropriate hash algorithm)";
            // §3.6.1 t=s: "Any DKIM-Signature header fields using the "i=" tag MUST have the same domain value on the
            // right-hand side of the "@" in the "i=" tag and the value of the "d=" tag. That is, the "i=" domain MUST
            // NOT be a subdomain of "d="." Not confirmed here: which result RFC 6376 names for it; a signature the key
            // forbids can never verify, so it is a PermError here.
            if (key.Tags.TryGetValue("t", out var tv) && tv.Split(':').Contains("s") && tags.TryGetValue("i", out var identity)
                && !string.Equals(IdentityDomain(identity), tags["d"].TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
                return $"the key at {key.Name} has t=s (strict): i={identity} must be in d={tags["d"]} itself, not a subdomain";
            return null;
        }

        private static string IdentityDomain(string identity)
        {
            var at = identity.LastIndexOf('@');
            return (at < 0 ? identity : identity.Substring(at + 1)).Trim().TrimEnd('.').ToLowerInvariant();
        }
    }
}
