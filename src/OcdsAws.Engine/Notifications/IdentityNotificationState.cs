using System.Xml.Linq;

// In the protocol layer's namespace although it lives with the notification code: SesClassicApi returns it,
// and that shared file gets only its operations added, not new usings or types.
namespace OcdsAws.Aws.Services
{
    /// <summary>One identity's entry of GetIdentityNotificationAttributes.</summary>
    internal sealed class IdentityNotificationState
    {
        public string Identity { get; set; } = "";
        public string? BounceTopic { get; set; }
        public string? ComplaintTopic { get; set; }
        public string? DeliveryTopic { get; set; }
        public bool HeadersInBounceNotificationsEnabled { get; set; }
        public bool HeadersInComplaintNotificationsEnabled { get; set; }
        public bool HeadersInDeliveryNotificationsEnabled { get; set; }

        /// <summary>True while SES also mails bounces and complaints to the sender (its default).</summary>
        public bool ForwardingEnabled { get; set; } = true;

        /// <summary>The topic of a notification type (Bounce, Complaint, Delivery); null when none is set.</summary>
        public string? TopicFor(string notificationType) => notificationType switch
        {
            "Bounce" => BounceTopic,
            "Complaint" => ComplaintTopic,
            "Delivery" => DeliveryTopic,
            _ => null,
        };

        /// <summary>Whether a notification type carries the original headers.</summary>
        public bool HeadersFor(string notificationType) => notificationType switch
        {
            "Bounce" => HeadersInBounceNotificationsEnabled,
            "Complaint" => HeadersInComplaintNotificationsEnabled,
            "Delivery" => HeadersInDeliveryNotificationsEnabled,
            _ => false,
        };

        /// <summary>Records a SetIdentityNotificationTopic that SES accepted.</summary>
        public void SetTopic(string notificationType, string? topicArn)
        {
            switch (notificationType)
            {
                case "Bounce": BounceTopic = topicArn; break;
                case "Complaint": ComplaintTopic = topicArn; break;
                case "Delivery": DeliveryTopic = topicArn; break;
            }
        }

        /// <summary>Records a SetIdentityHeadersInNotificationsEnabled that SES accepted.</summary>
        public void SetHeaders(string notificationType, bool enabled)
        {
            switch (notificationType)
            {
                case "Bounce": HeadersInBounceNotificationsEnabled = enabled; break;
                case "Complaint": HeadersInComplaintNotificationsEnabled = enabled; break;
                case "Delivery": HeadersInDeliveryNotificationsEnabled = enabled; break;
            }
        }

        public static IdentityNotificationState From(string identity, XElement value) => new IdentityNotificationState
        {
            Identity = identity,
            // SES omits the topic elements of types that have none.
            BounceTopic = Empty(value.Text("BounceTopic")),
            ComplaintTopic = Empty(value.Text("ComplaintTopic")),
            DeliveryTopic = Empty(value.Text("DeliveryTopic")),
            HeadersInBounceNotificationsEnabled = value.Bool("HeadersInBounceNotificationsEnabled") ?? false,
            HeadersInComplaintNotificationsEnabled = value.Bool("HeadersInComplaintNotificationsEnabled") ?? false,
            HeadersInDeliveryNotificationsEnabled = value.Bool("HeadersInDeliveryNotificationsEnabled") ?? false,
            ForwardingEnabled = value.Bool("ForwardingEnabled") ?? true,
        };

        private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
    }
}
