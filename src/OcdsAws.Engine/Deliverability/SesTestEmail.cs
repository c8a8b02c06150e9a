using System;
using System.Collections.Generic;

namespace OcdsAws.Deliverability
{
    /// <summary>A test message SES accepted.</summary>
    public sealed class SesTestEmail
    {
        internal SesTestEmail(string messageId, string from, IReadOnlyList<string> to, string subject, string region, string? configurationSetName)
        {
            MessageId = messageId;
            From = from;
            To = to;
            Subject = subject;
            Region = region;
            ConfigurationSetName = configurationSetName;
        }

        /// <summary>SES's message id: notifications and logs name the message by it.</summary>
        public string MessageId { get; }

        /// <summary>The sender address.</summary>
        public string From { get; }

        /// <summary>The recipients.</summary>
        public IReadOnlyList<string> To { get; }

        /// <summary>The subject sent (it carries a timestamp so the message is easy to find).</summary>
        public string Subject { get; }

        /// <summary>The region that sent it.</summary>
        public string Region { get; }

        /// <summary>The configuration set used, if any.</summary>
        public string? ConfigurationSetName { get; }

        /// <inheritdoc />
        public override string ToString() => MessageId;
    }
}
