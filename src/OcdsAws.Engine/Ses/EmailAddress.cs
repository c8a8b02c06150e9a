using System;
using System.Linq;
using System.Net.Mail;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>Email address syntax, checked before any AWS call.</summary>
    internal static class EmailAddress
    {
        public static bool IsValid(string? value)
        {
            if (string.IsNullOrWhiteSpace(value) || value!.Trim() != value || value.Count(c => c == '@') != 1) return false;
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
    }
}
