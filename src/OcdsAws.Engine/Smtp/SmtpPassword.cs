using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

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
        private static readonly Regex RegionPattern = new Regex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+\\z", RegexOptions.CultureInvariant);

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

        /// <summary>
        /// The SES SMTP endpoint of a region: email-smtp.&lt;region&gt;.&lt;the partition's DNS suffix&gt;.
        /// Commercial regions: email-smtp.&lt;region&gt;.amazonaws.com (SES Developer Guide,
        /// https://docs.aws.amazon.com/ses/latest/dg/postfix.html and send-email-smtp-client-command-line.html: "replace
        /// email-smtp.us-west-2.amazonaws.com with the SMTP endpoint of your Region"; the list is in
        /// https://docs.aws.amazon.com/general/latest/gr/ses.html).
        /// GovCloud: AWS's SMTP-password example lists us-gov-west-1 and us-gov-east-1 as SMTP regions
        /// (https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html); not confirmed here: the host names
        /// email-smtp.us-gov-west-1.amazonaws.com / email-smtp.us-gov-east-1.amazonaws.com (the General Reference's table
        /// could not be read here; public code uses them, and email-smtp-fips.us-gov-west-1.amazonaws.com for FIPS).
        /// China: not confirmed here that SES SMTP exists at all: botocore 1.43.11's endpoints.json lists no "email" service
        /// in aws-cn and AWS's example lists no China region; the host is the partition's pattern (see <see cref="IsConfirmedHost"/>).
        /// </summary>
        /// <param name="region">The SES region.</param>
        public static string Host(string region) => $"email-smtp.{region}.{Fn.Partition(region).dnsSuffix}";

        /// <summary>False where <see cref="Host"/> is only the partition's pattern, not a host AWS documents (China).</summary>
        /// <param name="region">The SES region.</param>
        public static bool IsConfirmedHost(string region) => PartitionOf(region) != "aws-cn";

        /// <summary>
        /// The partition of a region (aws, aws-cn, aws-us-gov, ...) from AWSSDK.Core's partition table, the same one the
        /// endpoint rules use (<see cref="Fn.Partition"/>; it matches botocore 1.43.11's partitions.json).
        /// </summary>
        /// <param name="region">A region name.</param>
        public static string PartitionOf(string region) => Fn.Partition(region).name;

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
