using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Aws.Services
{
    /// <summary>An SES v2 email identity as GetEmailIdentity/CreateEmailIdentity describe it.</summary>
    internal sealed class EmailIdentityState
    {
        public string Identity { get; set; } = "";
        public string? IdentityType { get; set; }
        public bool VerifiedForSending { get; set; }
        public string? VerificationStatus { get; set; }
        public string? DkimStatus { get; set; }
        public bool? DkimSigningEnabled { get; set; }
        public IReadOnlyList<string> DkimTokens { get; set; } = new string[0];
        public string? SigningAttributesOrigin { get; set; }

        /// <summary>Where the Easy DKIM CNAMEs must point (DkimAttributes.SigningHostedZone, botocore sesv2 model); null when SES omits it.</summary>
        public string? SigningHostedZone { get; set; }
        public string? NextSigningKeyLength { get; set; }
        public string? MailFromDomain { get; set; }
        public string? MailFromDomainStatus { get; set; }
        public string? BehaviorOnMxFailure { get; set; }

        public static EmailIdentityState From(string identity, JsonNode? body)
        {
            var dkim = body?["DkimAttributes"];
            var mailFrom = body?["MailFromAttributes"];
            return new EmailIdentityState
            {
                Identity = identity,
                IdentityType = body.Str("IdentityType"),
                VerifiedForSending = body.Bool("VerifiedForSendingStatus") ?? false,
                VerificationStatus = body.Str("VerificationStatus"),
                DkimStatus = dkim.Str("Status"),
                DkimSigningEnabled = dkim.Bool("SigningEnabled"),
                DkimTokens = dkim.Strings("Tokens"),
                SigningAttributesOrigin = dkim.Str("SigningAttributesOrigin"),
                SigningHostedZone = dkim.Str("SigningHostedZone"),
                NextSigningKeyLength = dkim.Str("NextSigningKeyLength"),
                MailFromDomain = mailFrom.Str("MailFromDomain"),
                MailFromDomainStatus = mailFrom.Str("MailFromDomainStatus"),
                BehaviorOnMxFailure = mailFrom.Str("BehaviorOnMxFailure"),
            };
        }
    }

    /// <summary>The SES account in one region, as GetAccount describes it.</summary>
    internal sealed class SesAccountState
    {
        public bool ProductionAccessEnabled { get; set; }
        public bool SendingEnabled { get; set; }
        public string? EnforcementStatus { get; set; }
        public bool DedicatedIpAutoWarmupEnabled { get; set; }
        public double? Max24HourSend { get; set; }
        public double? MaxSendRate { get; set; }
        public double? SentLast24Hours { get; set; }
        public IReadOnlyList<string> SuppressedReasons { get; set; } = new string[0];
        public string? MailType { get; set; }
        public string? WebsiteUrl { get; set; }
        public string? ContactLanguage { get; set; }
        public string? UseCaseDescription { get; set; }
        public string? ReviewStatus { get; set; }
        public string? ReviewCaseId { get; set; }

        public static SesAccountState From(JsonNode? body)
        {
            var quota = body?["SendQuota"];
            var details = body?["Details"];
            var review = details?["ReviewDetails"];
            return new SesAccountState
            {
                ProductionAccessEnabled = body.Bool("ProductionAccessEnabled") ?? false,
                SendingEnabled = body.Bool("SendingEnabled") ?? false,
                EnforcementStatus = body.Str("EnforcementStatus"),
                DedicatedIpAutoWarmupEnabled = body.Bool("DedicatedIpAutoWarmupEnabled") ?? false,
                Max24HourSend = quota.Double("Max24HourSend"),
                MaxSendRate = quota.Double("MaxSendRate"),
                SentLast24Hours = quota.Double("SentLast24Hours"),
                SuppressedReasons = body?["SuppressionAttributes"].Strings("SuppressedReasons") ?? new string[0],
                MailType = details.Str("MailType"),
                WebsiteUrl = details.Str("WebsiteURL"),
                ContactLanguage = details.Str("ContactLanguage"),
                UseCaseDescription = details.Str("UseCaseDescription"),
                ReviewStatus = review.Str("Status"),
                ReviewCaseId = review.Str("CaseId"),
            };
        }
    }

    /// <summary>SES API v2 (REST-JSON). Each operation is a request description and a reader.</summary>
    internal sealed class SesV2Api
    {
        private readonly AwsServiceClient _client;

        public SesV2Api(AwsServiceClient client) => _client = client;

        public async Task<EmailIdentityState> CreateEmailIdentityAsync(string identity, string? nextSigningKeyLength,
            string? configurationSetName, IEnumerable<KeyValuePair<string, string>>? tags, CancellationToken ct)
        {
            var body = new JsonObject { ["EmailIdentity"] = identity };
            if (tags != null) body["Tags"] = Json.Tags(tags);
            if (nextSigningKeyLength != null) body["DkimSigningAttributes"] = new JsonObject { ["NextSigningKeyLength"] = nextSigningKeyLength };
            if (configurationSetName != null) body["ConfigurationSetName"] = configurationSetName;
            var response = await _client.RestJsonAsync(new RestJsonRequest("CreateEmailIdentity", "POST", "/v2/email/identities").WithBody(body), ct).ConfigureAwait(false);
            var state = EmailIdentityState.From(identity, response);
            return state;
        }

        public async Task<EmailIdentityState> GetEmailIdentityAsync(string identity, CancellationToken ct)
        {
            var request = new RestJsonRequest("GetEmailIdentity", "GET", "/v2/email/identities/{EmailIdentity}").WithPath("EmailIdentity", identity);
            return EmailIdentityState.From(identity, await _client.RestJsonAsync(request, ct).ConfigureAwait(false));
        }

        /// <summary>The identity, or null when there is none (botocore sesv2 model: GetEmailIdentity throws NotFoundException, HTTP 404).</summary>
        public async Task<EmailIdentityState?> FindEmailIdentityAsync(string identity, CancellationToken ct)
        {
            try
            {
                return await GetEmailIdentityAsync(identity, ct).ConfigureAwait(false);
            }
            catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "NotFoundException")
            {
                return null;
            }
        }

        /// <summary>Every identity in the region: (name, type) pairs (follows NextToken).</summary>
        public async Task<IReadOnlyList<(string Name, string? Type)>> ListEmailIdentitiesAsync(CancellationToken ct)
        {
            var identities = new List<(string, string?)>();
            string? next = null;
            do
            {
                var response = await _client.RestJsonAsync(new RestJsonRequest("ListEmailIdentities", "GET", "/v2/email/identities")
                    .WithQuery("NextToken", next).WithQuery("PageSize", "1000"), ct).ConfigureAwait(false);
                identities.AddRange(response.Items("EmailIdentities").Select(i => (i.Str("IdentityName") ?? "", i.Str("IdentityType"))));
                next = response.Str("NextToken");
            }
            while (!string.IsNullOrEmpty(next));
            return identities;
        }

        public Task PutEmailIdentityMailFromAttributesAsync(string identity, string? mailFromDomain, string? behaviorOnMxFailure, CancellationToken ct)
        {
            var body = new JsonObject();
            if (mailFromDomain != null) body["MailFromDomain"] = mailFromDomain;
            if (behaviorOnMxFailure != null) body["BehaviorOnMxFailure"] = behaviorOnMxFailure;
            return _client.RestJsonAsync(new RestJsonRequest("PutEmailIdentityMailFromAttributes", "PUT", "/v2/email/identities/{EmailIdentity}/mail-from")
                .WithPath("EmailIdentity", identity).WithBody(body), ct);
        }

        public async Task<SesAccountState> GetAccountAsync(CancellationToken ct)
            => SesAccountState.From(await _client.RestJsonAsync(new RestJsonRequest("GetAccount", "GET", "/v2/email/account"), ct).ConfigureAwait(false));

        public Task PutAccountDetailsAsync(string mailType, string websiteUrl, string useCaseDescription, IEnumerable<string>? additionalContacts,
            string? contactLanguage, bool productionAccessEnabled, CancellationToken ct)
        {
            var body = new JsonObject
            {
                ["MailType"] = mailType,
                ["WebsiteURL"] = websiteUrl,
                ["UseCaseDescription"] = useCaseDescription,
                ["ProductionAccessEnabled"] = productionAccessEnabled,
            };
            if (contactLanguage != null) body["ContactLanguage"] = contactLanguage;
            if (additionalContacts != null) body["AdditionalContactEmailAddresses"] = new JsonArray(additionalContacts.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
            return _client.RestJsonAsync(new RestJsonRequest("PutAccountDetails", "POST", "/v2/email/account/details").WithBody(body), ct);
        }

        /// <summary>Sets the account-level suppression list's reasons (BOUNCE, COMPLAINT); an empty list turns it off.</summary>
        public Task PutAccountSuppressionAttributesAsync(IEnumerable<string> suppressedReasons, CancellationToken ct)
            => _client.RestJsonAsync(new RestJsonRequest("PutAccountSuppressionAttributes", "PUT", "/v2/email/account/suppression")
                .WithBody(new JsonObject { ["SuppressedReasons"] = new JsonArray(suppressedReasons.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()) }), ct);

        /// <summary>Sends a simple text message (SendEmail) and returns SES's message id.</summary>
        public async Task<string> SendEmailAsync(string from, IReadOnlyList<string> to, string subject, string body, string? configurationSetName, CancellationToken ct)
        {
            var payload = new JsonObject
            {
                ["FromEmailAddress"] = from,
                ["Destination"] = new JsonObject { ["ToAddresses"] = new JsonArray(to.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()) },
                ["Content"] = new JsonObject
                {
                    ["Simple"] = new JsonObject
                    {
                        ["Subject"] = new JsonObject { ["Data"] = subject },
                        ["Body"] = new JsonObject { ["Text"] = new JsonObject { ["Data"] = body } },
                    },
                },
            };
            if (configurationSetName != null) payload["ConfigurationSetName"] = configurationSetName;
            var response = await _client.RestJsonAsync(new RestJsonRequest("SendEmail", "POST", "/v2/email/outbound-emails").WithBody(payload), ct).ConfigureAwait(false);
            return response.Str("MessageId") ?? throw new AwsProtocolException(ErrorIds.NoMessageId, "SES accepted the message but returned no MessageId.", AwsFailureKind.IncompleteAnswer);
        }
    }
}
