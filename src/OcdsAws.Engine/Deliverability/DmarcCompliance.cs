using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;
using OcdsAws.Dns;

namespace OcdsAws.Deliverability
{
    /// <summary>The DMARC verdict of one message.</summary>
    public enum DmarcVerdict
    {
        /// <summary>An aligned DKIM signature verifies, or SPF passed for an aligned MAIL FROM domain.</summary>
        Pass,

        /// <summary>Neither: receivers apply the domain's policy.</summary>
        Fail,
    }

    /// <summary>SPF as the receiving server recorded it in the message's headers.</summary>
    public sealed class SpfCheckResult
    {
        /// <summary>The receiver's SPF result (pass, fail, softfail, neutral, none, temperror, permerror); null when it recorded none.</summary>
        public string? Result { get; internal set; }

        /// <summary>The smtp.mailfrom (envelope-from / Return-Path) domain SPF was checked for.</summary>
        public string? MailFromDomain { get; internal set; }

        /// <summary>True when SPF passed and the MAIL FROM domain aligns with the From domain under aspf.</summary>
        public bool Aligned { get; internal set; }

        /// <summary>The header the result came from (Authentication-Results or Received-SPF), or why there is no result.</summary>
        public string? Source { get; internal set; }

        /// <summary>Alignment in words.</summary>
        public string? Alignment { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => $"spf={Result ?? "none recorded"} mailfrom={MailFromDomain}{(Aligned ? " aligned" : "")}";
    }

    /// <summary>A message's DMARC check: From domain, every DKIM signature, SPF, policy and the verdict with its reason.</summary>
    public sealed class DmarcComplianceResult
    {
        /// <summary>The file checked (null for a -Message object).</summary>
        public string? Path { get; internal set; }

        /// <summary>The message's Message-ID.</summary>
        public string? MessageId { get; internal set; }

        /// <summary>The message's Subject.</summary>
        public string? Subject { get; internal set; }

        /// <summary>The RFC5322.From address (null when there is not exactly one).</summary>
        public string? From { get; internal set; }

        /// <summary>The RFC5322.From domain DMARC is about.</summary>
        public string? FromDomain { get; internal set; }

        /// <summary>Pass or Fail.</summary>
        public DmarcVerdict Verdict { get; internal set; }

        /// <summary>What decided the verdict.</summary>
        public string Reason { get; internal set; } = "";

        /// <summary>The policy receivers apply to a failing message (none without a DMARC record).</summary>
        public string? DmarcPolicy { get; internal set; }

        /// <summary>The DMARC record found for the From domain.</summary>
        public DmarcRecordResult? Policy { get; internal set; }

        /// <summary>Every DKIM-Signature, top first.</summary>
        public IReadOnlyList<DkimSignatureResult> Dkim { get; internal set; } = Array.Empty<DkimSignatureResult>();

        /// <summary>SPF as the receiver saw it.</summary>
        public SpfCheckResult Spf { get; internal set; } = new SpfCheckResult();

        /// <summary>Notes for the reader, e.g. why SES's amazonses.com signature is not aligned.</summary>
        public IReadOnlyList<string> Notes { get; internal set; } = Array.Empty<string>();

        /// <inheritdoc />
        public override string ToString() => $"{Verdict}: {Reason}";
    }

    /// <summary>Checks a received message against DMARC (RFC 9989): any aligned verified DKIM signature, or aligned SPF pass.</summary>
    internal sealed class DmarcComplianceChecker
    {
        private readonly DmarcDiscovery _discovery;
        private readonly ExplainingDkimVerifier _verifier;

        private readonly string? _authServId;

        /// <summary>A checker asking <paramref name="resolver"/>; <paramref name="authServId"/> names the receiver whose Authentication-Results count (else the topmost header's).</summary>
        public DmarcComplianceChecker(DnsResolver resolver, string? authServId = null)
        {
            _authServId = string.IsNullOrWhiteSpace(authServId) ? null : authServId!.Trim();
            _discovery = new DmarcDiscovery(resolver);
            Keys = new DnsDkimKeyLocator(resolver);
            _verifier = new ExplainingDkimVerifier(Keys);
        }

        /// <summary>The key locator (its cache is shared by every message this checker sees).</summary>
        public DnsDkimKeyLocator Keys { get; }

