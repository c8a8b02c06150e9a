using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OcdsAws.Smtp
{
    /// <summary>
    /// The SES SMTP password of an IAM secret access key (design.md §5): a SigV4-style HMAC-SHA256
    /// chain with the fixed date "11111111", the region, "ses", "aws4_request" and the message
    /// "SendRawEmail", prefixed with the version byte 0x04 and Base64-encoded. The password is
    /// region-specific, which is why the cmdlets derive one per region.
    /// </summary>
    internal static class SmtpPassword
    {
        // AWS's fixed values: SES recomputes the same chain on its side, so none of them may change.
        private const string Date = "11111111";
        private const string Service = "ses";
        private const string Terminal = "aws4_request";
        private const string Message = "SendRawEmail";
        private const byte Version = 0x04;

        /// <summary>Region names as AWS spells them (the session resolver uses the same rule).</summary>
        private static readonly Regex RegionPattern = new Regex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$", RegexOptions.CultureInvariant);

        /// <summary>Derives the SMTP password of <paramref name="secretAccessKey"/> for <paramref name="region"/>.</summary>
        /// <param name="secretAccessKey">The IAM user's secret access key.</param>
        /// <param name="region">The SES region the password is for, e.g. eu-west-1.</param>
        public static string Derive(string secretAccessKey, string region)
        {
            if (string.IsNullOrEmpty(secretAccessKey)) throw new ArgumentException("The secret access key is empty.", nameof(secretAccessKey));
            if (!IsRegionName(region)) throw new ArgumentException($"'{region}' is not an AWS region name (like eu-west-1).", nameof(region));

            var signature = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Date);
            foreach (var part in new[] { region, Service, Terminal, Message })
                signature = Hmac(signature, part);
            var password = new byte[signature.Length + 1];
            password[0] = Version;
            Buffer.BlockCopy(signature, 0, password, 1, signature.Length);
            return Convert.ToBase64String(password);
        }

        /// <summary>True when <paramref name="region"/> looks like an AWS region name.</summary>
        /// <param name="region">The text to check.</param>
        public static bool IsRegionName(string? region) => region != null && RegionPattern.IsMatch(region);

        /// <summary>The SES SMTP endpoint of a region.</summary>
        /// <param name="region">The SES region.</param>
        public static string Host(string region) => $"email-smtp.{region}.amazonaws.com";

        private static byte[] Hmac(byte[] key, string data)
        {
            using (var hmac = new HMACSHA256(key))
                return hmac.ComputeHash(Encoding.UTF8.GetBytes(data));
        }

        /// <summary>The text of a SecureString, for the moment a derivation needs it.</summary>
        internal static string Reveal(SecureString secure)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(pointer) ?? "";
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>A read-only SecureString holding <paramref name="text"/>.</summary>
        internal static SecureString Protect(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
