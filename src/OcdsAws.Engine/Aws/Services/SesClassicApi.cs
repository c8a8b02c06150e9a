using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Aws.Services
{
    /// <summary>SES classic (Query): receipt rules and identity notifications exist only in this API.</summary>
    internal sealed class SesClassicApi
    {
        private readonly AwsServiceClient _client;

        public SesClassicApi(AwsServiceClient client) => _client = client;

        public Task VerifyEmailIdentityAsync(string emailAddress, CancellationToken ct)
            => _client.QueryAsync("VerifyEmailIdentity", new QueryParameters().Add("EmailAddress", emailAddress), ct);

        /// <summary>Identity → verification status (Pending, Success, Failed, TemporaryFailure, NotStarted).</summary>
        public async Task<IReadOnlyDictionary<string, string>> GetIdentityVerificationAttributesAsync(IEnumerable<string> identities, CancellationToken ct)
        {
            var result = await _client.QueryAsync("GetIdentityVerificationAttributes", new QueryParameters().AddList("Identities.member", identities), ct).ConfigureAwait(false);
            return result.Map("VerificationAttributes").ToDictionary(e => e.Key, e => e.Value.Text("VerificationStatus") ?? "");
        }

        // Identity notifications (SetIdentityNotificationTopic, SetIdentityHeadersInNotificationsEnabled and
        // GetIdentityNotificationAttributes exist only in this API, not in SES v2).

        /// <summary>Sets (or, with a null topic, clears) the SNS topic of one notification type: Bounce, Complaint or Delivery.</summary>
        public Task SetIdentityNotificationTopicAsync(string identity, string notificationType, string? snsTopic, CancellationToken ct)
            => _client.QueryAsync("SetIdentityNotificationTopic", new QueryParameters().Add("Identity", identity)
                .Add("NotificationType", notificationType).Add("SnsTopic", snsTopic), ct);

        /// <summary>Whether SES puts the original mail headers into one type of notification.</summary>
        public Task SetIdentityHeadersInNotificationsEnabledAsync(string identity, string notificationType, bool enabled, CancellationToken ct)
            => _client.QueryAsync("SetIdentityHeadersInNotificationsEnabled", new QueryParameters().Add("Identity", identity)
                .Add("NotificationType", notificationType).Add("Enabled", enabled), ct);

        /// <summary>Identity → its topics, header flags and feedback forwarding; identities SES does not know are absent.</summary>
        public async Task<IReadOnlyDictionary<string, IdentityNotificationState>> GetIdentityNotificationAttributesAsync(IEnumerable<string> identities, CancellationToken ct)
        {
            var result = await _client.QueryAsync("GetIdentityNotificationAttributes", new QueryParameters().AddList("Identities.member", identities), ct).ConfigureAwait(false);
            return result.Map("NotificationAttributes").ToDictionary(e => e.Key, e => IdentityNotificationState.From(e.Key, e.Value));
        }
    }
}