        /// <summary>
        /// Reads a message file (a regular file of at most <see cref="SafeFile.MaxMessageBytes"/>; Ctrl+C stops the read); missing
        /// files, special files and files that are not messages are ValidationExceptions.
        /// </summary>
        public static MimeMessage Load(string path, CancellationToken ct = default)
        {
            MimeMessage message;
            using (var stream = SafeFile.OpenRead(path, "message file", SafeFile.MaxMessageBytes, ct, "NotAMessage", "Give a saved message (.eml)."))
            {
                try
                {
                    message = MimeMessage.Load(stream, ct);
                }
                catch (FormatException e)
                {
                    throw new ValidationException(ErrorIds.NotAMessage, $"'{path}' is not an email message (.eml): {e.Message.TrimEnd('.')}.", ErrorCategory.InvalidData);
                }
            }
            // MimeKit parses almost anything; a message has at least one of the headers every mail system writes.
            var ids = new[] { HeaderId.From, HeaderId.Date, HeaderId.MessageId, HeaderId.Received, HeaderId.DkimSignature, HeaderId.ReturnPath };
            if (!message.Headers.Any(h => ids.Contains(h.Id)))
                throw new ValidationException(ErrorIds.NotAMessage, $"'{path}' is not an email message (.eml): it has no From, Date, Message-ID, Received or DKIM-Signature header.", ErrorCategory.InvalidData);
            return message;
        }

