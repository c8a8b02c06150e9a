using System.Collections.Generic;
using System.Linq;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    public static partial class WireCases
    {
        private const string NotificationsSnsNs = "http://sns.amazonaws.com/doc/2010-03-31/";
        private const string NotificationsSesNs = "http://ses.amazonaws.com/doc/2010-12-01/";
        private const string NotificationsTopicArn = "arn:aws:sns:eu-west-1:123456789012:data-example-org";

        // A policy as SNS returns it after New-SesNotificationTopic: the owner statement and the SES one.
        private const string NotificationsTopicPolicy = "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
            + "\"Action\":[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\",\"SNS:AddPermission\",\"SNS:RemovePermission\",\"SNS:DeleteTopic\",\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\",\"SNS:Publish\"],"
            + "\"Resource\":\"" + NotificationsTopicArn + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"123456789012\"}}},"
            + "{\"Sid\":\"AllowSESPublish\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ses.amazonaws.com\"},\"Action\":\"SNS:Publish\",\"Resource\":\"" + NotificationsTopicArn + "\","
            + "\"Condition\":{\"StringEquals\":{\"AWS:SourceAccount\":\"123456789012\"}}}]}";

        /// <summary>The operations of the "Set up notifications" runbook section.</summary>
        private static readonly IReadOnlyList<WireCase> Notifications = new List<WireCase>
        {
            new WireCase
            {
                Service = "sns", Operation = "GetTopicAttributes", SigningName = "sns",
                Params = "{\"TopicArn\":\"" + NotificationsTopicArn + "\"}",
                Invoke = (c, ct) => Box(new SnsApi(c.Get(AwsService.Sns)).GetTopicAttributesAsync(NotificationsTopicArn, ct)),
                Response = QueryXml("GetTopicAttributes", NotificationsSnsNs,
                    "<Attributes>"
                    + "<entry><key>Policy</key><value>" + System.Security.SecurityElement.Escape(NotificationsTopicPolicy) + "</value></entry>"
                    + "<entry><key>Owner</key><value>123456789012</value></entry>"
                    + "<entry><key>SubscriptionsPending</key><value>1</value></entry>"
                    + "<entry><key>TopicArn</key><value>" + NotificationsTopicArn + "</value></entry>"
                    + "<entry><key>EffectiveDeliveryPolicy</key><value>{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}</value></entry>"
                    + "<entry><key>SubscriptionsConfirmed</key><value>0</value></entry>"
                    + "<entry><key>DisplayName</key><value></value></entry>"
                    + "<entry><key>SubscriptionsDeleted</key><value>0</value></entry>"
                    + "</Attributes>"),
                Check = r =>
                {
                    var attributes = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(r);
                    Assert.Equal(NotificationsTopicPolicy, attributes["Policy"]);
                    Assert.Equal("123456789012", attributes["Owner"]);
                    Assert.Equal("1", attributes["SubscriptionsPending"]);
                    Assert.Equal("", attributes["DisplayName"]);
                },
            },
            new WireCase
            {
                Service = "sns", Operation = "SetTopicAttributes", SigningName = "sns",
                Params = "{\"TopicArn\":\"" + NotificationsTopicArn + "\",\"AttributeName\":\"Policy\",\"AttributeValue\":" + System.Text.Json.JsonSerializer.Serialize(NotificationsTopicPolicy) + "}",
                Invoke = (c, ct) => Done(new SnsApi(c.Get(AwsService.Sns)).SetTopicAttributesAsync(NotificationsTopicArn, "Policy", NotificationsTopicPolicy, ct)),
                Response = QueryXml("SetTopicAttributes", NotificationsSnsNs, "").Replace("<SetTopicAttributesResult></SetTopicAttributesResult>", ""),
            },
            new WireCase
            {
                Service = "sns", Operation = "Subscribe", SigningName = "sns",
                Params = "{\"TopicArn\":\"" + NotificationsTopicArn + "\",\"Protocol\":\"email\",\"Endpoint\":\"sysadmin+ses@example.org\",\"ReturnSubscriptionArn\":true}",
                Invoke = (c, ct) => Box(new SnsApi(c.Get(AwsService.Sns)).SubscribeAsync(NotificationsTopicArn, "email", "sysadmin+ses@example.org", ct)),
                Response = QueryXml("Subscribe", NotificationsSnsNs, "<SubscriptionArn>" + NotificationsTopicArn + ":5a2f5e0c-9d1b-4b7e-8a51-0c6d8f3e2b41</SubscriptionArn>"),
                Check = r => Assert.Equal(NotificationsTopicArn + ":5a2f5e0c-9d1b-4b7e-8a51-0c6d8f3e2b41", r),
            },
            new WireCase
            {
                Service = "sns", Operation = "ListSubscriptionsByTopic", SigningName = "sns",
                Params = "{\"TopicArn\":\"" + NotificationsTopicArn + "\"}",
                Invoke = (c, ct) => Box(new SnsApi(c.Get(AwsService.Sns)).ListSubscriptionsByTopicAsync(NotificationsTopicArn, ct)),
                Response = QueryXml("ListSubscriptionsByTopic", NotificationsSnsNs,
                    "<Subscriptions>"
                    + "<member><TopicArn>" + NotificationsTopicArn + "</TopicArn><Protocol>email</Protocol><SubscriptionArn>PendingConfirmation</SubscriptionArn><Owner>123456789012</Owner><Endpoint>sysadmin@example.org</Endpoint></member>"
                    + "<member><TopicArn>" + NotificationsTopicArn + "</TopicArn><Protocol>email</Protocol><SubscriptionArn>" + NotificationsTopicArn + ":0b8c5a52-3e7f-4f11-9a8e-2d4c6e1f7a90</SubscriptionArn><Owner>123456789012</Owner><Endpoint>data@example.org</Endpoint></member>"
                    + "</Subscriptions>"),
                Check = r =>
                {
                    var subscriptions = Assert.IsAssignableFrom<IReadOnlyList<SnsSubscription>>(r);
                    Assert.Equal(new[] { "sysadmin@example.org", "data@example.org" }, subscriptions.Select(s => s.Endpoint));
                    Assert.Equal("PendingConfirmation", subscriptions[0].SubscriptionArn);
                    Assert.Equal(NotificationsTopicArn + ":0b8c5a52-3e7f-4f11-9a8e-2d4c6e1f7a90", subscriptions[1].SubscriptionArn);
                    Assert.All(subscriptions, s => Assert.Equal(("email", "123456789012", NotificationsTopicArn), (s.Protocol, s.Owner, s.TopicArn)));
                },
            },
            new WireCase
            {
                Service = "ses", Operation = "SetIdentityNotificationTopic", SigningName = "ses",
                Params = "{\"Identity\":\"example.org\",\"NotificationType\":\"Complaint\",\"SnsTopic\":\"" + NotificationsTopicArn + "\"}",
                Invoke = (c, ct) => Done(new SesClassicApi(c.Get(AwsService.Ses)).SetIdentityNotificationTopicAsync("example.org", "Complaint", NotificationsTopicArn, ct)),
                Response = QueryXml("SetIdentityNotificationTopic", NotificationsSesNs, ""),
            },
            new WireCase
            {
                Service = "ses", Operation = "SetIdentityHeadersInNotificationsEnabled", SigningName = "ses",
                Params = """{"Identity":"data@example.org","NotificationType":"Bounce","Enabled":true}""",
                Invoke = (c, ct) => Done(new SesClassicApi(c.Get(AwsService.Ses)).SetIdentityHeadersInNotificationsEnabledAsync("data@example.org", "Bounce", true, ct)),
                Response = QueryXml("SetIdentityHeadersInNotificationsEnabled", NotificationsSesNs, ""),
            },
            new WireCase
            {
                Service = "ses", Operation = "GetIdentityNotificationAttributes", SigningName = "ses",
                Params = """{"Identities":["example.org","data@example.org"]}""",
                Invoke = (c, ct) => Box(new SesClassicApi(c.Get(AwsService.Ses)).GetIdentityNotificationAttributesAsync(new[] { "example.org", "data@example.org" }, ct)),
                Response = QueryXml("GetIdentityNotificationAttributes", NotificationsSesNs,
                    "<NotificationAttributes>"
                    + "<entry><key>example.org</key><value><BounceTopic>" + NotificationsTopicArn + "</BounceTopic><ComplaintTopic>" + NotificationsTopicArn + "</ComplaintTopic>"
                    + "<DeliveryTopic>arn:aws:sns:eu-west-1:123456789012:deliveries</DeliveryTopic><ForwardingEnabled>true</ForwardingEnabled>"
                    + "<HeadersInBounceNotificationsEnabled>true</HeadersInBounceNotificationsEnabled><HeadersInComplaintNotificationsEnabled>true</HeadersInComplaintNotificationsEnabled>"
                    + "<HeadersInDeliveryNotificationsEnabled>false</HeadersInDeliveryNotificationsEnabled></value></entry>"
                    + "<entry><key>data@example.org</key><value><BounceTopic></BounceTopic><ComplaintTopic></ComplaintTopic><DeliveryTopic></DeliveryTopic>"
                    + "<ForwardingEnabled>false</ForwardingEnabled><HeadersInBounceNotificationsEnabled>false</HeadersInBounceNotificationsEnabled>"
                    + "<HeadersInComplaintNotificationsEnabled>false</HeadersInComplaintNotificationsEnabled><HeadersInDeliveryNotificationsEnabled>false</HeadersInDeliveryNotificationsEnabled></value></entry>"
                    + "</NotificationAttributes>"),
                Check = r =>
                {
                    var map = Assert.IsAssignableFrom<IReadOnlyDictionary<string, IdentityNotificationState>>(r);
                    var domain = map["example.org"];
                    Assert.Equal((NotificationsTopicArn, NotificationsTopicArn, "arn:aws:sns:eu-west-1:123456789012:deliveries"), (domain.BounceTopic, domain.ComplaintTopic, domain.DeliveryTopic));
                    Assert.True(domain.HeadersInBounceNotificationsEnabled && domain.HeadersInComplaintNotificationsEnabled && domain.ForwardingEnabled);
                    Assert.False(domain.HeadersInDeliveryNotificationsEnabled);
                    var address = map["data@example.org"];
                    Assert.Null(address.BounceTopic); // an empty topic element reads as no topic
                    Assert.False(address.ForwardingEnabled);
                },
            },
        };
    }
}
