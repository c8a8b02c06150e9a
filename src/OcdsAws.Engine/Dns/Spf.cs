using System;
using System.Collections.Generic;
using System.Linq;

namespace OcdsAws.Dns
{
    /// <summary>The SPF record to publish at a domain's apex so SES may send for it.</summary>
    internal sealed class SpfProposal
    {
        public SpfProposal(DnsRecordAction action, string proposedValue, string? currentValue,
            IReadOnlyList<string> recordsToRemove, IReadOnlyList<string> warnings)
        {
            Action = action;
            ProposedValue = proposedValue;
            CurrentValue = currentValue;
            RecordsToRemove = recordsToRemove;
            Warnings = warnings;
        }

        /// <summary>Add (no SPF record), Keep (the mechanism is there) or Update.</summary>
        public DnsRecordAction Action { get; }

        /// <summary>The whole TXT value to publish (the current one when <see cref="Action"/> is Keep).</summary>
        public string ProposedValue { get; }

        /// <summary>The SPF record the proposal replaces (the first one found), if any.</summary>
        public string? CurrentValue { get; }

        /// <summary>Further SPF records at the apex: two or more is a permerror, so these must go.</summary>
        public IReadOnlyList<string> RecordsToRemove { get; }

        /// <summary>What the user should know about the merged record, one sentence each.</summary>
        public IReadOnlyList<string> Warnings { get; }
    }

    /// <summary>SPF (RFC 7208) as far as the SES handoff needs it: find the record, merge a mechanism in, warn.</summary>
    internal static class Spf
    {
        public const string AmazonSes = "include:amazonses.com";

        /// <summary>At most this many DNS-querying terms per evaluation (RFC 7208 §4.6.4).</summary>
        public const int LookupLimit = 10;

        private static readonly string[] LookupMechanisms = { "include", "a", "mx", "ptr", "exists" };

        /// <summary>True for a TXT value that is an SPF record: "v=spf1" (any case) followed by a space or nothing.</summary>
        public static bool IsSpfRecord(string? txt)
            => txt != null && txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

        /// <summary>The terms of a record after the version, split on spaces.</summary>
        public static IReadOnlyList<string> Terms(string record)
            => record.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();

        /// <summary>
        /// The terms that cost a DNS query: include, a, mx, ptr, exists and the redirect modifier. Only this
        /// record's own terms: included records add theirs to the same limit.
        /// </summary>
        public static int CountLookups(string record) => Terms(record).Count(t => IsLookup(t));

        /// <summary>
        /// What to publish so <paramref name="mechanism"/> is authorised, given every TXT value at the apex
        /// (<paramref name="apexTxt"/>, character-strings already joined).
        /// </summary>
        public static SpfProposal Propose(IReadOnlyList<string> apexTxt, string mechanism = AmazonSes)
        {
            var records = apexTxt.Where(IsSpfRecord).ToList();
            if (records.Count == 0)
            {
                var fresh = $"v=spf1 {mechanism} ~all";
                return new SpfProposal(DnsRecordAction.Add, fresh, null, Array.Empty<string>(), Warn(fresh));
            }

            // Two SPF records are usually the old one and a merged one published beside it (an import adds, it does
            // not replace). The record that already authorises the mechanism and holds every term of the others is the
            // one to keep: the advice must name the old record for deletion, never the merged one. Otherwise the
            // mechanism is merged into the first record found.
            var keeper = records.FirstOrDefault(r => Authorises(r, mechanism)
                && records.All(other => Terms(other).All(t => Terms(r).Contains(t, StringComparer.OrdinalIgnoreCase))));
            var keep = keeper == null ? 0 : records.IndexOf(keeper);
            var current = records[keep];
            var tokens = current.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).ToList();
            var terms = tokens.Skip(1).ToList();
            var present = Authorises(current, mechanism);

