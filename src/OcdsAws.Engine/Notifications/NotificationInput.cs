using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using OcdsAws.Dns;
using OcdsAws.Ses;

namespace OcdsAws.Notifications
{
    /// <summary>The notification cmdlets' inputs, checked before any AWS call (each failure a <see cref="ValidationException"/>).</summary>
    internal static class NotificationInput
    {
        // SNS's own rule for standard topic names; FIFO names add ".fifo".
        private static readonly Regex TopicNamePattern = new Regex("^[A-Za-z0-9_-]{1,256}\\z", RegexOptions.CultureInvariant);

        private static readonly Regex TopicArnPattern = new Regex(
            @"^arn:(?<partition>aws[a-z-]*):sns:(?<region>[a-z]{2}(-[a-z]+)+-\d+):(?<account>\d{12}):(?<name>[A-Za-z0-9_-]{1,256}(\.fifo)?)\z",
            RegexOptions.CultureInvariant);

        /// <summary>
        /// An SES identity: an email address as given (SES keeps its case), or a domain in the lowercase
        /// ASCII form SES stores.
        /// </summary>
        public static string Identity(string? input, string what = "-Identity")
        {
            var text = input ?? "";
            if (text.IndexOf('@') >= 0)
            {
                if (!EmailAddress.IsValid(text))
                    throw new ValidationException(ErrorIds.InvalidIdentity, $"{what} '{text}' is not a valid email address. Give a verified SES identity: an email address or a domain.");
                return text;
            }
            return DomainName.Normalize(text, what);
        }

        /// <summary>
        /// The runbook's topic name for an identity: every character SNS does not allow becomes a hyphen
        /// (data@open-contracting.org → data-open-contracting-org).
        /// </summary>
        public static string DefaultTopicName(string identity)
        {
            var name = new StringBuilder(identity.Length);
            foreach (var c in identity) name.Append(IsTopicChar(c) ? c : '-');
            return TopicName(name.ToString(), "The topic name derived from -Identity");
        }

        /// <summary>A standard topic name as SNS accepts it.</summary>
        public static string TopicName(string? input, string what = "-Name")
        {
            var text = input ?? "";
            if (TopicNamePattern.IsMatch(text)) return text;
            if (text.EndsWith(".fifo", StringComparison.Ordinal))
                throw new ValidationException(ErrorIds.InvalidTopicName, $"{what} '{text}' is a FIFO topic name; this cmdlet creates a standard topic. Remove '.fifo'.");
            var bad = text.FirstOrDefault(c => !IsTopicChar(c));
            var reason = text.Length == 0 ? "is empty" : text.Length > 256 ? $"has {text.Length} characters" : $"contains '{bad}'";
            throw new ValidationException(ErrorIds.InvalidTopicName, $"{what} '{text}' {reason}; SNS topic names are 1 to 256 letters, digits, hyphens and underscores.");
        }

        /// <summary>A topic ARN (arn:&lt;partition&gt;:sns:&lt;region&gt;:&lt;account&gt;:&lt;name&gt;) in <paramref name="region"/>.</summary>
        public static string TopicArn(string? input, string region)
        {
            var text = (input ?? "").Trim();
            var match = TopicArnPattern.Match(text);
            if (!match.Success)
                throw new ValidationException(ErrorIds.InvalidTopicArn, $"-TopicArn '{input}' is not an SNS topic ARN (arn:aws:sns:<region>:<12-digit account>:<topic name>).");
            // The partition must be the region's own (botocore's partitions.json: each partition's regionRegex).
            var partition = OcdsAws.Smtp.SmtpPassword.PartitionOf(match.Groups["region"].Value);
            if (match.Groups["partition"].Value != partition)
                throw new ValidationException(ErrorIds.InvalidTopicArn, $"-TopicArn '{text}' names the partition {match.Groups["partition"].Value}, but its region {match.Groups["region"].Value} is in {partition}.");
            // A FIFO topic is refused: New-SesNotificationTopic makes standard topics, and that SES publishes feedback to FIFO topics
            // is not confirmed here (the SetIdentityNotificationTopic reference read here does not say).
            if (match.Groups["name"].Value.EndsWith(".fifo", StringComparison.Ordinal))
                throw new ValidationException(ErrorIds.InvalidTopicArn, $"-TopicArn '{text}' is a FIFO topic; SES notifications need a standard topic (New-SesNotificationTopic creates one).");
            // SES publishes only to topics in the region where the identity is.
            if (match.Groups["region"].Value != region)
                throw new ValidationException(ErrorIds.TopicInOtherRegion,
                    $"-TopicArn '{text}' is in {match.Groups["region"].Value}, but SES notifications for identities in {region} can only go to a topic in {region}. Create one there with New-SesNotificationTopic -Region {region}.");
            return text;
        }

        /// <summary>Email addresses to subscribe, without duplicates (SNS would send a second confirmation mail).</summary>
        public static IReadOnlyList<string> SubscriptionAddresses(IEnumerable<string>? inputs)
        {
            var addresses = new List<string>();
            foreach (var input in inputs ?? Enumerable.Empty<string>())
            {
                EmailAddress.Parse(input, "-SubscribeEmail");
                if (!addresses.Contains(input, StringComparer.OrdinalIgnoreCase)) addresses.Add(input);
            }
            return addresses;
        }

        private static bool IsTopicChar(char c) => c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }
}
