using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;

namespace OcdsAws.Notifications
{
    /// <summary>The runbook's "Set up notifications": an SNS topic SES may publish to, and an identity's notifications pointed at it.</summary>
    internal sealed class SesNotificationService
    {
        private const string EmailProtocol = "email";

        private readonly SnsApi _sns;
        private readonly SesClassicApi _ses;
        private readonly AwsClientFactory _clients;
        private readonly IOperationReporter _reporter;
        private readonly string _region;

        public SesNotificationService(AwsClientFactory clients, IOperationReporter reporter)
        {
            _sns = new SnsApi(clients.Get(AwsService.Sns));
            _ses = new SesClassicApi(clients.Get(AwsService.Ses));
            _clients = clients;
            _reporter = reporter;
            _region = clients.Session.Region.SystemName;
        }

        public string Region => _region;

        /// <summary>
        /// Makes sure the topic exists with the SES statement in its policy and the addresses subscribed.
        /// Reads first and changes only what is missing, so a re-run makes no change.
        /// </summary>
        public async Task<SesNotificationTopic> NewTopicAsync(string identity, string topicName, IReadOnlyList<string> subscribeEmail, CancellationToken ct)
        {
            // The account goes into the policy's AWS:SourceAccount condition; the partition into the ARN.
            var caller = await _clients.CallerAsync(ct).ConfigureAwait(false);
            var account = caller.Account;
            var partition = caller.Partition;
            var topicArn = $"arn:{partition}:sns:{_region}:{account}:{topicName}";
            var identityArn = SesTopicPolicy.IdentityArn(partition, _region, account, identity);

            // GetTopicAttributes rather than CreateTopic to find out: CreateTopic of an existing topic is a
            // write (and fails when its attributes differ), which a re-run should not make.
            var attributes = await TryGetTopicAttributesAsync(topicArn, ct).ConfigureAwait(false);
            List<SesNotificationSubscription> subscriptions;
            if (attributes == null)
            {
                // The policy goes in with CreateTopic: the topic never exists without SES's permission.
                topicArn = await _sns.CreateTopicAsync(topicName,
                    new[] { new KeyValuePair<string, string>("Policy", SesTopicPolicy.ForNewTopic(topicArn, account, identityArn)) }, ct).ConfigureAwait(false);
                _reporter.Verbose($"Created SNS topic {topicArn} with a policy that lets ses.amazonaws.com publish for {identityArn} only.");
                subscriptions = new List<SesNotificationSubscription>();
            }
            else
            {
                await AllowIdentityAsync(topicArn, attributes, account, identityArn, ct).ConfigureAwait(false);
                subscriptions = (await _sns.ListSubscriptionsByTopicAsync(topicArn, ct).ConfigureAwait(false))
                    .Select(SesNotificationSubscription.From).ToList();
            }

            foreach (var address in subscribeEmail)
            {
                if (subscriptions.Any(s => s.Protocol == EmailProtocol && string.Equals(s.Endpoint, address, StringComparison.OrdinalIgnoreCase)))
                {
                    _reporter.Verbose($"{address} is already subscribed to {topicName}: not subscribing again (SNS would send another confirmation mail).");
                    continue;
                }
                var subscriptionArn = await _sns.SubscribeAsync(topicArn, EmailProtocol, address, ct).ConfigureAwait(false);
                // An email subscription always starts pending: SNS mails a link that the recipient must click.
                subscriptions.Add(new SesNotificationSubscription(EmailProtocol, address, subscriptionArn.StartsWith("arn:", StringComparison.Ordinal) ? subscriptionArn : null,
                    SubscriptionStatus.PendingConfirmation));
                _reporter.Warning($"Subscribed {address} to {topicName}: SNS sent a confirmation mail, and nothing is delivered until its link is clicked.");
            }

            return new SesNotificationTopic
            {
                TopicArn = topicArn,
                TopicName = topicName,
                Identity = identity,
                Region = _region,
                Subscriptions = subscriptions,
            };
        }

        /// <summary>
        /// Adds <paramref name="identityArn"/> to the topic policy's SES statement unless a statement already lets SES
        /// publish for it; the policy's other statements and the identities already listed are kept.
        /// </summary>
        private async Task AllowIdentityAsync(string topicArn, Dictionary<string, string> attributes, string account, string identityArn, CancellationToken ct)
        {
            attributes.TryGetValue("Policy", out var current);
            var merged = SesTopicPolicy.Merge(current, topicArn, account, identityArn, out var narrowed);
            if (merged == null)
            {
                _reporter.Verbose($"The policy of {topicArn} already lets SES publish for {identityArn}: nothing to change.");
                return;
            }
            await _sns.SetTopicAttributesAsync(topicArn, "Policy", merged, ct).ConfigureAwait(false);
            if (narrowed)
                _reporter.Warning($"The SES statement of {topicArn}'s policy let SES publish for every identity of account {account} (an earlier "
                    + $"OcdsAws wrote it so); it now names {identityArn} only. Run Set-SesIdentityNotification for each other identity that sends "
                    + "its notifications to this topic, or SES can no longer publish them.");
            _reporter.Verbose($"The SES statement of {topicArn}'s policy now lets SES publish for {identityArn} too; the policy's other statements and identities are kept.");
        }