            string proposed;
            if (present)
            {
                proposed = current;
            }
            else
            {
                // Before the final "all" (terms after it are never evaluated); else before redirect= (which only
                // applies when nothing matched); else at the end. Never add an "all" the owner did not choose.
                var at = terms.FindLastIndex(t => string.Equals(Body(t), "all", StringComparison.OrdinalIgnoreCase));
                if (at < 0) at = terms.FindIndex(t => t.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase));
                if (at < 0) at = terms.Count;
                terms.Insert(at, mechanism);
                proposed = string.Join(" ", new[] { tokens[0] }.Concat(terms));
            }

            var warnings = new List<string>();
            var extra = records.Where((r, i) => i != keep).ToList();
            if (extra.Count > 0)
                warnings.Add($"The domain publishes {records.Count} SPF records; receivers treat that as a permerror (RFC 7208 §4.5) and SPF fails for all its mail. "
                    + (keeper != null
                        ? $"Keep \"{current}\" (it already authorises {mechanism} and everything the other{(extra.Count > 1 ? "s" : "")} did)"
                        : $"The proposal merges into the first (\"{current}\")")
                    + $"; delete the other{(extra.Count > 1 ? "s" : "")}: {string.Join(", ", extra.Select(r => "\"" + r + "\""))}.");
            warnings.AddRange(Warn(proposed));
            return new SpfProposal(present ? DnsRecordAction.Keep : DnsRecordAction.Update, proposed, current, extra, warnings);
        }

        /// <summary>True when <paramref name="record"/> holds <paramref name="mechanism"/> with the pass qualifier (+, or none).</summary>
        public static bool Authorises(string record, string mechanism)
            => Terms(record).Any(t => string.Equals(Body(t), mechanism, StringComparison.OrdinalIgnoreCase) && QualifierOf(t) == '+');

        private static List<string> Warn(string record)
        {
            var warnings = new List<string>();
            var terms = Terms(record);
            var lookups = terms.Count(IsLookup);
            if (lookups > LookupLimit)
                warnings.Add($"The SPF record has {lookups} DNS-querying terms (include, a, mx, ptr, exists, redirect), more than the {LookupLimit} RFC 7208 §4.6.4 allows "
                    + "(counting those inside included records too): receivers will return permerror. Flatten or remove includes.");
            var all = terms.LastOrDefault(t => string.Equals(Body(t), "all", StringComparison.OrdinalIgnoreCase));
            if (all != null && QualifierOf(all) == '+')
                warnings.Add($"The SPF record ends in \"{all}\", which lets any server on the internet send mail as this domain; use \"~all\" or \"-all\".");
            if (record.IndexOf("%{", StringComparison.Ordinal) >= 0)
                warnings.Add("The SPF record uses macros (%{…}); its DNS lookup count may be inexact, as macros are only known when mail is checked.");
            if (terms.Any(t => string.Equals(Name(t), "ptr", StringComparison.OrdinalIgnoreCase)))
                warnings.Add("The SPF record uses the ptr mechanism, which RFC 7208 §5.5 deprecates (slow, unreliable, and some receivers ignore it); remove it if you can.");
            return warnings;
        }

        private static bool IsLookup(string term)
            => IsModifier(term)
                ? term.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase)
                : LookupMechanisms.Contains(Name(term), StringComparer.OrdinalIgnoreCase);

        // "name=value" where the '=' comes before any ':' or '/' (a mechanism's argument may contain '=').
        private static bool IsModifier(string term)
        {
            var eq = term.IndexOf('=');
            var sep = term.IndexOfAny(new[] { ':', '/' });
            return eq > 0 && (sep < 0 || eq < sep);
        }

        private static char QualifierOf(string term) => "+-~?".IndexOf(term[0]) >= 0 ? term[0] : '+';

        // A term without its qualifier: "~all" -> "all", "+include:x" -> "include:x".
        private static string Body(string term) => "+-~?".IndexOf(term[0]) >= 0 ? term.Substring(1) : term;

        // A mechanism's name: "include:x" -> "include", "a/24" -> "a", "mx:host/24" -> "mx" ("redirect=x" is a modifier, see IsModifier).
        private static string Name(string term)
        {
            var body = Body(term);
            var end = body.IndexOfAny(new[] { ':', '/' });
            return end < 0 ? body : body.Substring(0, end);
        }
    }
}
