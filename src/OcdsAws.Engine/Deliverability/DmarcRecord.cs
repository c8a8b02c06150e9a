using System;
using System.Collections.Generic;
using System.Linq;

namespace OcdsAws.Deliverability
{
    /// <summary>A DMARC record's tags, parsed as RFC 9989 defines them, with what is wrong with it.</summary>
    public sealed class DmarcPolicyRecord
    {
        /// <summary>The record text as published.</summary>
        public string Text { get; internal set; } = "";

        /// <summary>p: none, quarantine or reject (none when missing or invalid).</summary>
        public string Policy { get; internal set; } = "none";

        /// <summary>sp: the policy for subdomains (null when not given: p applies).</summary>
        public string? SubdomainPolicy { get; internal set; }

        /// <summary>np: the policy for non-existent subdomains (null when not given: sp, then p applies).</summary>
        public string? NonExistentSubdomainPolicy { get; internal set; }

        /// <summary>adkim: r (relaxed, the default) or s (strict).</summary>
        public string Adkim { get; internal set; } = "r";

        /// <summary>aspf: r (relaxed, the default) or s (strict).</summary>
        public string Aspf { get; internal set; } = "r";

        /// <summary>rua: where aggregate reports go.</summary>
        public IReadOnlyList<string> Rua { get; internal set; } = Array.Empty<string>();

        /// <summary>ruf: where failure reports go.</summary>
        public IReadOnlyList<string> Ruf { get; internal set; } = Array.Empty<string>();

        /// <summary>fo: failure reporting options (default 0).</summary>
        public string FailureOptions { get; internal set; } = "0";

        /// <summary>t=y: the policy is in test mode (receivers apply one step less strictly).</summary>
        public bool Testing { get; internal set; }

        /// <summary>psd: y (a public suffix domain), n (an organizational domain) or u (unknown, the default).</summary>
        public string Psd { get; internal set; } = "u";

        /// <summary>Obsolete tags present (pct, rf, ri: RFC 9989 removed them; receivers ignore them).</summary>
        public IReadOnlyList<string> ObsoleteTags { get; internal set; } = Array.Empty<string>();

        /// <summary>Syntax problems and ignored tags, in words.</summary>
        public IReadOnlyList<string> Problems { get; internal set; } = Array.Empty<string>();

        /// <inheritdoc />
        public override string ToString() => Text;

        private static readonly string[] Policies = { "none", "quarantine", "reject" };

        /// <summary>True when <paramref name="text"/> is a DMARC record at all (starts with v=DMARC1); others are discarded.</summary>
        public static bool IsDmarc(string text)
        {
            var first = text.Split(';')[0].Trim();
            var eq = first.IndexOf('=');
            return eq > 0 && first.Substring(0, eq).Trim() == "v" && first.Substring(eq + 1).Trim() == "DMARC1";
        }

        /// <summary>Parses a record that <see cref="IsDmarc"/> accepted. Never throws: problems are listed.</summary>
        public static DmarcPolicyRecord Parse(string text)
        {
            var record = new DmarcPolicyRecord { Text = text };
            var problems = new List<string>();
            var obsolete = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? p = null;
            foreach (var part in text.Split(';').Skip(1))
            {
                var tag = part.Trim();
                if (tag.Length == 0) continue;
                var eq = tag.IndexOf('=');
                if (eq <= 0)
                {
                    problems.Add($"'{tag}' is not a tag=value pair; ignored.");
                    continue;
                }
                var name = tag.Substring(0, eq).Trim();
                var value = tag.Substring(eq + 1).Trim();
                if (!seen.Add(name))
                {
                    problems.Add($"The tag {name} appears more than once; the first one counts.");
                    continue;
                }
                switch (name)
                {
                    case "p":
                        if (Policies.Contains(value)) p = value;
                        else problems.Add($"p={value} is not none, quarantine or reject.");
                        break;
                    case "sp":
                        if (Policies.Contains(value)) record.SubdomainPolicy = value;
                        else problems.Add($"sp={value} is not none, quarantine or reject; ignored.");
                        break;
                    case "np":
                        if (Policies.Contains(value)) record.NonExistentSubdomainPolicy = value;
                        else problems.Add($"np={value} is not none, quarantine or reject; ignored.");
                        break;
                    case "adkim":
                    case "aspf":
                        if (value == "r" || value == "s")
                        {
                            if (name == "adkim") record.Adkim = value;
                            else record.Aspf = value;
                        }
                        else problems.Add($"{name}={value} is not r or s; relaxed (r) applies.");
                        break;
                    case "rua":
                    case "ruf":
                        var uris = value.Split(',').Select(u => u.Trim()).Where(u => u.Length > 0).ToList();
                        foreach (var u in uris.Where(u => !u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)))
                            problems.Add($"{name} URI '{u}' is not a mailto: URI; receivers will not use it.");
                        if (name == "rua") record.Rua = uris;
                        else record.Ruf = uris;
                        break;
                    case "fo":
                        var options = value.Split(':').Select(o => o.Trim()).ToList();
                        if (options.Any(o => o != "0" && o != "1" && o != "d" && o != "s"))
                            problems.Add($"fo={value} has options other than 0, 1, d and s.");
                        record.FailureOptions = value;
                        break;
                    case "t":
                        if (value == "y" || value == "n") record.Testing = value == "y";
                        else problems.Add($"t={value} is not y or n; ignored.");
                        break;
                    case "psd":
                        if (value == "y" || value == "n" || value == "u") record.Psd = value;
                        else problems.Add($"psd={value} is not y, n or u; ignored.");
                        break;
                    case "pct":
                    case "rf":
                    case "ri":
                        obsolete.Add($"{name}={value}");
                        problems.Add($"{name} is obsolete (RFC 9989 removed it); receivers ignore it.");
                        break;
                    case "v":
                        problems.Add("v= must be the first tag only.");
                        break;
                    default:
                        problems.Add($"Unknown tag {name}; ignored.");
                        break;
                }
            }

            if (p == null)
            {
                // RFC 9989: a record without a valid p is still a record; with rua it means "none, but report".
                problems.Add(seen.Contains("p") ? "The policy (p) is invalid: treated as p=none." : "The policy tag p is missing: treated as p=none.");
                p = "none";
            }
            record.Policy = p;
            record.Problems = problems;
            record.ObsoleteTags = obsolete;
            return record;
        }
    }
}
