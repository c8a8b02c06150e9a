using System.Collections.Generic;
using OcdsAws.Aws.Services;

namespace OcdsAws.Ses
{
    /// <summary>The SES account in one region: sandbox or production, quota, suppression, review.</summary>
    public sealed class SesAccount
    {
        internal SesAccount(string region, SesAccountState s)
        {
            Region = region;
            ProductionAccessEnabled = s.ProductionAccessEnabled;
            SendingEnabled = s.SendingEnabled;
            EnforcementStatus = s.EnforcementStatus;
            Max24HourSend = s.Max24HourSend;
            MaxSendRate = s.MaxSendRate;
            SentLast24Hours = s.SentLast24Hours;
            SuppressedReasons = s.SuppressedReasons;
            MailType = s.MailType;
            WebsiteUrl = s.WebsiteUrl;
            UseCaseDescription = s.UseCaseDescription;
            ReviewStatus = s.ReviewStatus;
            ReviewCaseId = s.ReviewCaseId;
        }

        /// <summary>The region (sandbox status is per region).</summary>
        public string Region { get; }
        /// <summary>False while the account is in the sandbox.</summary>
        public bool ProductionAccessEnabled { get; }
        /// <summary>False when AWS paused sending.</summary>
        public bool SendingEnabled { get; }
        /// <summary>HEALTHY, PROBATION or SHUTDOWN.</summary>
        public string? EnforcementStatus { get; }
        /// <summary>Messages per 24 hours.</summary>
        public double? Max24HourSend { get; }
        /// <summary>Messages per second.</summary>
        public double? MaxSendRate { get; }
        /// <summary>Messages sent in the last 24 hours.</summary>
        public double? SentLast24Hours { get; }
        /// <summary>Reasons the account-level suppression list adds addresses for (empty: off).</summary>
        public IReadOnlyList<string> SuppressedReasons { get; }
        /// <summary>TRANSACTIONAL or MARKETING, from the production access request.</summary>
        public string? MailType { get; }
        /// <summary>The website given in the production access request.</summary>
        public string? WebsiteUrl { get; }
        /// <summary>The use case given in the production access request.</summary>
        public string? UseCaseDescription { get; }
        /// <summary>PENDING, FAILED, GRANTED or DENIED.</summary>
        public string? ReviewStatus { get; }
        /// <summary>The AWS Support case of the review.</summary>
        public string? ReviewCaseId { get; }
    }
}
