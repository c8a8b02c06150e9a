using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using OcdsAws.Aws.Services;

namespace OcdsAws.Notifications
{
    /// <summary>
    /// The topic policy that lets SES publish an account's notifications: SNS's own default statement (so
    /// the owner keeps managing the topic) plus one statement for ses.amazonaws.com, limited by
    /// AWS:SourceAccount and AWS:SourceArn (the SES identities that send to this topic) so that neither another
    /// account nor another identity of this account can use SES to publish here (confused deputy). The shape is
    /// AWS's own example: SES developer guide, "Configuring Amazon SNS notifications for Amazon SES", prerequisites
    /// (https://docs.aws.amazon.com/ses/latest/dg/configure-sns-notifications.html): "Action": "sns:Publish",
    /// "Condition": {"StringEquals": {"AWS:SourceAccount": "111122223333",
    /// "AWS:SourceArn": "arn:aws:ses:topic_region:111122223333:identity/identity_name"}}.
    /// Several identities share one topic through a list of SourceArns in that one statement: a condition key with
    /// several values matches when any of them does (IAM User Guide, "Creating a condition with multiple keys or
    /// values": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html).
    /// </summary>
    internal static class SesTopicPolicy
    {
        public const string Sid = "AllowSESPublish";
        private const string SourceAccountKey = "AWS:SourceAccount";
        private const string SourceArnKey = "AWS:SourceArn";

        /// <summary>An SES identity's ARN, as AWS:SourceArn names it: arn:&lt;partition&gt;:ses:&lt;region&gt;:&lt;account&gt;:identity/&lt;identity&gt;.</summary>
        public static string IdentityArn(string partition, string region, string account, string identity)
            => $"arn:{partition}:ses:{region}:{account}:identity/{identity}";

        /// <summary>The SES statement for <paramref name="topicArn"/> in <paramref name="account"/>, for these identity ARNs.</summary>
        public static JsonObject PublishStatement(string topicArn, string account, IReadOnlyList<string> identityArns) => new JsonObject
        {
            ["Sid"] = Sid,
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "ses.amazonaws.com" },
            ["Action"] = "SNS:Publish",
            ["Resource"] = topicArn,
            ["Condition"] = new JsonObject
            {
                ["StringEquals"] = new JsonObject
                {
                    [SourceAccountKey] = account,
                    [SourceArnKey] = identityArns.Count == 1 ? (JsonNode)identityArns[0] : new JsonArray(identityArns.Select(a => (JsonNode)a!).ToArray()),
                },
            },
        };

