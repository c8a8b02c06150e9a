using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Notifications;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Notifications
{
    /// <summary>
    /// New-SesNotificationTopic and Set-SesIdentityNotification against moto and its companion, with boto3
    /// reading the state back. Every test works on identities and topics of its own (one shared moto).
    /// </summary>
    public sealed class SesNotificationCmdletTests
    {
        private const string Region = "eu-west-1";
        private const string Account = "123456789012";
        private static readonly string[] MutatingOperations =
            { "CreateTopic", "SetTopicAttributes", "Subscribe", "SetIdentityNotificationTopic", "SetIdentityHeadersInNotificationsEnabled" };

        private static Dictionary<string, object?> Vars(params (string, object?)[] more)
            => ScriptVariables.For(Region, null, more);

        /// <summary>The operations of the "AWS call:" Verbose lines ("AWS call: &lt;service&gt; &lt;operation&gt; -> …").</summary>
        private static List<string> Calls(PsResult r) => r.Verbose.Where(v => v.StartsWith("AWS call:", System.StringComparison.Ordinal))
            .Select(v => v.Split(' ')[3]).ToList();

        private static List<string> Mutations(PsResult r) => Calls(r).Where(MutatingOperations.Contains).ToList();

        private static string ArnOf(string topicName) => $"arn:aws:sns:{Region}:{Account}:{topicName}";

        private static JsonObject Policy(string topicArn)
            => (JsonObject)JsonNode.Parse((string)Witness.Call("sns", "get_topic_attributes", new JsonObject { ["TopicArn"] = topicArn }, Region)["Attributes"]!["Policy"]!)!;

        private static List<JsonObject> Statements(JsonObject policy) => policy["Statement"]!.AsArray().Select(s => (JsonObject)s!).ToList();

        private static List<JsonNode> Subscriptions(string topicArn)
            => Witness.Call("sns", "list_subscriptions_by_topic", new JsonObject { ["TopicArn"] = topicArn }, Region)["Subscriptions"]!.AsArray().Select(s => s!).ToList();

        private static int TopicsNamed(string topicName)
            => Witness.Call("sns", "list_topics", null, Region)["Topics"]!.AsArray().Count(t => (string)t!["TopicArn"]! == ArnOf(topicName));

        private static string IdentityArn(string identity) => $"arn:aws:ses:{Region}:{Account}:identity/{identity}";

        /// <summary>The identities the SES statement lets SES publish for (AWS:SourceArn: one string or a list).</summary>
        private static string[] SourceArns(JsonObject policy)
        {
            var ses = Assert.Single(Statements(policy), s => s["Principal"]?["Service"]?.ToString() == "ses.amazonaws.com");
            return ses["Condition"]!["StringEquals"]!["AWS:SourceArn"] switch
            {
                JsonArray a => a.Select(x => (string)x!).ToArray(),
                JsonNode n => new[] { (string)n! },
                null => System.Array.Empty<string>(),
            };
        }

        private static void AssertSesStatement(JsonObject policy, string topicArn, params string[] identities)
        {
            var ses = Assert.Single(Statements(policy), s => s["Principal"]?["Service"]?.ToString() == "ses.amazonaws.com");
            Assert.Equal("Allow", (string)ses["Effect"]!);
            Assert.Equal("SNS:Publish", (string)ses["Action"]!);
            Assert.Equal(topicArn, (string)ses["Resource"]!);
            var condition = Assert.Single(ses["Condition"]!.AsObject());
            Assert.Equal("StringEquals", condition.Key);
            Assert.Equal(Account, (string)Assert.Single(condition.Value!.AsObject(), c => c.Key == "AWS:SourceAccount").Value!);
            // Only these identities: AWS's example policy (SES developer guide, "Configuring Amazon SNS notifications").
            Assert.Equal(identities.Select(IdentityArn), SourceArns(policy));
        }

        private static void VerifyEmail(string address) => Witness.Call("ses", "verify_email_identity", new JsonObject { ["EmailAddress"] = address }, Region);

        [Fact]
        public void New_topic_makes_the_topic_policy_and_pending_subscriptions_and_a_rerun_changes_nothing()
            => Story.Run(step =>
            {
                step("The first run");
                var identity = TestBed.Unique("data") + "@open-contracting.org";
                var name = identity.Replace('@', '-').Replace('.', '-');
                var vars = Vars(("identity", identity));

                var r = PowerShellHost.Run("New-SesNotificationTopic -Identity $identity -SubscribeEmail sysadmin@open-contracting.org,data@open-contracting.org @aws -Verbose", vars);

                Assert.Empty(r.Errors);
                var topic = (SesNotificationTopic)Assert.Single(r.Output).BaseObject;
                Assert.Equal((ArnOf(name), name, identity, Region), (topic.TopicArn, topic.TopicName, topic.Identity, topic.Region));
                Assert.Equal(new[] { "sysadmin@open-contracting.org", "data@open-contracting.org" }, topic.Subscriptions.Select(s => s.Endpoint));
                Assert.All(topic.Subscriptions, s => Assert.Equal(("email", SubscriptionStatus.PendingConfirmation), (s.Protocol, s.Status)));
                Assert.All(topic.Subscriptions, s => Assert.StartsWith(ArnOf(name) + ":", s.SubscriptionArn));
                Assert.Equal(new[] { "CreateTopic", "Subscribe", "Subscribe" }, Mutations(r));
                step("Nothing is delivered until each recipient clicks SNS's link");
                // Nothing is delivered until each recipient clicks SNS's link: the user must be told, not only under -Verbose.
                Assert.Equal(2, r.Warnings.Count(w => w.Contains("confirmation mail") && w.Contains("nothing is delivered until")));
                Assert.Contains(r.Warnings, w => w.StartsWith("Subscribed sysadmin@open-contracting.org"));

                step("boto3's view");
                // boto3's view: one topic, the SES statement next to SNS's owner statement, two email subscriptions.
                Assert.Equal(1, TopicsNamed(name));
                var policy = Policy(ArnOf(name));
                AssertSesStatement(policy, ArnOf(name), identity);
                var owner = Assert.Single(Statements(policy), s => (string?)s["Sid"] == "__default_statement_ID");
                Assert.Contains("SNS:SetTopicAttributes", owner["Action"]!.AsArray().Select(a => (string)a!));
                Assert.Equal(Account, (string)owner["Condition"]!["StringEquals"]!["AWS:SourceOwner"]!);
                var subscriptions = Subscriptions(ArnOf(name));
                Assert.Equal(new[] { "data@open-contracting.org", "sysadmin@open-contracting.org" }, subscriptions.Select(s => (string)s["Endpoint"]!).OrderBy(e => e));
                Assert.All(subscriptions, s => Assert.Equal("email", (string)s["Protocol"]!));

                var again = PowerShellHost.Run("New-SesNotificationTopic $identity -SubscribeEmail sysadmin@open-contracting.org,DATA@open-contracting.org @aws -Verbose", vars);
                Assert.Empty(again.Errors);
                Assert.Empty(Mutations(again));
                Assert.DoesNotContain(again.Warnings, w => w.Contains("confirmation mail"));
                Assert.Equal(new[] { "GetCallerIdentity", "GetTopicAttributes", "ListSubscriptionsByTopic" }, Calls(again));
                Assert.Equal(1, TopicsNamed(name));
                Assert.Equal(2, Subscriptions(ArnOf(name)).Count);
                Assert.Equal(policy.ToJsonString(), Policy(ArnOf(name)).ToJsonString());
                Assert.Equal(2, ((SesNotificationTopic)again.Output.Single().BaseObject).Subscriptions.Count);

                var more = PowerShellHost.Run("New-SesNotificationTopic $identity -SubscribeEmail data@open-contracting.org,alerts@open-contracting.org @aws -Verbose", vars);
                Assert.Empty(more.Errors);
                Assert.Equal(new[] { "Subscribe" }, Mutations(more));
                Assert.Equal(3, Subscriptions(ArnOf(name)).Count);
            });

        [Fact]
        public void An_existing_topic_gets_the_ses_statement_once_and_keeps_its_other_statements()
        {
            var name = TestBed.Unique("existing");
            var arn = (string)Witness.Call("sns", "create_topic", new JsonObject { ["Name"] = name }, Region)["TopicArn"]!;
            var withExtra = Policy(arn);
            withExtra["Statement"]!.AsArray().Add(new JsonObject
            {
                ["Sid"] = "KeepMe", ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["AWS"] = "arn:aws:iam::210987654321:root" },
                ["Action"] = "SNS:Subscribe", ["Resource"] = arn,
            });
            Witness.Call("sns", "set_topic_attributes", new JsonObject { ["TopicArn"] = arn, ["AttributeName"] = "Policy", ["AttributeValue"] = withExtra.ToJsonString() }, Region);
            var vars = Vars(("name", name));

            var r = PowerShellHost.Run("New-SesNotificationTopic -Identity example.org -Name $name @aws -Verbose", vars);

            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "SetTopicAttributes" }, Mutations(r));
            var policy = Policy(arn);
            AssertSesStatement(policy, arn, "example.org");
            Assert.Equal(new[] { "AllowSESPublish", "KeepMe", "__default_statement_ID" }, Statements(policy).Select(s => (string)s["Sid"]!).OrderBy(s => s, System.StringComparer.Ordinal));

            var again = PowerShellHost.Run("New-SesNotificationTopic example.org $name @aws -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.Empty(Mutations(again));
            Assert.Contains(again.Verbose, v => v.Contains("nothing to change"));
        }

        [Fact]
        public void Set_identity_notification_points_bounces_and_complaints_at_the_topic_with_headers_and_a_rerun_changes_nothing()
        {
            var identity = TestBed.Unique("sender") + "@open-contracting.org";
            VerifyEmail(identity);
            var vars = Vars(("identity", identity));
            var topic = (SesNotificationTopic)PowerShellHost.Run("New-SesNotificationTopic $identity @aws", vars).Output.Single().BaseObject;
            vars["arn"] = topic.TopicArn;

            var r = PowerShellHost.Run("Set-SesIdentityNotification -Identity $identity -TopicArn $arn @aws -Verbose", vars);

            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "SetIdentityNotificationTopic", "SetIdentityHeadersInNotificationsEnabled", "SetIdentityNotificationTopic", "SetIdentityHeadersInNotificationsEnabled" }, Mutations(r));
            // The reads (identity, caller, topic policy: New-SesNotificationTopic already listed the identity), the four
            // changes, and no read-back: the output is what SES accepted (boto3 confirms it below).
            Assert.Equal(new[] { "GetIdentityNotificationAttributes", "GetCallerIdentity", "GetTopicAttributes", "SetIdentityNotificationTopic", "SetIdentityHeadersInNotificationsEnabled", "SetIdentityNotificationTopic", "SetIdentityHeadersInNotificationsEnabled" }, Calls(r));
            var result = (SesIdentityNotification)Assert.Single(r.Output).BaseObject;
            Assert.Equal((identity, Region, topic.TopicArn, topic.TopicArn, (string?)null), (result.Identity, result.Region, result.BounceTopic, result.ComplaintTopic, result.DeliveryTopic));
            Assert.True(result.HeadersInBounceNotificationsEnabled);
            Assert.True(result.HeadersInComplaintNotificationsEnabled);
            Assert.False(result.HeadersInDeliveryNotificationsEnabled);

            var witness = Witness.Call("ses", "get_identity_notification_attributes", new JsonObject { ["Identities"] = new JsonArray(identity) }, Region)["NotificationAttributes"]![identity]!;
            Assert.Equal(topic.TopicArn, (string)witness["BounceTopic"]!);
            Assert.Equal(topic.TopicArn, (string)witness["ComplaintTopic"]!);
            Assert.True((bool)witness["HeadersInBounceNotificationsEnabled"]!);
            Assert.True((bool)witness["HeadersInComplaintNotificationsEnabled"]!);
            Assert.Null(witness["DeliveryTopic"]);

            var again = PowerShellHost.Run("Set-SesIdentityNotification $identity $arn @aws -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.Equal(new[] { "GetIdentityNotificationAttributes", "GetCallerIdentity", "GetTopicAttributes" }, Calls(again));
            Assert.Equal(topic.TopicArn, ((SesIdentityNotification)again.Output.Single().BaseObject).BounceTopic);

            // Headers off for bounces only: one call, and complaints keep theirs.
            var off = PowerShellHost.Run("Set-SesIdentityNotification $identity $arn -NotificationType Bounce -IncludeOriginalHeaders $false @aws -Verbose", vars);
            Assert.Empty(off.Errors);
            Assert.Equal(new[] { "SetIdentityHeadersInNotificationsEnabled" }, Mutations(off));
            var after = (SesIdentityNotification)off.Output.Single().BaseObject;
            Assert.False(after.HeadersInBounceNotificationsEnabled);
            Assert.True(after.HeadersInComplaintNotificationsEnabled);
        }

        [Fact]
        public void New_topic_pipes_into_set_identity_notification_and_takes_a_domain_verification_from_the_pipeline()
        {
            var domain = TestBed.Unique("pipe") + ".example.org";
            Witness.Call("ses", "verify_domain_identity", new JsonObject { ["Domain"] = domain }, Region);
            var vars = Vars(("domain", domain));

            // Shaped like SesDomainVerification: EmailIdentity and Domain.
            var r = PowerShellHost.Run(
                "[pscustomobject]@{ EmailIdentity = $domain; Domain = $domain } | New-SesNotificationTopic @aws -SubscribeEmail postmaster@open-contracting.org | Set-SesIdentityNotification @aws", vars);

            Assert.Empty(r.Errors);
            var result = (SesIdentityNotification)Assert.Single(r.Output).BaseObject;
            var arn = ArnOf(domain.Replace('.', '-'));
            Assert.Equal((domain, arn, arn), (result.Identity, result.BounceTopic, result.ComplaintTopic));
            var witness = Witness.Call("ses", "get_identity_notification_attributes", new JsonObject { ["Identities"] = new JsonArray(domain) }, Region)["NotificationAttributes"]![domain]!;
            Assert.Equal(arn, (string)witness["BounceTopic"]!);
            Assert.Equal(arn, (string)witness["ComplaintTopic"]!);
            Assert.Equal("postmaster@open-contracting.org", (string)Assert.Single(Subscriptions(arn))["Endpoint"]!);
        }

        [Fact]
        public void Identities_sharing_a_topic_are_each_listed_in_its_policy_and_other_statements_stay()
        {
            // A topic SES may publish to for one identity; the user adds a statement of their own.
            var first = TestBed.Unique("first") + "@open-contracting.org";
            var second = TestBed.Unique("second") + ".example.org";
            var name = TestBed.Unique("shared");
            VerifyEmail(first);
            Witness.Call("ses", "verify_domain_identity", new JsonObject { ["Domain"] = second }, Region);
            var vars = Vars(("first", first), ("second", second), ("name", name), ("arn", ArnOf(name)));
            Assert.Empty(PowerShellHost.Run("New-SesNotificationTopic $first $name @aws", vars).Errors);
            var withExtra = Policy(ArnOf(name));
            withExtra["Statement"]!.AsArray().Add(new JsonObject
            {
                ["Sid"] = "KeepMe", ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["AWS"] = "arn:aws:iam::210987654321:root" },
                ["Action"] = "SNS:Subscribe", ["Resource"] = ArnOf(name),
            });
            Witness.Call("sns", "set_topic_attributes", new JsonObject { ["TopicArn"] = ArnOf(name), ["AttributeName"] = "Policy", ["AttributeValue"] = withExtra.ToJsonString() }, Region);
            AssertSesStatement(Policy(ArnOf(name)), ArnOf(name), first);

            // The second identity is attached to the same topic: the policy lists both, keeps KeepMe and SNS's statement.
            var r = PowerShellHost.Run("Set-SesIdentityNotification $second $arn @aws -Verbose; Set-SesIdentityNotification $first $arn @aws -Verbose", vars);
            Assert.Empty(r.Errors);
            Assert.Equal(1, Mutations(r).Count(m => m == "SetTopicAttributes"));
            var policy = Policy(ArnOf(name));
            AssertSesStatement(policy, ArnOf(name), first, second);
            Assert.Equal(new[] { "AllowSESPublish", "KeepMe", "__default_statement_ID" }, Statements(policy).Select(s => (string)s["Sid"]!).OrderBy(s => s, System.StringComparer.Ordinal));

            // Re-runs (and New-SesNotificationTopic for either identity) change nothing.
            var again = PowerShellHost.Run("Set-SesIdentityNotification $second $arn @aws -Verbose; New-SesNotificationTopic $second $name @aws -Verbose; New-SesNotificationTopic $first $name @aws -Verbose", vars);
            Assert.Empty(again.Errors);
            Assert.Empty(Mutations(again));
            Assert.Equal(policy.ToJsonString(), Policy(ArnOf(name)).ToJsonString());
        }

        [Fact]
        public void Once_per_second_operations_go_out_a_second_apart_and_are_never_throttled()
        {
            // SetIdentityNotificationTopic and SetIdentityHeadersInNotificationsEnabled, twice each and back to back: the
            // companion throttles a second call within a second as SES does (botocore's ses model: "no more than once per second").
            var identity = TestBed.Unique("paced") + "@open-contracting.org";
            VerifyEmail(identity);
            var vars = Vars(("identity", identity));
            var topic = (SesNotificationTopic)PowerShellHost.Run("New-SesNotificationTopic $identity @aws", vars).Output.Single().BaseObject;
            vars["arn"] = topic.TopicArn;

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var r = PowerShellHost.Run("Set-SesIdentityNotification $identity $arn @aws -Verbose", vars);

            Assert.Empty(r.Errors);
            var calls = r.Verbose.Where(v => v.StartsWith("AWS call:", System.StringComparison.Ordinal)).ToList();
            Assert.Equal(2, calls.Count(c => c.Contains(" SetIdentityNotificationTopic ")));
            Assert.All(calls, c => Assert.Contains(", 1 attempt,", c));
            Assert.True(watch.Elapsed >= System.TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        }

        [Fact]
        public void WhatIf_makes_no_call()
        {
            var identity = TestBed.Unique("whatif") + "@open-contracting.org";
            VerifyEmail(identity);
            var name = identity.Replace('@', '-').Replace('.', '-');
            var vars = Vars(("identity", identity), ("arn", ArnOf(name)));

            var r = PowerShellHost.Run("New-SesNotificationTopic $identity -SubscribeEmail sysadmin@open-contracting.org @aws -WhatIf -Verbose; "
                + "Set-SesIdentityNotification $identity $arn @aws -WhatIf -Verbose", vars);

            Assert.Empty(r.Errors);
            Assert.Empty(r.Output);
            Assert.Equal(0, r.AwsCalls);
            Assert.Equal(0, TopicsNamed(name));
            var witness = Witness.Call("ses", "get_identity_notification_attributes", new JsonObject { ["Identities"] = new JsonArray(identity) }, Region)["NotificationAttributes"]![identity]!;
            Assert.Null(witness["BounceTopic"]);
        }

        [Fact]
        public void Set_identity_notification_for_an_identity_ses_does_not_know_fails_before_any_change()
        {
            var vars = Vars(("identity", TestBed.Unique("nobody") + "@open-contracting.org"), ("arn", ArnOf("some-topic")));
            var r = PowerShellHost.Run("Set-SesIdentityNotification $identity $arn @aws -Verbose", vars);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.IdentityNotFound", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(new[] { "GetIdentityNotificationAttributes" }, Calls(r));
        }

        [Theory]
        [InlineData("New-SesNotificationTopic 'not a domain' @aws -Verbose", "OcdsAws.InvalidDomainName")]
        [InlineData("New-SesNotificationTopic 'a@b@open-contracting.org' @aws -Verbose", "OcdsAws.InvalidIdentity")]
        [InlineData("New-SesNotificationTopic 'data@localhost' @aws -Verbose", "OcdsAws.InvalidIdentity")]
        [InlineData("New-SesNotificationTopic data@open-contracting.org -Name 'bounces and complaints' @aws -Verbose", "OcdsAws.InvalidTopicName")]
        [InlineData("New-SesNotificationTopic data@open-contracting.org -Name ('x' * 257) @aws -Verbose", "OcdsAws.InvalidTopicName")]
        [InlineData("New-SesNotificationTopic data@open-contracting.org -Name bounces.fifo @aws -Verbose", "OcdsAws.InvalidTopicName")]
        [InlineData("New-SesNotificationTopic data@open-contracting.org -SubscribeEmail sysadmin@open-contracting.org,'not an address' @aws -Verbose", "OcdsAws.InvalidEmailAddress")]
        [InlineData("Set-SesIdentityNotification 'not a domain' arn:aws:sns:eu-west-1:123456789012:t @aws -Verbose", "OcdsAws.InvalidDomainName")]
        [InlineData("Set-SesIdentityNotification example.org arn:aws:sqs:eu-west-1:123456789012:t @aws -Verbose", "OcdsAws.InvalidTopicArn")]
        [InlineData("Set-SesIdentityNotification example.org arn:aws:sns:eu-west-1:12345:t @aws -Verbose", "OcdsAws.InvalidTopicArn")]
        [InlineData("Set-SesIdentityNotification example.org https://sns.eu-west-1.amazonaws.com/t @aws -Verbose", "OcdsAws.InvalidTopicArn")]
        [InlineData("Set-SesIdentityNotification example.org 'arn:aws:sns:eu-west-1:123456789012:bad name' @aws -Verbose", "OcdsAws.InvalidTopicArn")]
        [InlineData("Set-SesIdentityNotification example.org arn:aws:sns:us-east-1:123456789012:t @aws -Verbose", "OcdsAws.TopicInOtherRegion")]
        public void Bad_input_fails_clearly_with_no_call(string script, string errorId)
        {
            var r = PowerShellHost.Run(script, Vars());
            var error = Assert.Single(r.Errors);
            Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.False(string.IsNullOrWhiteSpace(error.Exception.Message));
            Assert.Equal(0, r.AwsCalls);
        }
    }
}
