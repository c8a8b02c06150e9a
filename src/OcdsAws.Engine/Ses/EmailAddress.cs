using System;
using System.Linq;
using System.Net.Mail;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>Email address syntax, checked before any AWS call: the one rule and the one error every cmdlet gives.</summary>
    internal static class EmailAddress
    {
        /// <summary>The address as given when it is one (<see cref="IsValid"/>); else InvalidEmailAddress naming the parameter.</summary>
        public static string Parse(string? value, string parameter, string? hint = null)
            => IsValid(value) ? value! : throw Invalid(parameter, value, hint);

        /// <summary>
        /// A mailbox as a message header takes it: a plain address, or a display name with one (<c>Data &lt;data@example.org&gt;</c>),
        /// whose address passes <see cref="IsValid"/>. Returned trimmed, as given (SES takes both forms).
        /// </summary>
        public static string ParseMailbox(string? value, string parameter)
        {
            var text = (value ?? "").Trim();
            if (MimeKit.MailboxAddress.TryParse(text, out var mailbox) && IsValid(mailbox.Address)) return text;
            throw Invalid(parameter, value, null);
        }

        /// <summary>The one InvalidEmailAddress error: which parameter, which value, what an address looks like.</summary>
        public static ValidationException Invalid(string parameter, string? value, string? hint)
            => new ValidationException("InvalidEmailAddress",
                $"{parameter} '{value}' is not an email address (like data@example.org{(hint == null ? "" : ", " + hint)}).");

        public static bool IsValid(string? value)
        {
            if (string.IsNullOrWhiteSpace(value) || value!.Trim() != value || value.Count(c => c == '@') != 1) return false;
            try
            {
                var parsed = new MailAddress(value);
                if (parsed.Address != value || string.IsNullOrEmpty(parsed.User) || !parsed.Host.Contains('.')) return false;
                // RFC 5321 §4.5.3.1.3: a path (the address in angle brackets) has at most 256 octets, so an address at most 254.
                // The 64-octet local-part limit (§4.5.3.1.1) is not applied: VERP/SRS senders exceed it and mail still flows.
                if (value.Length > 254) return false;
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
    }
}
