using System;
using System.Text.RegularExpressions;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>Input checks shared by the email verification cmdlets (all before any AWS call).</summary>
    internal static class SenderInput
    {
        private static readonly Regex BucketPattern = new Regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant);

        public static string Address(string? value)
        {
            // The domain part goes through the same checks (and punycode) as -Domain, first: its message is the precise one.
            var at = value?.IndexOf('@') ?? -1;
            var domain = at > 0 && value!.IndexOf('@', at + 1) < 0 ? DomainName.Normalize(value.Substring(at + 1), "the address's domain") : null;
            if (domain == null || !EmailAddress.IsValid(value)) throw EmailAddress.Invalid("-EmailAddress", value, null);
            return value!.Substring(0, at) + "@" + domain;
        }

        /// <summary>S3's bucket naming rules, so a bad name fails here rather than half-way through the capture.</summary>
        public static string? Bucket(string? value)
        {
            if (value == null) return null;
            if (!BucketPattern.IsMatch(value) || value.Contains("..") || value.Contains(".-") || value.Contains("-.")
                || Regex.IsMatch(value, @"^\d+\.\d+\.\d+\.\d+$") || value.StartsWith("xn--", StringComparison.Ordinal) || value.StartsWith("sthree-", StringComparison.Ordinal)
                || value.EndsWith("-s3alias", StringComparison.Ordinal) || value.EndsWith("--ol-s3", StringComparison.Ordinal))
                throw new ValidationException("InvalidBucketName",
                    $"'{value}' is not a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, not like an IP address.");
            return value;
        }
    }
}
