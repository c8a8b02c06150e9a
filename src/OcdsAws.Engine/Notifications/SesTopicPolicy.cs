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
    /// AWS:SourceAccount so that SES cannot be used by another account to publish here (confused deputy).
    /// </summary>
    internal static class SesTopicPolicy
    {
        public const string Sid = "AllowSESPublish";

        /// <summary>The SES statement for <paramref name="topicArn"/> in <paramref name="account"/>.</summary>
        public static JsonObject PublishStatement(string topicArn, string account) => new JsonObject
        {
            ["Sid"] = Sid,
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "ses.amazonaws.com" },
            ["Action"] = "SNS:Publish",
            ["Resource"] = topicArn,
            ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["AWS:SourceAccount"] = account } },
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

        /// <summary>The whole policy of a topic we create.</summary>
        public static string ForNewTopic(string topicArn, string account) => new JsonObject
        {
            ["Version"] = "2008-10-17",
            ["Id"] = "__default_policy_ID",
            ["Statement"] = new JsonArray(OwnerStatement(topicArn, account), PublishStatement(topicArn, account)),
        }.Compact();

        /// <summary>
        /// <paramref name="current"/> with the SES statement added or corrected, or null when it already
        /// grants exactly that (under any Sid). Every other statement is kept as it is.
        /// </summary>
        public static string? Merge(string? current, string topicArn, string account)
        {
            if (string.IsNullOrWhiteSpace(current)) return ForNewTopic(topicArn, account);
            JsonObject policy;
            try
            {
                policy = JsonNode.Parse(current!) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException e)
            {
                // Rewriting a policy we cannot read could drop someone's grants: stop and say so.
                throw new OcdsAwsException("UnreadableTopicPolicy", $"The policy of {topicArn} is not a JSON policy document ({e.Message}); fix it before re-running.", ErrorCategory.InvalidData);
            }

            var wanted = PublishStatement(topicArn, account);
            var statements = policy["Statement"] switch
            {
                JsonArray a => a.Where(s => s != null).Select(s => s!.Clone()!).ToList(),
                JsonObject o => new List<JsonNode> { o.Clone()! },
                _ => new List<JsonNode>(),
            };
            if (statements.Any(s => SameGrant(s, wanted))) return null;

            statements.RemoveAll(s => s is JsonObject o && o.Str("Sid") == Sid);
            statements.Add(wanted);
            policy["Statement"] = new JsonArray(statements.ToArray());
            if (policy["Version"] == null) policy["Version"] = "2008-10-17";
            return policy.Compact();
        }

        /// <summary>True when <paramref name="statement"/> grants what <paramref name="wanted"/> does, whatever its Sid or spelling.</summary>
        internal static bool SameGrant(JsonNode statement, JsonObject wanted)
        {
            if (!(statement.Clone() is JsonObject copy)) return false;
            copy.Remove("Sid");
            var target = (JsonObject)wanted.Clone()!;
            target.Remove("Sid");
            return Canonical(copy) == Canonical(target);
        }

        /// <summary>
        /// Sorted keys, a one-item list as its item, and case-insensitive action names (IAM matches them so):
        /// the same grant compares equal however it is written.
        /// </summary>
        private static string Canonical(JsonNode? node, string? key = null)
        {
            switch (node)
            {
                case null:
                    return "null";
                case JsonObject o:
                    return "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Canonical(p.Value, p.Key))) + "}";
                case JsonArray a when a.Count == 1:
                    return Canonical(a[0], key);
                case JsonArray a:
                    return "[" + string.Join(",", a.Select(i => Canonical(i, key)).OrderBy(s => s, StringComparer.Ordinal)) + "]";
                default:
                    var text = node.ToJsonString();
                    return key == "Action" ? text.ToLowerInvariant() : text;
            }
        }
    }
}
