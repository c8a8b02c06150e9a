using System;
using System.Linq;
using System.Net.Mail;
using System.Text;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>Email address syntax, checked before any AWS call: the one rule and the one error every cmdlet gives.</summary>
    internal static class EmailAddress
    {
        // RFC 5321 §4.5.3.1.1: "The maximum total length of a user name or other local-part is 64 octets."
        private const int MaxLocalPartOctets = 64;

        // RFC 5321 §4.5.3.1.3: "The maximum total length of a reverse-path or forward-path is 256 octets (including the
        // punctuation and element separators)": the path is <address>, so the address itself is at most 254 octets.
        private const int MaxAddressOctets = 256 - 2;

        // RFC 5322 §2.1.1: "Each line of characters MUST be no more than 998 characters": a mailbox (display name and
        // address) longer than a header line cannot be written as one.
        private const int MaxMailboxCharacters = 998;

        /// <summary>The address as given when it is one (<see cref="IsValid"/>); else InvalidEmailAddress naming the parameter.</summary>
        public static string Parse(string? value, string parameter, string? hint = null)
            => IsValid(value) ? value! : throw Invalid(parameter, value, hint, value == null ? null : Problem(value));

        /// <summary>
        /// A mailbox as a message header takes it: a plain address, or a display name with one (<c>Data &lt;data@example.org&gt;</c>),
        /// whose address passes <see cref="IsValid"/>. Returned trimmed, as given (SES takes both forms). No control character
        /// anywhere (a CR/LF in a display name or comment would start another header: RFC 5322 §2.2 allows none in a field
        /// body but folding), and no bidirectional control.
        /// </summary>
        public static string ParseMailbox(string? value, string parameter)
        {
            var text = (value ?? "").Trim();
            var unsafeCharacter = UnsafeCharacter(text);
            if (unsafeCharacter != null) throw Invalid(parameter, value, null, unsafeCharacter);
            if (text.Length > MaxMailboxCharacters)
                throw Invalid(parameter, value, null, $"it has {text.Length} characters; a header line holds at most {MaxMailboxCharacters} (RFC 5322 §2.1.1)");
            if (MimeKit.MailboxAddress.TryParse(text, out var mailbox) && IsValid(mailbox.Address)) return text;
            throw Invalid(parameter, value, null, mailbox == null ? null : Problem(mailbox.Address));
        }

        /// <summary>The one InvalidEmailAddress error: which parameter, which value, what is wrong, what an address looks like.</summary>
        public static ValidationException Invalid(string parameter, string? value, string? hint, string? reason = null)
            => new ValidationException(ErrorIds.InvalidEmailAddress,
                $"{parameter} '{Display(value)}' is not an email address{(reason == null ? "" : ": " + reason + ";")} (like data@example.org{(hint == null ? "" : ", " + hint)}).");

        public static bool IsValid(string? value)
        {
            if (string.IsNullOrWhiteSpace(value) || value!.Trim() != value || value.Count(c => c == '@') != 1) return false;
            if (Problem(value) != null) return false;
            try
            {
                var parsed = new MailAddress(value);
                if (parsed.Address != value || string.IsNullOrEmpty(parsed.User) || !parsed.Host.Contains('.')) return false;
                DomainName.Normalize(parsed.Host, "the address's domain");   // same rules as -Domain (no leading hyphen, label sizes)
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (ValidationException)
            {
                return false;
            }
        }

        /// <summary>What makes <paramref name="address"/> unusable whatever its syntax (characters, RFC 5321 sizes), or null.</summary>
        internal static string? Problem(string address)
        {
            var unsafeCharacter = UnsafeCharacter(address);
            if (unsafeCharacter != null) return unsafeCharacter;
            var at = address.LastIndexOf('@');
            var local = at < 0 ? address : address.Substring(0, at);
            var localOctets = Encoding.UTF8.GetByteCount(local);
            if (localOctets > MaxLocalPartOctets)
                return $"its local part (before the @) has {localOctets} octets; RFC 5321 §4.5.3.1.1 allows at most {MaxLocalPartOctets}";
            var octets = Encoding.UTF8.GetByteCount(address);
            if (octets > MaxAddressOctets)
                return $"it has {octets} octets; RFC 5321 §4.5.3.1.3 allows at most {MaxAddressOctets} (a path of 256 with its angle brackets)";
            return null;
        }

        /// <summary>
        /// A control character (CR, LF, NUL…: each ends or cuts a header line) or a bidirectional control (U+202A-U+202E,
        /// U+2066-U+2069, U+200E, U+200F, U+061C: they make an address display in another order than it is sent, Unicode
        /// UAX #9), described; else null.
        /// </summary>
        internal static string? UnsafeCharacter(string text)
        {
            foreach (var c in text)
            {
                if (char.IsControl(c)) return $"it contains the control character U+{(int)c:X4}";
                if (IsBidiControl(c)) return $"it contains the bidirectional control U+{(int)c:X4}, which makes it display in another order than it is sent";
            }
            return null;
        }

        private static bool IsBidiControl(char c)
            => (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F' || c == '\u061C';

        /// <summary>The value as an error message can show it: control and bidirectional characters as \uXXXX, long values cut.</summary>
        internal static string Display(string? value)
        {
            if (value == null) return "";
            var shown = new StringBuilder();
            foreach (var c in value.Length > 100 ? value.Substring(0, 100) : value)
                shown.Append(char.IsControl(c) || IsBidiControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
            if (value.Length > 100) shown.Append($"... ({value.Length} characters)");
            return shown.ToString();
        }
    }
}
