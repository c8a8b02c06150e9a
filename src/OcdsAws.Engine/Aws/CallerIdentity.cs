using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace OcdsAws.Aws
{
    /// <summary>Who the credentials belong to (STS GetCallerIdentity).</summary>
    internal sealed class CallerIdentity
    {
        public CallerIdentity(string account, string arn, string userId)
        {
            Account = account;
            Arn = arn;
            UserId = userId;
        }

        public string Account { get; }
        public string Arn { get; }
        public string UserId { get; }

        /// <summary>The partition from the caller's ARN (aws, aws-cn, aws-us-gov).</summary>
        public string Partition => Arn.Split(':') is string[] parts && parts.Length > 1 && parts[1].Length > 0 ? parts[1] : "aws";
    }

    /// <summary>
    /// The caller identities one PowerShell session has already asked STS about. An access key belongs to one
    /// account for good, so the second cmdlet that needs the account id (capture bucket, topic policy) does not
    /// ask again. Keyed by access key id and endpoint (or region); Get-OcdsAwsContext always asks and refreshes the entry.
    /// </summary>
    internal sealed class CallerIdentityCache
    {
        private readonly ConcurrentDictionary<string, CallerIdentity> _known = new ConcurrentDictionary<string, CallerIdentity>(StringComparer.Ordinal);

        public async Task<CallerIdentity> GetAsync(AwsSession session, AmazonSecurityTokenServiceClient sts, bool refresh, CancellationToken ct)
        {
            var key = (await session.Credentials.GetCredentialsAsync().ConfigureAwait(false)).AccessKey + "|" + (session.EndpointUrl?.ToString() ?? session.Region.SystemName);
            if (!refresh && _known.TryGetValue(key, out var known)) return known;
            var answer = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct).ConfigureAwait(false);
            return _known[key] = new CallerIdentity(answer.Account, answer.Arn, answer.UserId);
        }
    }
}
