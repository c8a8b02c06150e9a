using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Web;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Notifications;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Notifications
{
    /// <summary>The topic policy merge, the input rules and subscription paging, without moto.</summary>
    public sealed class SesNotificationUnitTests
    {
        private const string Arn = "arn:aws:sns:eu-west-1:123456789012:data-example-org";

        // What SNS puts on a new topic.
        private static readonly string SnsDefault = new JsonObject
        {
            ["Version"] = "2008-10-17",
            ["Id"] = "__default_policy_ID",
            ["Statement"] = new JsonArray(SesTopicPolicy.OwnerStatement(Arn, "123456789012")),
        }.ToJsonString();

        private static JsonArray Statements(string policy) => JsonNode.Parse(policy)!["Statement"]!.AsArray();

        private const string Data = "arn:aws:ses:eu-west-1:123456789012:identity/data@example.org";
        private const string Domain = "arn:aws:ses:eu-west-1:123456789012:identity/example.org";

        private static JsonNode Ses(string policy) => Assert.Single(Statements(policy), s => (string?)s!["Sid"] == SesTopicPolicy.Sid)!;

        private static string[] SourceArns(JsonNode statement) => statement["Condition"]!["StringEquals"]!["AWS:SourceArn"] switch
        {
            JsonArray a => a.Select(x => (string)x!).ToArray(),
            JsonNode n => new[] { (string)n! },
            null => System.Array.Empty<string>(),
        };

        [Fact]
        public void Merge_adds_the_ses_statement_for_the_identity_and_keeps_the_owner_statement()
        {
            var merged = SesTopicPolicy.Merge(SnsDefault, Arn, "123456789012", Data);
            Assert.NotNull(merged);
            var statements = Statements(merged!);
            Assert.Equal(new[] { "__default_statement_ID", SesTopicPolicy.Sid }, statements.Select(s => (string)s!["Sid"]!));
            Assert.Equal("123456789012", (string)statements[1]!["Condition"]!["StringEquals"]!["AWS:SourceAccount"]!);
            Assert.Equal(Data, (string)statements[1]!["Condition"]!["StringEquals"]!["AWS:SourceArn"]!);
            Assert.Equal("2008-10-17", (string)JsonNode.Parse(merged!)!["Version"]!);
            Assert.Null(SesTopicPolicy.Merge(merged, Arn, "123456789012", Data));
        }

        [Fact]
        public void A_second_identity_joins_the_source_arn_list_once_and_the_first_stays()
        {
            var one = SesTopicPolicy.Merge(SnsDefault, Arn, "123456789012", Data)!;
            var two = SesTopicPolicy.Merge(one, Arn, "123456789012", Domain)!;
            Assert.Equal(new[] { Data, Domain }, SourceArns(Ses(two)));
            Assert.Equal(2, Statements(two).Count);
            Assert.Null(SesTopicPolicy.Merge(two, Arn, "123456789012", Data));
            Assert.Null(SesTopicPolicy.Merge(two, Arn, "123456789012", Domain));
        }

        [Fact]
        public void Merge_accepts_the_same_grant_under_another_sid_and_spelling()
        {
            var policy = JsonNode.Parse(SnsDefault)!.AsObject();
            policy["Statement"]!.AsArray().Add(JsonNode.Parse("{\"Sid\":\"console-made\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"ses.amazonaws.com\"]},"
                + "\"Action\":[\"sns:publish\"],\"Resource\":\"" + Arn + "\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"123456789012\",\"aws:SourceArn\":[\"" + Domain + "\",\"" + Data + "\"]}}}"));
            Assert.Null(SesTopicPolicy.Merge(policy.ToJsonString(), Arn, "123456789012", Data));
        }

        [Fact]
        public void An_account_wide_statement_is_not_enough_and_ours_is_narrowed_to_the_identity()
        {
            // What earlier versions wrote: any identity of the account could publish.
            var policy = JsonNode.Parse(SnsDefault)!.AsObject();
            policy["Statement"]!.AsArray().Add(JsonNode.Parse("{\"Sid\":\"AllowSESPublish\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ses.amazonaws.com\"},"
                + "\"Action\":\"SNS:Publish\",\"Resource\":\"" + Arn + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceAccount\":\"123456789012\"}}}"));
            var merged = SesTopicPolicy.Merge(policy.ToJsonString(), Arn, "123456789012", Data, out var narrowed);
            Assert.NotNull(merged);
            Assert.Equal(new[] { Data }, SourceArns(Ses(merged!)));
            Assert.Equal(2, Statements(merged!).Count);
            Assert.True(narrowed);   // the service warns: other identities that published through it lose that right

            // Adding an identity to a statement that already names one narrows nothing.
            SesTopicPolicy.Merge(merged, Arn, "123456789012", "arn:aws:ses:eu-west-1:123456789012:identity/other.example", out var again);
            Assert.False(again);
        }

        [Fact]
        public void Merge_replaces_its_own_statement_when_it_grants_something_else()
        {
            var stale = JsonNode.Parse(SnsDefault)!.AsObject();
            stale["Statement"]!.AsArray().Add(SesTopicPolicy.PublishStatement(Arn, "210987654321", new[] { "arn:aws:ses:eu-west-1:210987654321:identity/x.org" }));
            var merged = SesTopicPolicy.Merge(stale.ToJsonString(), Arn, "123456789012", Data);
            var ses = Ses(merged!);
            Assert.Equal("123456789012", (string)ses["Condition"]!["StringEquals"]!["AWS:SourceAccount"]!);
            Assert.Equal(new[] { Data }, SourceArns(ses));
        }

        [Fact]
        public void Merge_reads_a_single_statement_object_and_refuses_what_is_not_a_policy()
        {
            var single = "{\"Version\":\"2012-10-17\",\"Statement\":" + SesTopicPolicy.OwnerStatement(Arn, "123456789012").ToJsonString() + "}";
            Assert.Equal(2, Statements(SesTopicPolicy.Merge(single, Arn, "123456789012", Data)!).Count);
            var e = Assert.Throws<OcdsAwsException>(() => SesTopicPolicy.Merge("{not json", Arn, "123456789012", Data));
            Assert.Equal("UnreadableTopicPolicy", e.ErrorId);
        }

        [Theory]
        [InlineData("data@open-contracting.org", "data-open-contracting-org")]
        [InlineData("first.last+ses@open-contracting.org", "first-last-ses-open-contracting-org")]
        [InlineData("open-contracting.org", "open-contracting-org")]
        [InlineData("under_score@example.org", "under_score-example-org")]
        public void The_default_topic_name_is_the_identity_hyphenated(string identity, string expected)
            => Assert.Equal(expected, NotificationInput.DefaultTopicName(identity));

        [Fact]
        public void Domains_are_normalised_and_addresses_kept_as_given()
        {
            Assert.Equal("example.org", NotificationInput.Identity("Example.ORG."));
            Assert.Equal("Data@Example.org", NotificationInput.Identity("Data@Example.org"));
            Assert.Equal(new[] { "a@example.org", "b@example.org" }, NotificationInput.SubscriptionAddresses(new[] { "a@example.org", "A@example.org", "b@example.org" }));
        }

        [Theory]
        [InlineData("arn:aws:sns:eu-west-1:123456789012:data-example-org", null)]
        [InlineData("arn:aws-us-gov:sns:us-gov-west-1:123456789012:t", "TopicInOtherRegion")]
        [InlineData("arn:aws:sns:eu-west-1:123456789012:", "InvalidTopicArn")]
        [InlineData("arn:aws:sns:eu-west-1:123456789012:a:b", "InvalidTopicArn")]
        [InlineData("arn:aws:ses:eu-west-1:123456789012:identity/example.org", "InvalidTopicArn")]
        public void Topic_arns_are_checked_for_shape_and_region(string arn, string? errorId)
        {
            if (errorId == null)
            {
                Assert.Equal(arn, NotificationInput.TopicArn(arn, "eu-west-1"));
                return;
            }
            Assert.Equal(errorId, Assert.Throws<ValidationException>(() => NotificationInput.TopicArn(arn, "eu-west-1")).ErrorId);
        }

        [Fact]
        public async Task List_subscriptions_by_topic_follows_next_token()
        {
            static string Page(string endpoint, string? next) =>
                "<ListSubscriptionsByTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListSubscriptionsByTopicResult><Subscriptions><member>"
                + $"<TopicArn>{Arn}</TopicArn><Protocol>email</Protocol><SubscriptionArn>PendingConfirmation</SubscriptionArn><Owner>123456789012</Owner><Endpoint>{endpoint}</Endpoint>"
                + "</member></Subscriptions>" + (next == null ? "" : $"<NextToken>{next}</NextToken>")
                + "</ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListSubscriptionsByTopicResponse>";
            using var server = new CaptureServer((_, i) => new CannedResponse(200, i == 0 ? Page("a@example.org", "page-2") : Page("b@example.org", null)));
            using var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret");

            var subscriptions = await new SnsApi(clients.Get(AwsService.Sns)).ListSubscriptionsByTopicAsync(Arn, CancellationToken.None);

            Assert.Equal(new[] { "a@example.org", "b@example.org" }, subscriptions.Select(s => s.Endpoint));
            Assert.Equal(2, server.Requests.Count);
            Assert.Null(HttpUtility.ParseQueryString(server.Requests[0].BodyText)["NextToken"]);
            Assert.Equal("page-2", HttpUtility.ParseQueryString(server.Requests[1].BodyText)["NextToken"]);
            Assert.Equal(SubscriptionStatus.PendingConfirmation, SesNotificationSubscription.From(subscriptions[0]).Status);
            Assert.Null(SesNotificationSubscription.From(subscriptions[0]).SubscriptionArn);
        }
    }
}