        /// <summary>The statement SNS puts into every new topic's policy: the owner account may manage and use it.</summary>
        public static JsonObject OwnerStatement(string topicArn, string account) => new JsonObject
        {
            ["Sid"] = "__default_statement_ID",
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = "*" },
            ["Action"] = new JsonArray("SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"),
            ["Resource"] = topicArn,
            ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["AWS:SourceOwner"] = account } },
        };

        /// <summary>The whole policy of a topic we create, for the identity it is made for.</summary>
        public static string ForNewTopic(string topicArn, string account, string identityArn) => new JsonObject
        {
            ["Version"] = "2008-10-17",
            ["Id"] = "__default_policy_ID",
            ["Statement"] = new JsonArray(OwnerStatement(topicArn, account), PublishStatement(topicArn, account, new[] { identityArn })),
        }.Compact();

        /// <summary>
        /// <paramref name="current"/> with <paramref name="identityArn"/> allowed to publish, or null when a statement
        /// (under any Sid) already allows exactly that identity. Our own statement (<see cref="Sid"/>) keeps the
        /// identities it lists and gains this one; every other statement is kept as it is.
        /// </summary>
        public static string? Merge(string? current, string topicArn, string account, string identityArn)
            => Merge(current, topicArn, account, identityArn, out _);

        /// <summary>
        /// <see cref="Merge(string?, string, string, string)"/>, saying whether it narrowed an account-wide statement of ours
        /// (one without AWS:SourceArn, as earlier versions wrote): the identities that published through it lose that right.
        /// </summary>
        public static string? Merge(string? current, string topicArn, string account, string identityArn, out bool narrowedAccountWide)
        {
            narrowedAccountWide = false;
            if (string.IsNullOrWhiteSpace(current)) return ForNewTopic(topicArn, account, identityArn);
            JsonObject policy;
            try
            {
                policy = JsonNode.Parse(current!) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException e)
            {
                // Rewriting a policy we cannot read could drop someone's grants: stop and say so.
                throw new OcdsAwsException(ErrorIds.UnreadableTopicPolicy, $"The policy of {topicArn} is not a JSON policy document ({e.Message}); fix it before re-running.", ErrorCategory.InvalidData);
            }

            var statements = policy["Statement"] switch
            {
                JsonArray a => a.Where(s => s != null).Select(s => s!.Clone()!).ToList(),
                JsonObject o => new List<JsonNode> { o.Clone()! },
                _ => new List<JsonNode>(),
            };
            if (statements.Any(s => AllowsIdentity(s, topicArn, account, identityArn))) return null;

            // Our statement keeps the identities it already lets publish (when it is for this topic and account);
            // one without any SourceArn (written before the condition existed) is narrowed to the identities named.
            var index = statements.FindIndex(s => s is JsonObject o && o.Str("Sid") == Sid);
            var arns = new List<string>();
            if (index >= 0 && GrantsSesPublish(statements[index], topicArn, account))
            {
                arns.AddRange(SourceArns(statements[index]));
                narrowedAccountWide = arns.Count == 0;
            }
            arns.Add(identityArn);
            var wanted = PublishStatement(topicArn, account, arns.Distinct(StringComparer.Ordinal).ToList());
            if (index >= 0) statements[index] = wanted;
            else statements.Add(wanted);
            policy["Statement"] = new JsonArray(statements.ToArray());
            if (policy["Version"] == null) policy["Version"] = "2008-10-17";
            return policy.Compact();
        }

        /// <summary>True when <paramref name="statement"/> lets SES publish to the topic for this account and this identity.</summary>
        internal static bool AllowsIdentity(JsonNode statement, string topicArn, string account, string identityArn)
            => GrantsSesPublish(statement, topicArn, account) && SourceArns(statement).Contains(identityArn, StringComparer.Ordinal);

        /// <summary>An Allow of SNS:Publish on the topic to ses.amazonaws.com with StringEquals AWS:SourceAccount = the account.</summary>
        private static bool GrantsSesPublish(JsonNode statement, string topicArn, string account)
        {
            if (!(statement is JsonObject o) || o.Str("Effect") != "Allow") return false;
            // IAM matches action names without regard to case (sns:publish = SNS:Publish).
            if (!Values(o["Action"]).Any(a => string.Equals(a, "SNS:Publish", StringComparison.OrdinalIgnoreCase))) return false;
            if (!Values(o["Resource"]).Contains(topicArn, StringComparer.Ordinal)) return false;
            if (!Values((o["Principal"] as JsonObject)?["Service"]).Contains("ses.amazonaws.com", StringComparer.Ordinal)) return false;
            var equals = Condition(o, "StringEquals");
            return equals != null && Values(Key(equals, SourceAccountKey)).SequenceEqual(new[] { account });
        }

        /// <summary>The StringEquals AWS:SourceArn values of a statement (none when it has no such condition).</summary>
        private static IReadOnlyList<string> SourceArns(JsonNode statement)
        {
            var equals = statement is JsonObject o ? Condition(o, "StringEquals") : null;
            return equals == null ? Array.Empty<string>() : Values(Key(equals, SourceArnKey)).ToList();
        }

        private static JsonObject? Condition(JsonObject statement, string op) => (statement["Condition"] as JsonObject)?[op] as JsonObject;

        /// <summary>
        /// A condition key's value: "Context key names are not case-sensitive" (IAM User Guide, "IAM JSON policy elements:
        /// Condition", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
        /// </summary>
        private static JsonNode? Key(JsonObject block, string key)
            => block.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

        /// <summary>A policy value that may be one string or a list of strings.</summary>
        private static IEnumerable<string> Values(JsonNode? node) => node switch
        {
            JsonArray a => a.Select(v => v is JsonValue value && value.TryGetValue<string>(out var text) ? text : "").Where(t => t.Length > 0),
            JsonValue v when v.TryGetValue<string>(out var text) => new[] { text },
            _ => Array.Empty<string>(),
        };
    }
}
