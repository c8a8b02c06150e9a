using System.Collections.Generic;
using OcdsAws.Aws.Services;

namespace OcdsAws.Notifications
{
    /// <summary>The SNS topic SES publishes an identity's bounces and complaints to, and who is subscribed.</summary>
    public sealed class SesNotificationTopic
    {
        /// <summary>The topic's ARN (binds to -TopicArn of Set-SesIdentityNotification and AWS.Tools' SNS cmdlets).</summary>
        public string TopicArn { get; set; } = "";

        /// <summary>The topic's name.</summary>
        public string TopicName { get; set; } = "";

        /// <summary>The SES identity (email address or domain) the topic is for (binds to -Identity).</summary>
        public string Identity { get; set; } = "";

        /// <summary>The region of the topic; SES publishes only to topics in its own region.</summary>
        public string Region { get; set; } = "";

        /// <summary>Every subscription of the topic, the ones this run added included.</summary>
        public IReadOnlyList<SesNotificationSubscription> Subscriptions { get; set; } = new SesNotificationSubscription[0];
    }

    /// <summary>One subscription of a notification topic.</summary>
    public sealed class SesNotificationSubscription
    {
        internal SesNotificationSubscription(string protocol, string endpoint, string? subscriptionArn, string status)
        {
            Protocol = protocol;
            Endpoint = endpoint;
            SubscriptionArn = subscriptionArn;
            Status = status;
        }

        internal static SesNotificationSubscription From(SnsSubscription s)
        {
            // SNS lists a subscription that waits for its confirmation link with the text PendingConfirmation
            // (or Deleted, briefly, after an unsubscribe) where the ARN would be.
            var confirmed = s.SubscriptionArn.StartsWith("arn:", System.StringComparison.Ordinal);
            return new SesNotificationSubscription(s.Protocol, s.Endpoint, confirmed ? s.SubscriptionArn : null,
                confirmed ? SubscriptionStatus.Confirmed : s.SubscriptionArn);
        }

        /// <summary>email for the subscriptions New-SesNotificationTopic makes; other protocols are listed as SNS has them.</summary>
        public string Protocol { get; }

        /// <summary>The email address (or other endpoint) notifications go to.</summary>
        public string Endpoint { get; }

        /// <summary>The subscription's ARN when known: SNS hides it while a listed subscription is pending.</summary>
        public string? SubscriptionArn { get; }

        /// <summary>PendingConfirmation until the link in SNS's confirmation mail is clicked, then Confirmed.</summary>
        public string Status { get; }

        /// <summary>The endpoint and its status, as the topic's Subscriptions column shows them.</summary>
        public override string ToString() => $"{Endpoint} ({Status})";
    }

    /// <summary>The values of <see cref="SesNotificationSubscription.Status"/>.</summary>
    public static class SubscriptionStatus
    {
        /// <summary>SNS sent a confirmation mail; nothing is delivered until its link is clicked.</summary>
        public const string PendingConfirmation = "PendingConfirmation";

        /// <summary>The endpoint receives the topic's messages.</summary>
        public const string Confirmed = "Confirmed";
    }

    /// <summary>Where SES sends an identity's bounce, complaint and delivery notifications.</summary>
    public sealed class SesIdentityNotification
    {
        internal SesIdentityNotification(string region, IdentityNotificationState s)
        {
            Identity = s.Identity;
            Region = region;
            BounceTopic = s.BounceTopic;
            ComplaintTopic = s.ComplaintTopic;
            DeliveryTopic = s.DeliveryTopic;
            HeadersInBounceNotificationsEnabled = s.HeadersInBounceNotificationsEnabled;
            HeadersInComplaintNotificationsEnabled = s.HeadersInComplaintNotificationsEnabled;
            HeadersInDeliveryNotificationsEnabled = s.HeadersInDeliveryNotificationsEnabled;
            ForwardingEnabled = s.ForwardingEnabled;
        }

        /// <summary>The SES identity (email address or domain).</summary>
        public string Identity { get; }

        /// <summary>The region of the identity.</summary>
        public string Region { get; }

        /// <summary>The topic bounce notifications go to; null when none.</summary>
        public string? BounceTopic { get; }

        /// <summary>The topic complaint notifications go to; null when none.</summary>
        public string? ComplaintTopic { get; }

        /// <summary>The topic delivery notifications go to; null when none.</summary>
        public string? DeliveryTopic { get; }

        /// <summary>True when bounce notifications carry the original mail's headers.</summary>
        public bool HeadersInBounceNotificationsEnabled { get; }

        /// <summary>True when complaint notifications carry the original mail's headers.</summary>
        public bool HeadersInComplaintNotificationsEnabled { get; }

        /// <summary>True when delivery notifications carry the original mail's headers.</summary>
        public bool HeadersInDeliveryNotificationsEnabled { get; }

        /// <summary>True while SES also mails bounces and complaints to the sender.</summary>
        public bool ForwardingEnabled { get; }
    }
}
