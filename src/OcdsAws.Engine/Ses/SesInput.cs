using System;
using System.Text.RegularExpressions;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>The SES cmdlets' input rules (all checked before any AWS call).</summary>
    internal static class SesInput
    {
        private static readonly Regex BucketPattern = new Regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\\z", RegexOptions.CultureInvariant);

        public static string Address(string? value)
        {
            // The domain part goes through the same checks (and punycode) as -Domain, first: its message is the precise one.
            var at = value?.IndexOf('@') ?? -1;
            var domain = at > 0 && value!.IndexOf('@', at + 1) < 0 ? DomainName.Normalize(value.Substring(at + 1), "the address's domain") : null;
            if (domain == null || !EmailAddress.IsValid(value)) throw EmailAddress.Invalid("-EmailAddress", value, null, value == null ? null : EmailAddress.Problem(value));
            return value!.Substring(0, at) + "@" + domain;
        }

        /// <summary>S3's bucket naming rules, so a bad name fails here rather than half-way through the capture.</summary>
        /// <summary>-MailFromDomain: a subdomain of the identity's <paramref name="domain"/> (SES: PutEmailIdentityMailFromAttributes).</summary>
        public static string MailFromDomain(string? value, string domain)
        {
            var mailFrom = DomainName.Normalize(value, "-MailFromDomain");
            if (mailFrom == domain || !DomainName.IsSameOrSubdomainOf(mailFrom, domain))
                throw new ValidationException(ErrorIds.MailFromOutsideIdentity, $"-MailFromDomain {mailFrom} must be a subdomain of {domain}, such as bounce.{domain}.");
            return mailFrom;
        }

        /// <summary>How long a wait may take.</summary>
        public static TimeSpan Timeout(TimeSpan value) => InputRules.Positive(value, "-Timeout");

        /// <summary>-WebsiteUrl of a production access request: an absolute http(s) URL.</summary>
        public static Uri WebsiteUrl(string? value)
        {
            // botocore sesv2 model, PutAccountDetails: WebsiteURL is 1-1000 characters.
            if (value == null || value.Length > 1000 || !Uri.TryCreate(value, UriKind.Absolute, out var site) || (site.Scheme != Uri.UriSchemeHttps && site.Scheme != Uri.UriSchemeHttp))
                throw new ValidationException(ErrorIds.InvalidWebsiteUrl, $"-WebsiteUrl '{value}' is not an absolute http(s) URL of at most 1000 characters.");
            return site;
        }

        /// <summary>-UseCaseDescription: 1 to 5000 characters (botocore sesv2 model, PutAccountDetails: UseCaseDescription max 5000).</summary>
        public static string UseCaseDescription(string? value)
            => string.IsNullOrWhiteSpace(value) || value!.Length > 5000
                ? throw new ValidationException(ErrorIds.InvalidUseCaseDescription, "-UseCaseDescription must be 1 to 5000 characters.")
                : value;

        /// <summary>-AdditionalContactEmailAddress: at most 4 addresses (botocore sesv2 model, PutAccountDetails: AdditionalContactEmailAddresses max 4).</summary>
        public static string[] ContactAddresses(string[]? values)
        {
            var contacts = values ?? new string[0];
            if (contacts.Length > 4) throw new ValidationException(ErrorIds.TooManyContacts, "-AdditionalContactEmailAddress takes at most 4 addresses.");
            foreach (var contact in contacts) EmailAddress.Parse(contact, "-AdditionalContactEmailAddress");
            return contacts;
        }

        public static string? Bucket(string? value)
        {
            if (value == null) return null;
            if (!BucketPattern.IsMatch(value) || value.Contains("..") || value.Contains(".-") || value.Contains("-.")
                || Regex.IsMatch(value, @"^\d+\.\d+\.\d+\.\d+\z") || value.StartsWith("xn--", StringComparison.Ordinal) || value.StartsWith("sthree-", StringComparison.Ordinal)
                || value.EndsWith("-s3alias", StringComparison.Ordinal) || value.EndsWith("--ol-s3", StringComparison.Ordinal))
                throw new ValidationException(ErrorIds.InvalidBucketName,
                    $"'{value}' is not a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, not like an IP address.");
            return value;
        }
    }
}