        public async Task<DmarcComplianceResult> CheckAsync(MimeMessage message, string? path, CancellationToken ct)
        {
            var result = new DmarcComplianceResult { Path = path, MessageId = message.MessageId, Subject = message.Subject };
            var notes = new List<string>();
            result.Notes = notes;

            // RFC5322.From: exactly one header with exactly one address, or DMARC cannot say whose policy applies.
            var fromHeaders = message.Headers.Count(h => h.Id == HeaderId.From);
            var mailboxes = message.From.Mailboxes.ToList();
            string? problem = null;
            if (fromHeaders > 1) problem = $"the message has {fromHeaders} From headers; DMARC needs exactly one";
            else if (mailboxes.Count == 0) problem = "the message has no From address";
            else if (mailboxes.Count > 1) problem = $"the From header has {mailboxes.Count} addresses ({string.Join(", ", mailboxes.Select(m => m.Address))}); DMARC needs exactly one author domain";
            string? fromDomain = null;
            if (problem == null)
            {
                result.From = mailboxes[0].Address;
                var at = result.From.LastIndexOf('@');
                try
                {
                    fromDomain = DomainName.Normalize(at < 0 ? "" : result.From.Substring(at + 1), "The From domain");
                }
                catch (ValidationException e)
                {
                    problem = e.Message;
                }
            }

            // The signatures are checked even without a usable From, so the user still sees them.
            var signatures = await DkimCheck.VerifyAsync(message, _verifier, ct).ConfigureAwait(false);
            result.Dkim = signatures;
            result.Spf = ReadSpf(message, _authServId);

            if (problem != null || fromDomain == null)
            {
                result.Verdict = DmarcVerdict.Fail;
                result.Reason = problem ?? "the From domain is missing";
                return result;
            }
            result.FromDomain = fromDomain;

            var policy = await _discovery.DiscoverAsync(fromDomain, ct).ConfigureAwait(false);
            result.Policy = policy;
            result.DmarcPolicy = policy.Record == null ? "none" : policy.EffectivePolicy;
            var strictDkim = policy.Adkim == "s";
            var strictSpf = policy.Aspf == "s";
            var mode = (bool strict) => strict ? "strict" : "relaxed";

            // A DNS failure while judging one identifier's alignment (a tree walk above the From domain) is kept, not
            // thrown: another identifier may pass without it (identical domains need no walk, RFC 9989 §4.10.2). Only
            // when nothing passes does it decide the outcome: a temperror.
            // Only an identifier that could pass (a verified signature, an SPF pass) makes the failure decisive.
            OcdsAwsException? alignmentTempError = null;
            string? lastTempError = null;
            async Task<bool?> Aligned(string other, bool strict, bool couldPass)
            {
                try
                {
                    return await _discovery.AlignedAsync(fromDomain, other, strict, ct).ConfigureAwait(false);
                }
                catch (OcdsAwsException e) when (e.ErrorId == DmarcDiscovery.TempErrorId)
                {
                    if (couldPass) alignmentTempError ??= e;
                    lastTempError = e.Message;
                    return null;
                }
            }
            string Unknown(string what, bool strict) => $"whether {what} is aligned with {fromDomain} ({mode(strict)}) could not be determined: {lastTempError}";

            foreach (var s in signatures.Where(s => s.Domain != null))
            {
                var aligned = await Aligned(s.Domain!, strictDkim, s.Verified).ConfigureAwait(false);
                s.Aligned = aligned == true;
                s.Alignment = aligned == null ? Unknown($"d={s.Domain}", strictDkim)
                    : $"d={s.Domain} is {(s.Aligned ? "" : "not ")}aligned with {fromDomain} ({mode(strictDkim)}, adkim={policy.Adkim})";
                if (s.IsAmazonSes && aligned == false)
                {
                    s.Alignment += ": SES adds this signature to every message; it cannot align and does not need to, the sender domain's own signature does";
                    notes.Add("The d=amazonses.com signature is SES's own; it is never aligned with your domain and DMARC does not need it to be.");
                }
            }
            if (result.Spf.Result != null && result.Spf.MailFromDomain != null)
            {
                var known = await Aligned(result.Spf.MailFromDomain, strictSpf, result.Spf.Result == "pass").ConfigureAwait(false);
                var aligned = known == true;
                result.Spf.Aligned = aligned && result.Spf.Result == "pass";
                result.Spf.Alignment = known == null ? Unknown($"MAIL FROM {result.Spf.MailFromDomain}", strictSpf)
                    : $"MAIL FROM {result.Spf.MailFromDomain} is {(aligned ? "" : "not ")}aligned with {fromDomain} ({mode(strictSpf)}, aspf={policy.Aspf})";
                if (aligned && result.Spf.Result != "pass")
                    result.Spf.Alignment += $", but SPF did not pass ({result.Spf.Result})";
            }

            var passing = signatures.FirstOrDefault(s => s.Verified && s.Aligned);
            if (passing != null)
            {
                result.Verdict = DmarcVerdict.Pass;
                result.Reason = $"the DKIM signature d={passing.Domain} s={passing.Selector} verifies and is aligned with {fromDomain} ({mode(strictDkim)})";
            }
            else if (result.Spf.Aligned)
            {
                result.Verdict = DmarcVerdict.Pass;
                result.Reason = $"SPF passed for MAIL FROM {result.Spf.MailFromDomain}, which is aligned with {fromDomain} ({mode(strictSpf)})";
            }
            else if (alignmentTempError != null)
            {
                // No pass, and an identifier whose alignment DNS could not settle might have given one.
                throw alignmentTempError;
            }
            else
            {
                result.Verdict = DmarcVerdict.Fail;
                var why = new List<string>();
                if (signatures.Count == 0) why.Add("the message has no DKIM signature");
                foreach (var s in signatures)
                {
                    if (!s.Verified) why.Add($"DKIM d={s.Domain ?? "?"} s={s.Selector ?? "?"} does not verify ({s.Result}: {s.Reason})");
                    else why.Add($"DKIM d={s.Domain} verifies but is not aligned with {fromDomain} ({mode(strictDkim)}){(s.IsAmazonSes ? ", as expected for SES's own signature" : "")}");
                }
                if (result.Spf.Result == null) why.Add(result.Spf.Source == null ? "the receiver recorded no SPF result (no Authentication-Results or Received-SPF header)" : "the receiver recorded no SPF result (" + result.Spf.Source + ")");
                else if (result.Spf.Result != "pass") why.Add($"SPF is {result.Spf.Result} for {result.Spf.MailFromDomain ?? "an unknown MAIL FROM"}");
                else why.Add($"SPF passed for {result.Spf.MailFromDomain}, which is not aligned with {fromDomain} ({mode(strictSpf)})");
                result.Reason = "no aligned DKIM signature verifies and SPF is not aligned: " + string.Join("; ", why);
            }
            if (policy.Record == null)
                notes.Add($"{fromDomain} has no DMARC record, so receivers apply no DMARC policy; publish one at _dmarc.{fromDomain}.");
            else if (result.Verdict == DmarcVerdict.Fail)
                notes.Add($"Receivers apply p={result.DmarcPolicy} from _dmarc.{policy.PolicyDomain}{(policy.Record.Testing ? " (t=y: test mode, one step less strict)" : "")}.");
            return result;
        }

        private static readonly Regex ResultSpf = new Regex(@"^\s*spf\s*=\s*([A-Za-z]+)(.*)$", RegexOptions.Compiled | RegexOptions.Singleline | RegexOptions.IgnoreCase);
        private static readonly Regex MailFromProperty = new Regex(@"smtp\.mailfrom\s*=\s*""?<?([^\s;""<>]+)", RegexOptions.Compiled | RegexOptions.IgnoreCase);
        private static readonly Regex ReceivedSpf = new Regex(@"^\s*([A-Za-z]+)", RegexOptions.Compiled);
        private static readonly Regex EnvelopeFrom = new Regex(@"envelope-from\s*=\s*""?<?([^\s;""<>]+)", RegexOptions.Compiled | RegexOptions.IgnoreCase);

        /// <summary>
        /// SPF as the receiver recorded it. Only one Authentication-Results header is trusted: the one whose authserv-id
        /// is <paramref name="authServId"/>, else the topmost (receivers add theirs on top; RFC 8601 §5, paraphrased and not
        /// confirmed here word for word: a consumer uses only results from an authserv-id it trusts; anything below the
        /// receiver's header may have come with the message). Its spf result, if any, is the answer: a lower header is never consulted. Received-SPF (RFC 7208
        /// §9.1) counts only above the trusted header, or when there is no Authentication-Results at all and no
        /// authserv-id was named. Comments are dropped and quoted strings kept whole before results are read.
        /// </summary>
        internal static SpfCheckResult ReadSpf(MimeMessage message, string? authServId = null)
        {
            var headers = message.Headers.ToList();
            var results = headers.Select((h, i) => (Header: h, Index: i)).Where(x => x.Header.Id == HeaderId.AuthenticationResults).ToList();
            var trusted = authServId == null ? results.Select(x => ((Header, int)?)x).FirstOrDefault()
                : results.Where(x => string.Equals(AuthServIdOf(x.Header.Value), authServId, StringComparison.OrdinalIgnoreCase)).Select(x => ((Header, int)?)x).FirstOrDefault();
            if (authServId != null && trusted == null)
                return new SpfCheckResult { Source = $"no Authentication-Results header from {authServId} (the message has {results.Count})" };

            string? id = null, text = null;
            if (trusted != null)
            {
                text = StripComments(Unfold(trusted.Value.Item1.Value));
                id = AuthServIdOf(trusted.Value.Item1.Value);
                // RFC 8601 §2.2: authserv-id [version] *( ";" resinfo ): the first part names the receiver, the rest are
                // results; a ';' inside a quoted string is part of a value, not a separator.
                foreach (var resinfo in SplitOutsideQuotes(text).Skip(1))
                {
                    var m = ResultSpf.Match(resinfo);
                    if (!m.Success) continue;
                    var from = MailFromProperty.Match(m.Groups[2].Value);
                    return new SpfCheckResult
                    {
                        Result = m.Groups[1].Value.ToLowerInvariant(),
                        MailFromDomain = from.Success ? DomainOf(from.Groups[1].Value) : null,
                        Source = "Authentication-Results: " + text.Trim(),
                    };
                }
            }

            var limit = trusted?.Item2 ?? headers.Count;
            var receivedSpf = headers.Take(limit).FirstOrDefault(h => h.Id == HeaderId.ReceivedSPF);
            if (receivedSpf != null)
            {
                var raw = Unfold(receivedSpf.Value);
                var m = ReceivedSpf.Match(raw);
                if (m.Success)
                {
                    var from = EnvelopeFrom.Match(raw);
                    return new SpfCheckResult
                    {
                        Result = m.Groups[1].Value.ToLowerInvariant(),
                        MailFromDomain = from.Success ? DomainOf(from.Groups[1].Value) : null,
                        Source = "Received-SPF: " + raw.Trim(),
                    };
                }
            }
            if (trusted == null) return new SpfCheckResult();
            return new SpfCheckResult { Source = $"Authentication-Results from {id} records no SPF result: " + text!.Trim() };
        }

        /// <summary>The authserv-id of an Authentication-Results value: its first token (RFC 8601 §2.2).</summary>
        internal static string AuthServIdOf(string value)
        {
            var first = SplitOutsideQuotes(StripComments(Unfold(value))).FirstOrDefault() ?? "";
            var token = first.Trim().Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            return token.Trim('"');
        }

        private static IEnumerable<string> SplitOutsideQuotes(string text)
        {
            var part = new System.Text.StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted && c == '\\' && i + 1 < text.Length)
                {
                    part.Append(c).Append(text[++i]); // quoted-pair
                    continue;
                }
                if (c == '"') quoted = !quoted;
                if (c == ';' && !quoted)
                {
                    yield return part.ToString();
                    part.Clear();
                    continue;
                }
                part.Append(c);
            }
            yield return part.ToString();
        }

        private static string Unfold(string value) => Regex.Replace(value, @"\r?\n[ \t]*", " ");

        private static string StripComments(string value)
        {
            var chars = new List<char>();
            var depth = 0;
            var quoted = false;
            foreach (var c in value)
            {
                if (c == '"' && depth == 0) quoted = !quoted;
                if (!quoted && c == '(') depth++;
                else if (!quoted && c == ')' && depth > 0) depth--;
                else if (depth == 0) chars.Add(c);
            }
            return new string(chars.ToArray());
        }

        private static string? DomainOf(string addressOrDomain)
        {
            var at = addressOrDomain.LastIndexOf('@');
            var domain = (at < 0 ? addressOrDomain : addressOrDomain.Substring(at + 1)).Trim().TrimEnd('.').ToLowerInvariant();
            return domain.Length == 0 ? null : domain;
        }
    }
}