        /// <summary>
        /// Points each notification type of the identity at the topic and sets whether it carries the
        /// original headers, skipping what already is so; returns the state SES holds afterwards (what it reported,
        /// with the changes it accepted: reading it back would be a call nobody needs).
        /// </summary>
        public async Task<SesIdentityNotification> SetAsync(string identity, string topicArn, IReadOnlyList<string> notificationTypes, bool includeHeaders, CancellationToken ct)
        {
            var state = await ReadAsync(identity, ct).ConfigureAwait(false)
                ?? throw new OcdsAwsException(ErrorIds.IdentityNotFound,
                    $"SES has no identity '{identity}' in {_region}. Verify it first (New-SesDomainVerification, New-SesEmailVerification), or give -Region.",
                    ErrorCategory.ObjectNotFound);

            // SES publishes for the identity only if the topic policy's AWS:SourceArn lists it (SesTopicPolicy): the
            // identity is added first, so the identity never points at a topic SES may not publish to.
            await AllowIdentityOnTopicAsync(identity, topicArn, ct).ConfigureAwait(false);

            var changed = false;
            foreach (var type in notificationTypes)
            {
                // The topic first: SES offers headers only for a type that has a topic.
                if (state.TopicFor(type) == topicArn)
                {
                    _reporter.Verbose($"{identity}: {type} notifications already go to {topicArn}.");
                }
                else
                {
                    await _ses.SetIdentityNotificationTopicAsync(identity, type, topicArn, ct).ConfigureAwait(false);
                    state.SetTopic(type, topicArn);
                    changed = true;
                }

                if (state.HeadersFor(type) == includeHeaders)
                {
                    _reporter.Verbose($"{identity}: original headers in {type} notifications already {(includeHeaders ? "on" : "off")}.");
                }
                else
                {
                    await _ses.SetIdentityHeadersInNotificationsEnabledAsync(identity, type, includeHeaders, ct).ConfigureAwait(false);
                    state.SetHeaders(type, includeHeaders);
                    changed = true;
                }
            }

            if (!changed) _reporter.Verbose($"{identity}: notifications already set as asked: nothing to change.");
            return new SesIdentityNotification(_region, state);
        }

        private async Task AllowIdentityOnTopicAsync(string identity, string topicArn, CancellationToken ct)
        {
            var caller = await _clients.CallerAsync(ct).ConfigureAwait(false);
            var topicAccount = topicArn.Split(':')[4];
            var identityArn = SesTopicPolicy.IdentityArn(caller.Partition, _region, caller.Account, identity);
            if (topicAccount != caller.Account)
            {
                // Another account's topic: only its owner can write its policy.
                _reporter.Warning($"{topicArn} belongs to account {topicAccount}: its owner must let ses.amazonaws.com publish for {identityArn} (AWS:SourceArn) in the topic policy.");
                return;
            }
            var attributes = await TryGetTopicAttributesAsync(topicArn, ct).ConfigureAwait(false)
                ?? throw new OcdsAwsException(ErrorIds.TopicNotFound, $"There is no SNS topic {topicArn}. Create it first with New-SesNotificationTopic {identity}.", ErrorCategory.ObjectNotFound);
            await AllowIdentityAsync(topicArn, attributes, caller.Account, identityArn, ct).ConfigureAwait(false);
        }

        private async Task<IdentityNotificationState?> ReadAsync(string identity, CancellationToken ct)
        {
            var map = await _ses.GetIdentityNotificationAttributesAsync(new[] { identity }, ct).ConfigureAwait(false);
            // SES answers with the identity as asked; compare loosely in case it normalised a domain's case.
            return map.TryGetValue(identity, out var state) ? state
                : map.FirstOrDefault(e => string.Equals(e.Key, identity, StringComparison.OrdinalIgnoreCase)).Value;
        }

        private async Task<Dictionary<string, string>?> TryGetTopicAttributesAsync(string topicArn, CancellationToken ct)
            => (await _sns.FindTopicAttributesAsync(topicArn, ct).ConfigureAwait(false))?.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }
}
