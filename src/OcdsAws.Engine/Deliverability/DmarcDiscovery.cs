using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Dns;

namespace OcdsAws.Deliverability
{
    /// <summary>The DMARC policy that applies to a domain, and how it was found.</summary>
    public sealed class DmarcRecordResult
    {
        /// <summary>The domain asked about (e.g. the RFC5322.From domain).</summary>
        public string Domain { get; internal set; } = "";

        /// <summary>"RFC 9989 tree walk" or "RFC 7489 public suffix list".</summary>
        public string Method { get; internal set; } = "";

        /// <summary>The domain whose record applies: the domain itself when it has one, else the organizational domain, else the public suffix domain (psd=y).</summary>
        public string? PolicyDomain { get; internal set; }

        /// <summary>The organizational domain (relaxed alignment compares these); null when no record anywhere says, or when DNS failed above a domain that has its own record (see Problems).</summary>
        public string? OrganizationalDomain { get; internal set; }

        /// <summary>The record at <see cref="PolicyDomain"/>, parsed; null when no DMARC record applies.</summary>
        public DmarcPolicyRecord? Record { get; internal set; }

        /// <summary>The policy for <see cref="Domain"/>: p at the policy domain itself, sp (falling back to p) for a subdomain; "none" without a record.</summary>
        public string EffectivePolicy { get; internal set; } = "none";

        /// <summary>p of the record (null without one).</summary>
        public string? Policy => Record?.Policy;

        /// <summary>adkim of the record (r when absent).</summary>
        public string Adkim => Record?.Adkim ?? "r";

        /// <summary>aspf of the record (r when absent).</summary>
        public string Aspf => Record?.Aspf ?? "r";

        /// <summary>The _dmarc names asked, in order.</summary>
        public IReadOnlyList<string> Queries { get; internal set; } = Array.Empty<string>();

        /// <summary>Discovery problems (several records at a name, records that are not DMARC) and the record's own problems.</summary>
        public IReadOnlyList<string> Problems { get; internal set; } = Array.Empty<string>();

        /// <inheritdoc />
        public override string ToString() => Record == null ? $"{Domain}: no DMARC record" : $"{Domain}: {Record.Text} (at {PolicyDomain})";
    }

    /// <summary>What one _dmarc TXT question found.</summary>
    internal sealed class DmarcAnswer
    {
        public DmarcAnswer(string domain, DmarcPolicyRecord? record, string? problem)
        {
            Domain = domain;
            Record = record;
            Problem = problem;
        }

        public string Domain { get; }

        public DmarcPolicyRecord? Record { get; }

        public string? Problem { get; }
    }

    /// <summary>
    /// DMARC policy discovery and organizational domains: RFC 9989's DNS tree walk (at most 8 queries, no Public
    /// Suffix List), or RFC 7489's Public Suffix List when the user supplies one. Answers are cached per name, so
    /// checking a message's From and DKIM domains asks each _dmarc name once.
    /// </summary>
    internal sealed class DmarcDiscovery
    {
        /// <summary>RFC 9989: a walk asks the domain itself and at most 7 shorter names.</summary>
        public const int MaxQueries = 8;

        /// <summary>The error id of a DMARC record that DNS could not give (DMARC's temperror).</summary>
        public const string TempErrorId = "DnsUnavailable";

        private readonly DnsResolver _resolver;
        private readonly PublicSuffixList? _psl;
        private readonly ConcurrentDictionary<string, Lazy<Task<DmarcAnswer>>> _answers = new ConcurrentDictionary<string, Lazy<Task<DmarcAnswer>>>(StringComparer.Ordinal);

        public DmarcDiscovery(DnsResolver resolver, PublicSuffixList? psl = null)
        {
            _resolver = resolver;
            _psl = psl;
        }

        /// <summary>The names RFC 9989's tree walk asks for <paramref name="domain"/>, in order (before any stop).</summary>
        public static IReadOnlyList<string> WalkTargets(string domain)
        {
            var labels = domain.Split('.');
            var targets = new List<string> { domain };
            // Fewer than 8 labels: one label at a time. 8 or more: jump to the 7 rightmost labels, so at most 8 queries.
            var next = labels.Length >= MaxQueries ? MaxQueries - 1 : labels.Length - 1;
            for (var n = next; n >= 1; n--) targets.Add(string.Join(".", labels.Skip(labels.Length - n)));
            return targets;
        }

