using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Aws.Services
{
    /// <summary>One subscription as ListSubscriptionsByTopic lists it.</summary>
    internal sealed class SnsSubscription
    {
        /// <summary>The ARN, or <c>PendingConfirmation</c> while an email subscription waits for its link to be clicked.</summary>
        public string SubscriptionArn { get; set; } = "";
        public string? Owner { get; set; }
        public string Protocol { get; set; } = "";
        public string Endpoint { get; set; } = "";
        public string? TopicArn { get; set; }
    }

    /// <summary>SNS (Query).</summary>
    internal sealed class SnsApi
    {
        private readonly AwsServiceClient _client;

        public SnsApi(AwsServiceClient client) => _client = client;

        /// <summary>Creates a topic, or returns the ARN of the existing one with the same name and attributes (SNS is idempotent here).</summary>
        public async Task<string> CreateTopicAsync(string name, IEnumerable<KeyValuePair<string, string>>? attributes, CancellationToken ct)
        {
            var result = await _client.QueryAsync("CreateTopic", new QueryParameters().Add("Name", name).AddMap("Attributes.entry", attributes), ct).ConfigureAwait(false);
            return result.Text("TopicArn") ?? "";
        }

        /// <summary>All topic ARNs (follows NextToken).</summary>
        public async Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken ct)
        {
            var arns = new List<string>();
            string? next = null;
            do
            {
                var result = await _client.QueryAsync("ListTopics", new QueryParameters().Add("NextToken", next), ct).ConfigureAwait(false);
                arns.AddRange(result.List("Topics").Select(t => t.Text("TopicArn")).Where(a => a != null).Select(a => a!));
                next = result.Text("NextToken");
            }
            while (!string.IsNullOrEmpty(next));
            return arns;
        }

        /// <summary>The topic's attributes (Policy, Owner, SubscriptionsPending…); SNS answers NotFound for a missing topic.</summary>
        public async Task<IReadOnlyDictionary<string, string>> GetTopicAttributesAsync(string topicArn, CancellationToken ct)
        {
            var result = await _client.QueryAsync("GetTopicAttributes", new QueryParameters().Add("TopicArn", topicArn), ct).ConfigureAwait(false);
            return result.Map("Attributes").ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal);
        }

        /// <summary>The topic's attributes, or null when there is no such topic (botocore sns model: NotFoundException, code NotFound, HTTP 404).</summary>
        public async Task<IReadOnlyDictionary<string, string>?> FindTopicAttributesAsync(string topicArn, CancellationToken ct)
        {
            try
            {
                return await GetTopicAttributesAsync(topicArn, ct).ConfigureAwait(false);
            }
            catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "NotFound" || e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        public Task SetTopicAttributesAsync(string topicArn, string attributeName, string? attributeValue, CancellationToken ct)
            => _client.QueryAsync("SetTopicAttributes", new QueryParameters().Add("TopicArn", topicArn).Add("AttributeName", attributeName).Add("AttributeValue", attributeValue), ct);

        /// <summary>
        /// Subscribes an endpoint. ReturnSubscriptionArn makes SNS return the real ARN even while an email
        /// subscription is pending, instead of the bare text "pending confirmation".
        /// </summary>
        public async Task<string> SubscribeAsync(string topicArn, string protocol, string endpoint, CancellationToken ct)
        {
            var result = await _client.QueryAsync("Subscribe", new QueryParameters().Add("TopicArn", topicArn).Add("Protocol", protocol)
                .Add("Endpoint", endpoint).Add("ReturnSubscriptionArn", true), ct).ConfigureAwait(false);
            return result.Text("SubscriptionArn") ?? "";
        }

        /// <summary>Every subscription of a topic, pending ones included (follows NextToken).</summary>
        public async Task<IReadOnlyList<SnsSubscription>> ListSubscriptionsByTopicAsync(string topicArn, CancellationToken ct)
        {
            var subscriptions = new List<SnsSubscription>();
            string? next = null;
            do
            {
                var result = await _client.QueryAsync("ListSubscriptionsByTopic", new QueryParameters().Add("TopicArn", topicArn).Add("NextToken", next), ct).ConfigureAwait(false);
                subscriptions.AddRange(result.List("Subscriptions").Select(s => new SnsSubscription
                {
                    SubscriptionArn = s.Text("SubscriptionArn") ?? "",
                    Owner = s.Text("Owner"),
                    Protocol = s.Text("Protocol") ?? "",
                    Endpoint = s.Text("Endpoint") ?? "",
                    TopicArn = s.Text("TopicArn"),
                }));
                next = result.Text("NextToken");
            }
            while (!string.IsNullOrEmpty(next));
            return subscriptions;
        }
    }
}
