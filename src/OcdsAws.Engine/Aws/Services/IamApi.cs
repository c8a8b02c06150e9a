using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace OcdsAws.Aws.Services
{
    /// <summary>An IAM user.</summary>
    internal sealed class IamUser
    {
        public string UserName { get; set; } = "";
        public string UserId { get; set; } = "";
        public string Arn { get; set; } = "";

        public static IamUser From(XElement? user) => new IamUser
        {
            UserName = user?.Text("UserName") ?? "",
            UserId = user?.Text("UserId") ?? "",
            Arn = user?.Text("Arn") ?? "",
        };
    }

    /// <summary>An access key as ListAccessKeys describes it (never with its secret).</summary>
    internal sealed class IamAccessKey
    {
        public string AccessKeyId { get; set; } = "";
        public string Status { get; set; } = "";
        public DateTime? CreateDate { get; set; }

        public static IamAccessKey From(XElement key) => new IamAccessKey
        {
            AccessKeyId = key.Text("AccessKeyId") ?? "",
            Status = key.Text("Status") ?? "",
            CreateDate = key.Time("CreateDate"),
        };
    }

    /// <summary>
    /// A new access key with its secret, which AWS returns only this once. Callers register the
    /// secret with the message scrubber before anything else happens.
    /// </summary>
    internal sealed class IamNewAccessKey
    {
        public string UserName { get; set; } = "";
        public string AccessKeyId { get; set; } = "";
        public string SecretAccessKey { get; set; } = "";
        public string Status { get; set; } = "";

        /// <summary>Never the secret: this text may end up in a log.</summary>
        public override string ToString() => $"{UserName} {AccessKeyId} ({Status})";
    }

    /// <summary>IAM (Query, global endpoint).</summary>
    internal sealed class IamApi
    {
        private readonly AwsServiceClient _client;

        public IamApi(AwsServiceClient client) => _client = client;

        /// <summary>The named user, or the caller when <paramref name="userName"/> is null.</summary>
        public async Task<IamUser> GetUserAsync(string? userName, CancellationToken ct)
            => IamUser.From((await _client.QueryAsync("GetUser", new QueryParameters().Add("UserName", userName), ct).ConfigureAwait(false)).Element("User"));

        /// <summary>The named user, or null when there is none (botocore iam model: NoSuchEntityException, code NoSuchEntity).</summary>
        public async Task<IamUser?> FindUserAsync(string userName, CancellationToken ct)
        {
            try
            {
                return await GetUserAsync(userName, ct).ConfigureAwait(false);
            }
            catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "NoSuchEntity")
            {
                return null;
            }
        }

        /// <summary>The inline policy's document, or null when the user has no policy of that name (NoSuchEntity).</summary>
        public async Task<string?> FindUserPolicyAsync(string userName, string policyName, CancellationToken ct)
        {
            try
            {
                return await GetUserPolicyAsync(userName, policyName, ct).ConfigureAwait(false);
            }
            catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "NoSuchEntity")
            {
                return null;
            }
        }

        public async Task<IamUser> CreateUserAsync(string userName, IEnumerable<KeyValuePair<string, string>>? tags, CancellationToken ct)
            => IamUser.From((await _client.QueryAsync("CreateUser", new QueryParameters()
                .Add("UserName", userName)
                .AddList("Tags.member", tags?.ToList(), (q, p, t) => q.Add(p + ".Key", t.Key).Add(p + ".Value", t.Value)), ct).ConfigureAwait(false)).Element("User"));

        public Task PutUserPolicyAsync(string userName, string policyName, string policyDocument, CancellationToken ct)
            => _client.QueryAsync("PutUserPolicy", new QueryParameters().Add("UserName", userName).Add("PolicyName", policyName).Add("PolicyDocument", policyDocument), ct);

        /// <summary>
        /// The inline policy's document as JSON text. IAM returns it URL-encoded (RFC 3986), so it is
        /// decoded here the way botocore does it (percent escapes only: a '+' stays a '+').
        /// </summary>
        public async Task<string> GetUserPolicyAsync(string userName, string policyName, CancellationToken ct)
        {
            var result = await _client.QueryAsync("GetUserPolicy", new QueryParameters().Add("UserName", userName).Add("PolicyName", policyName), ct).ConfigureAwait(false);
            return Uri.UnescapeDataString(result.Text("PolicyDocument") ?? "");
        }

        /// <summary>The user's access keys. IAM allows two per user, so the first page holds them all.</summary>
        public async Task<IReadOnlyList<IamAccessKey>> ListAccessKeysAsync(string userName, CancellationToken ct)
            => (await _client.QueryAsync("ListAccessKeys", new QueryParameters().Add("UserName", userName), ct).ConfigureAwait(false))
                .List("AccessKeyMetadata").Select(IamAccessKey.From).ToList();

        public Task DeleteAccessKeyAsync(string userName, string accessKeyId, CancellationToken ct)
            => _client.QueryAsync("DeleteAccessKey", new QueryParameters().Add("UserName", userName).Add("AccessKeyId", accessKeyId), ct);

        /// <summary>Creates an access key; the result holds the secret, which must never be logged.</summary>
        public async Task<IamNewAccessKey> CreateAccessKeyAsync(string userName, CancellationToken ct)
        {
            var key = (await _client.QueryAsync("CreateAccessKey", new QueryParameters().Add("UserName", userName), ct).ConfigureAwait(false)).Element("AccessKey");
            return new IamNewAccessKey
            {
                UserName = key?.Text("UserName") ?? "",
                AccessKeyId = key?.Text("AccessKeyId") ?? "",
                SecretAccessKey = key?.Text("SecretAccessKey") ?? "",
                Status = key?.Text("Status") ?? "",
            };
        }
    }
}