        /// <summary>Finds the policy for <paramref name="domain"/> (already normalized).</summary>
        /// <exception cref="OcdsAwsException">DNS could not answer (DMARC's temperror).</exception>
        public async Task<DmarcRecordResult> DiscoverAsync(string domain, CancellationToken ct)
        {
            var result = new DmarcRecordResult { Domain = domain };
            var asked = new List<string>();
            var problems = new List<string>();
            var found = new List<DmarcAnswer>();
            string? unknownOrganizational = null;

            async Task<DmarcAnswer> Ask(string name)
            {
                var answer = await LookupAsync(name, ct).ConfigureAwait(false);
                asked.Add("_dmarc." + name);
                if (answer.Problem != null) problems.Add(answer.Problem);
                if (answer.Record != null) found.Add(answer);
                return answer;
            }

            if (_psl != null)
            {
                result.Method = "RFC 7489 public suffix list";
                var org = _psl.OrganizationalDomain(domain);
                result.OrganizationalDomain = org;
                var own = await Ask(domain).ConfigureAwait(false);
                var at = own.Record != null ? own : org != domain ? await Ask(org).ConfigureAwait(false) : own;
                if (at.Record != null)
                {
                    result.PolicyDomain = at.Domain;
                    result.Record = at.Record;
                }
            }
            else
            {
                result.Method = "RFC 9989 tree walk";
                // RFC 9989 §4.10.1: the policy is the record of the Author Domain, else of its Organizational Domain,
                // else of its Public Suffix Domain (the text read here is draft-ietf-dmarc-dmarcbis-41 §4.10.1, the
                // version sent to the RFC Editor; RFC 9989's final wording was not readable here).
                var own = await Ask(domain).ConfigureAwait(false);
                // The walk goes on for the Organizational Domain (relaxed alignment, and the fallback policy) unless
                // the record's psd tag already ends it (§4.10 step 2).
                if (own.Record == null || (own.Record.Psd != "n" && own.Record.Psd != "y"))
                {
                    try
                    {
                        foreach (var target in WalkTargets(domain).Skip(1))
                        {
                            var answer = await Ask(target).ConfigureAwait(false);
                            // A record that says whether it is a public suffix ends the walk (§4.10 step 6).
                            if (answer.Record != null && (answer.Record.Psd == "n" || answer.Record.Psd == "y")) break;
                        }
                    }
                    catch (OcdsAwsException e) when (e.ErrorId == TempErrorId && own.Record != null)
                    {
                        // The policy is the domain's own record whatever lies above it; only the Organizational
                        // Domain is unknown. Identical domains still align (§4.10.2), so this is no temperror yet.
                        unknownOrganizational = e.Message;
                    }
                }
                if (unknownOrganizational == null) result.OrganizationalDomain = Organizational(domain, found);
                else problems.Add($"The organizational domain of {domain} is unknown, so only identical domains can be judged aligned: {unknownOrganizational}");

                var psd = found.FirstOrDefault(f => f.Record!.Psd == "y" && f.Domain != domain);
                var policy = own.Record != null ? own
                    : found.FirstOrDefault(f => f.Domain == result.OrganizationalDomain)
                    // "Note: PSD policy is not used for Organizational Domains that have published a DMARC Policy Record" (§4.10.1).
                    ?? psd;
                if (policy != null)
                {
                    result.PolicyDomain = policy.Domain;
                    result.Record = policy.Record;
                }
            }

            if (result.Record != null)
            {
                result.EffectivePolicy = result.PolicyDomain == domain ? result.Record.Policy : result.Record.SubdomainPolicy ?? result.Record.Policy;
                if (result.PolicyDomain != domain && result.Record.NonExistentSubdomainPolicy != null)
                {
                    // np applies to a subdomain that does not exist at all; NXDOMAIN for one type says so for every type.
                    var exists = await _resolver.QueryAsync(domain, "A", ct).ConfigureAwait(false);
                    if (exists.Reachable && !exists.NameExists)
                    {
                        result.EffectivePolicy = result.Record.NonExistentSubdomainPolicy;
                        problems.Add($"{domain} does not exist (NXDOMAIN): np={result.Record.NonExistentSubdomainPolicy} applies.");
                    }
                }
                problems.AddRange(result.Record.Problems.Select(p => $"_dmarc.{result.PolicyDomain}: {p}"));
            }
            result.Queries = asked;
            result.Problems = problems;
            return result;
        }

