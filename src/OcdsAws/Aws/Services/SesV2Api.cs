using System.Collections.Generic;
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
                NextSigningKeyLength = dkim.Str("NextSigningKeyLength"),
                MailFromDomain = mailFrom.Str("MailFromDomain"),
                MailFromDomainStatus = mailFrom.Str("MailFromDomainStatus"),
                BehaviorOnMxFailure = mailFrom.Str("BehaviorOnMxFailure"),
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
    }
}
