using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace OcdsAws.Aurora
{
    /// <summary>
    /// Decides whether a statement only reads, so Invoke-AuroraSql runs it under -WhatIf and asks ShouldProcess for everything else.
    /// Conservative: a statement is a read only when it is ONE SELECT, VALUES, TABLE, SHOW or EXPLAIN (without ANALYZE, which runs
    /// the statement) or a WITH … SELECT, with no INTO, no row lock (FOR UPDATE/SHARE), no data-changing keyword anywhere, no dollar
    /// quoting, and no function call outside a short list of PostgreSQL functions that only read (a call such as nextval() or a
    /// user function may change data). Anything else, including what this cannot parse, counts as a change.
    /// </summary>
    internal static class SqlReadOnlyClassifier
    {
        private static readonly HashSet<string> ReadStarts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "select", "values", "table", "show", "explain", "with" };

        private static readonly HashSet<string> ChangeWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "insert", "update", "delete", "merge", "upsert", "truncate", "create", "alter", "drop", "grant", "revoke", "copy", "call", "do",
            "into", "analyze", "analyse", "vacuum", "lock", "set", "reset", "refresh", "reindex", "cluster", "comment", "security", "execute", "prepare",
            "listen", "notify", "discard", "import", "load", "nowait", "skip", "share",
        };

        /// <summary>Functions (PostgreSQL built-ins) that read only; any other call makes the statement a change.</summary>
        private static readonly HashSet<string> ReadFunctions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "count", "sum", "avg", "min", "max", "coalesce", "nullif", "greatest", "least", "lower", "upper", "length", "char_length", "trim",
            "btrim", "ltrim", "rtrim", "substring", "substr", "replace", "concat", "concat_ws", "left", "right", "position", "abs", "round",
            "ceil", "floor", "now", "current_database", "current_schema", "current_user", "session_user", "version", "date_trunc", "extract",
            "to_char", "to_date", "to_timestamp", "age", "array_agg", "string_agg", "json_agg", "jsonb_agg", "row_number", "rank", "dense_rank",
            "cast", "exists", "in", "any", "all", "over", "partition", "filter", "values", "row", "array", "pg_size_pretty", "pg_database_size",
            "pg_total_relation_size", "pg_relation_size", "format", "md5", "jsonb_build_object", "json_build_object", "split_part",
        };

        /// <summary>True when <paramref name="sql"/> only reads; otherwise <paramref name="why"/> says what made it a change.</summary>
        public static bool IsReadOnly(string sql, out string why)
        {
            var text = Strip(sql, out var unparsable);
            if (unparsable != null) { why = unparsable; return false; }
            text = text.Trim().TrimEnd(';').Trim();
            if (text.Contains(";")) { why = "it holds more than one statement"; return false; }
            var words = Regex.Matches(text, @"[A-Za-z_][A-Za-z0-9_$]*").Cast<Match>().ToList();
            if (words.Count == 0) { why = "it has no statement"; return false; }
            if (!ReadStarts.Contains(words[0].Value)) { why = $"it starts with {words[0].Value.ToUpperInvariant()}"; return false; }
            var change = words.FirstOrDefault(w => ChangeWords.Contains(w.Value) || (w.Value.Equals("for", StringComparison.OrdinalIgnoreCase) && IsRowLock(text, w)));
            if (change != null) { why = $"it contains {change.Value.ToUpperInvariant()}"; return false; }
            foreach (var w in words)
            {
                var after = w.Index + w.Length;
                while (after < text.Length && char.IsWhiteSpace(text[after])) after++;
                if (after < text.Length && text[after] == '(' && !ReadFunctions.Contains(w.Value) && !IsKeywordBeforeParenthesis(w.Value))
                {
                    why = $"it calls {w.Value}(), which may change data";
                    return false;
                }
            }
            why = "";
            return true;
        }

        /// <summary>FOR UPDATE / FOR SHARE / FOR NO KEY UPDATE / FOR KEY SHARE lock rows; the words after FOR are checked by ChangeWords too.</summary>
        private static bool IsRowLock(string text, Match forWord)
            => Regex.IsMatch(text.Substring(forWord.Index + forWord.Length), @"^\s+(update|share|no\s+key|key)\b", RegexOptions.IgnoreCase);

        /// <summary>Words followed by a parenthesis that are SQL syntax, not calls: FROM (subquery), AS (…), JOIN (…), table names with column lists are not reads here.</summary>
        private static bool IsKeywordBeforeParenthesis(string word)
            => new[] { "select", "from", "as", "join", "on", "where", "and", "or", "not", "with", "by", "having", "union", "except", "intersect", "explain", "when", "then", "else", "case", "between", "is", "like", "ilike", "using", "lateral" }
                .Contains(word, StringComparer.OrdinalIgnoreCase);

        /// <summary>The statement without comments and with string literals and quoted identifiers blanked, so their words do not count.</summary>
        private static string Strip(string sql, out string? unparsable)
        {
            unparsable = null;
            var output = new StringBuilder(sql.Length);
            for (var i = 0; i < sql.Length; i++)
            {
                var c = sql[i];
                var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
                if (c == '-' && next == '-') { while (i < sql.Length && sql[i] != '\n') i++; output.Append(' '); continue; }
                if (c == '/' && next == '*')
                {
                    var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (end < 0) { unparsable = "it has an unclosed comment"; return ""; }
                    i = end + 1;
                    output.Append(' ');
                    continue;
                }
                if (c == '$' && (next == '$' || char.IsLetter(next) || next == '_') && (i == 0 || !char.IsLetterOrDigit(sql[i - 1])))
                {
                    unparsable = "it uses dollar quoting, which this check does not read";
                    return "";
                }
                if (c == '\'' || c == '"')
                {
                    var close = i + 1;
                    while (close < sql.Length && !(sql[close] == c && (close + 1 >= sql.Length || sql[close + 1] != c))) close += sql[close] == c ? 2 : 1;
                    if (close >= sql.Length) { unparsable = "it has an unclosed quote"; return ""; }
                    output.Append(c == '\'' ? " '' " : " \"q\" ");
                    i = close;
                    continue;
                }
                output.Append(c);
            }
            return output.ToString();
        }
    }
}