        /// <summary>
        /// The organizational domain of <paramref name="domain"/>, for alignment. Without any DMARC record in
        /// its tree, the domain counts as its own (so only identical domains align).
        /// </summary>
        public async Task<string> OrganizationalDomainAsync(string domain, CancellationToken ct)
        {
            if (_psl != null) return _psl.OrganizationalDomain(domain);
            var found = new List<DmarcAnswer>();
            foreach (var target in WalkTargets(domain))
            {
                var answer = await LookupAsync(target, ct).ConfigureAwait(false);
                if (answer.Record == null) continue;
                found.Add(answer);
                if (answer.Record.Psd == "n" || answer.Record.Psd == "y") break;
            }
            return Organizational(domain, found) ?? domain;
        }

        /// <summary>Relaxed alignment: the same organizational domain. Strict: the same domain.</summary>
        public async Task<bool> AlignedAsync(string fromDomain, string otherDomain, bool strict, CancellationToken ct)
        {
            // Identical domains are aligned in strict mode ("identical", RFC 9989 §4.10.2) and in relaxed mode (one
            // domain has one Organizational Domain), so no tree walk: DNS trouble above them cannot change the answer.
            if (string.Equals(fromDomain, otherDomain, StringComparison.OrdinalIgnoreCase)) return true;
            if (strict) return false;
            // Organizational domains are common ancestors; without one of two labels or more there is nothing to ask.
            if (CommonSuffixLabels(fromDomain, otherDomain) < 2) return false;
            var a = await OrganizationalDomainAsync(fromDomain, ct).ConfigureAwait(false);
            var b = await OrganizationalDomainAsync(otherDomain, ct).ConfigureAwait(false);
            return string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        }

        private static int CommonSuffixLabels(string a, string b)
        {
            var x = a.ToLowerInvariant().Split('.').AsEnumerable().Reverse().ToList();
            var y = b.ToLowerInvariant().Split('.').AsEnumerable().Reverse().ToList();
            var n = 0;
            while (n < x.Count && n < y.Count && x[n] == y[n]) n++;
            return n;
        }

        // RFC 9989 §4.10.2: from the longest name: psd=n is the organizational domain; psd=y (not on the domain
        // itself) makes the name one label below it the organizational domain; otherwise the record with the
        // fewest labels.
        private static string? Organizational(string domain, IReadOnlyList<DmarcAnswer> found)
        {
            var labels = domain.Split('.');
            foreach (var f in found.OrderByDescending(f => f.Domain.Split('.').Length))
            {
                if (f.Record!.Psd == "n") return f.Domain;
                if (f.Record.Psd == "y")
                {
                    if (f.Domain == domain) return domain;
                    var n = f.Domain.Split('.').Length + 1;
                    return string.Join(".", labels.Skip(labels.Length - n));
                }
            }
            return found.OrderBy(f => f.Domain.Split('.').Length).FirstOrDefault()?.Domain;
        }

        private Task<DmarcAnswer> LookupAsync(string domain, CancellationToken ct)
            => _answers.GetOrAdd(domain, d => new Lazy<Task<DmarcAnswer>>(() => QueryAsync(d, ct))).Value;

