using System;
using System.Globalization;
using System.Linq;

namespace OcdsAws.Dns
{
    /// <summary>
    /// Domain names as users type them, checked and brought into the one form DNS and AWS compare:
    /// lowercase ASCII (punycode), no trailing dot.
    /// </summary>
    internal static class DomainName
    {
        // SES and DNS hosts take the ASCII form; IdnMapping applies the IDNA rules (case folding, nameprep).
        private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = true };

        // Full stops other scripts use as label separators (IDNA treats them as dots).
        private static readonly char[] IdeographicDots = { '\u3002', '\uFF0E', '\uFF61' };

        /// <summary>
        /// The lowercase ASCII form of <paramref name="input"/>, or a <see cref="ValidationException"/>
        /// (InvalidDomainName) that says what is wrong; <paramref name="what"/> names the input, e.g. "-Domain".
        /// </summary>
        public static string Normalize(string? input, string what)
        {
            var text = (input ?? "").Trim();
            if (text.Length == 0)
                throw Invalid($"{what} is empty. Give a domain name such as example.org.");
            if (text.IndexOf('@') >= 0)
                throw Invalid($"{what} '{input}' is an email address, not a domain. To verify a single address, use New-SesEmailVerification.");

            foreach (var dot in IdeographicDots) text = text.Replace(dot, '.');
            // One trailing dot is the fully qualified spelling (example.org.); it means the same name.
            if (text.EndsWith(".", StringComparison.Ordinal)) text = text.Substring(0, text.Length - 1);

            var labels = text.Split('.');
            if (labels.Any(l => l.Length == 0))
                throw Invalid($"{what} '{input}' has an empty label (two dots in a row, or a leading dot).");

            var ascii = labels.Select(l => ToAsciiLabel(l, input!, what)).ToArray();
            if (ascii.Length == 1)
                throw Invalid($"{what} '{input}' is a single label. Give the full domain name, such as {ascii[0]}.org.");

            // No top-level domain is numeric, so this is an IP address (or a typo for one).
            if (ascii[ascii.Length - 1].All(char.IsDigit))
                throw Invalid($"{what} '{input}' is an IP address, not a domain name.");

            var name = string.Join(".", ascii);
            if (name.Length > 253)
                throw Invalid($"{what} '{Shorten(input!)}' is {name.Length} characters long{(name != text.ToLowerInvariant() ? " in ASCII (punycode)" : "")}; a domain name can have at most 253.");
            return name;
        }

        /// <summary>True when <paramref name="name"/> is <paramref name="parent"/> or below it (case and trailing dots ignored).</summary>
        public static bool IsSameOrSubdomainOf(string name, string parent)
        {
            var n = Trim(name);
            var p = Trim(parent);
            if (p.Length == 0) return true; // everything is below the root
            return string.Equals(n, p, StringComparison.OrdinalIgnoreCase)
                || n.EndsWith("." + p, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// <paramref name="fqdn"/> relative to <paramref name="zone"/>, as DNS hosts want it: <c>@</c> for the
        /// apex, <c>abc._domainkey</c> for abc._domainkey.example.org in example.org.
        /// </summary>
        public static string RelativeHostLabel(string fqdn, string zone)
        {
            var n = Trim(fqdn);
            var z = Trim(zone);
            if (string.Equals(n, z, StringComparison.OrdinalIgnoreCase)) return "@";
            if (!IsSameOrSubdomainOf(n, z))
                throw new ArgumentException($"'{n}' is not in the zone '{z}'.", nameof(fqdn));
            return n.Substring(0, n.Length - z.Length - 1);
        }

        private static string ToAsciiLabel(string label, string input, string what)
        {
            string ascii;
            if (label.All(c => c < 128))
            {
                ascii = label.ToLowerInvariant();
                // Any(), not FirstOrDefault() != '\0': a NUL is itself a bad character, not "none found".
                if (ascii.Any(c => !IsLdh(c)))
                    throw Invalid($"{what} '{input}' contains {Describe(ascii.First(c => !IsLdh(c)))} in the label '{label}'; only letters, digits and hyphens are allowed.");
            }
            else
            {
                try
                {
                    ascii = Idn.GetAscii(label.ToLowerInvariant());
                }
                catch (ArgumentException)
                {
                    throw Invalid($"{what} '{input}' has the label '{label}', which is not a valid internationalised domain label.");
                }
            }

            if (ascii.StartsWith("-", StringComparison.Ordinal) || ascii.EndsWith("-", StringComparison.Ordinal))
                throw Invalid($"{what} '{input}' has the label '{label}', which {(ascii.StartsWith("-", StringComparison.Ordinal) ? "starts" : "ends")} with a hyphen; labels must start and end with a letter or digit.");
            if (ascii.Length > 63)
                throw Invalid($"{what} '{Shorten(input)}' has a label of {ascii.Length} characters{(ascii != label.ToLowerInvariant() ? " in ASCII (punycode)" : "")}; a label can have at most 63.");
            return ascii;
        }

        private static bool IsLdh(char c) => c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';

        private static string Describe(char c)
        {
            switch (c)
            {
                case ' ': return "a space";
                case '\t': return "a tab";
                case '_': return "an underscore";
                default: return char.IsControl(c) ? $"the control character U+{(int)c:X4}" : $"the character '{c}'";
            }
        }

        // Error messages quote the input; a 300-character name would drown the reason.
        private static string Shorten(string s) => s.Length <= 80 ? s : s.Substring(0, 40) + "…" + s.Substring(s.Length - 20);

        private static string Trim(string s) => (s ?? "").Trim().TrimEnd('.');

        private static ValidationException Invalid(string message) => new ValidationException(ErrorIds.InvalidDomainName, message);
    }
}
