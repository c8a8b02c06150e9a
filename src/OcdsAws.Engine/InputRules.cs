using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OcdsAws
{
    /// <summary>Input rules every area shares (each area's own rules are in its <c>*Input</c> class).</summary>
    internal static class InputRules
    {
        /// <summary>A duration that must be positive (a timeout); InvalidTimeout naming <paramref name="parameter"/> otherwise.</summary>
        public static TimeSpan Positive(TimeSpan value, string parameter)
            => value > TimeSpan.Zero ? value : throw new ValidationException(ErrorIds.InvalidTimeout, $"{parameter} must be positive.");

        // AWS's tag rule, as botocore's iam model writes it (tagKeyType: 1-128, tagValueType: 0-256, both
        // [\p{L}\p{Z}\p{N}_.:/=+\-@]); RDS's Tag documents the same characters, SESv2's model gives no pattern (not confirmed
        // here that SES takes exactly these). "aws:" starts only AWS's own tags ("Tag naming limits and requirements",
        // https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html); 50 user tags a resource, same page.
        private static readonly Regex TagText = new Regex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// -Tag as AWS takes it: at most 50 tags, each key 1-128 and value up to 256 of letters, digits, spaces and _ . : / = + - @,
        /// no key starting with aws: (or a <paramref name="reservedPrefixes"/> prefix, which values may not start with either),
        /// each value one scalar (a hashtable, array or script block would be sent as its type name). InvalidTag otherwise.
        /// </summary>
        public static List<KeyValuePair<string, string>> Tags(IDictionary? tags, params string[] reservedPrefixes)
        {
            var result = new List<KeyValuePair<string, string>>();
            if (tags == null) return result;
            if (tags.Count > 50) throw new ValidationException(ErrorIds.InvalidTag, $"-Tag has {tags.Count} tags; AWS takes at most 50.");
            var prefixes = new List<string> { "aws:" };
            prefixes.AddRange(reservedPrefixes);
            foreach (DictionaryEntry entry in tags)
            {
                var key = Scalar(entry.Key, "key", "");
                var value = Scalar(entry.Value, "value", key);
                if (key.Length == 0 || key.Length > 128 || !TagText.IsMatch(key) || prefixes.Exists(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                    throw new ValidationException(ErrorIds.InvalidTag,
                        $"-Tag key '{key}' is not valid: use 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with {string.Join(" or ", prefixes)}.");
                if (value.Length > 256 || !TagText.IsMatch(value) || prefixes.Exists(p => p != "aws:" && value.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                    throw new ValidationException(ErrorIds.InvalidTag,
                        $"-Tag value '{value}' of key '{key}' is not valid: use up to 256 letters, digits, spaces or _ . : / = + - @{(prefixes.Count > 1 ? ", not starting with " + string.Join(" or ", prefixes.GetRange(1, prefixes.Count - 1)) : "")}.");
                result.Add(new KeyValuePair<string, string>(key, value));
            }
            return result;
        }

        private static string Scalar(object? item, string what, string key)
        {
            var value = item is System.Management.Automation.PSObject wrapped ? wrapped.BaseObject : item;
            if (value == null) return "";
            if (value is string text) return text;
            if (value is IEnumerable || value is System.Management.Automation.ScriptBlock || !(value is IConvertible))
                throw new ValidationException(ErrorIds.InvalidTag, $"-Tag {what}{(key.Length > 0 ? " of key '" + key + "'" : "")} is a {value.GetType().Name}: give text.");
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }
    }
}