        private async Task<DmarcAnswer> QueryAsync(string domain, CancellationToken ct)
        {
            var lookup = await _resolver.QueryAsync("_dmarc." + domain, "TXT", ct).ConfigureAwait(false);
            if (!lookup.Reachable)
                throw new OcdsAwsException(TempErrorId, $"Cannot look up the DMARC record of {domain} (a DMARC temperror): {lookup.Error}", ErrorCategory.ResourceUnavailable);
            // Every TXT answer, wherever a CNAME chain led: domains delegate _dmarc to report providers that way.
            var texts = lookup.Answers.Where(a => a.Type == "TXT").Select(a => a.Value).ToList();
            var dmarc = texts.Where(DmarcPolicyRecord.IsDmarc).ToList();
            if (dmarc.Count > 1)
                return new DmarcAnswer(domain, null, $"_dmarc.{domain} has {dmarc.Count} DMARC records; several records count as none.");
            if (dmarc.Count == 0)
            {
                var near = texts.FirstOrDefault(t => t.TrimStart().StartsWith("v=", StringComparison.OrdinalIgnoreCase) && t.IndexOf("dmarc", StringComparison.OrdinalIgnoreCase) >= 0);
                return new DmarcAnswer(domain, null, near == null ? null : $"_dmarc.{domain} has '{near}', which does not start with exactly v=DMARC1; it is ignored.");
            }
            return new DmarcAnswer(domain, DmarcPolicyRecord.Parse(dmarc[0]), null);
        }
    }

    /// <summary>The Public Suffix List (publicsuffix.org format), for RFC 7489's organizational domains.</summary>
    internal sealed class PublicSuffixList
    {
        private readonly HashSet<string> _rules = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _wildcards = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _exceptions = new HashSet<string>(StringComparer.Ordinal);

        private PublicSuffixList()
        {
        }

        /// <summary>Reads a list file: a regular file of at most <see cref="SafeFile.MaxPublicSuffixListBytes"/>; Ctrl+C stops the read.</summary>
        /// <exception cref="ValidationException">Missing file, special file, too large, or no rules in it.</exception>
        public static PublicSuffixList Load(string path, CancellationToken ct = default)
        {
            var list = new PublicSuffixList();
            var idn = new IdnMapping();
            using var reader = new StreamReader(SafeFile.OpenRead(path, "Public Suffix List file", SafeFile.MaxPublicSuffixListBytes, ct,
                hint: "Download it from https://publicsuffix.org/list/public_suffix_list.dat."));
            string? raw;
            while ((raw = reader.ReadLine()) != null)
            {
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
                var rule = line.Split(' ', '\t')[0].ToLowerInvariant();
                string Ascii(string r)
                {
                    try
                    {
                        return r.Any(c => c > 127) ? idn.GetAscii(r) : r;
                    }
                    catch (ArgumentException)
                    {
                        return r;
                    }
                }
                if (rule.StartsWith("!", StringComparison.Ordinal)) list._exceptions.Add(Ascii(rule.Substring(1)));
                else if (rule.StartsWith("*.", StringComparison.Ordinal)) list._wildcards.Add(Ascii(rule.Substring(2)));
                else list._rules.Add(Ascii(rule));
            }
            if (list._rules.Count + list._wildcards.Count == 0)
                throw new ValidationException(ErrorIds.InvalidPublicSuffixList, $"'{path}' has no public suffix rules; is it the Public Suffix List (public_suffix_list.dat)?");
            return list;
        }

        /// <summary>The public suffix plus one label; the domain itself when it is a public suffix.</summary>
        public string OrganizationalDomain(string domain)
        {
            var labels = domain.ToLowerInvariant().Split('.');
            var suffixLabels = 1; // the implicit "*" rule
            for (var i = 0; i < labels.Length; i++)
            {
                var name = string.Join(".", labels.Skip(i));
                var n = labels.Length - i;
                if (_exceptions.Contains(name))
                {
                    suffixLabels = n - 1;
                    break;
                }
                var parent = i + 1 < labels.Length ? string.Join(".", labels.Skip(i + 1)) : null;
                if (_rules.Contains(name) || (parent != null && _wildcards.Contains(parent)))
                {
                    suffixLabels = Math.Max(suffixLabels, n);
                    break; // the first match from the left is the longest
                }
            }
            var keep = Math.Min(labels.Length, suffixLabels + 1);
            return string.Join(".", labels.Skip(labels.Length - keep));
        }
    }
}
