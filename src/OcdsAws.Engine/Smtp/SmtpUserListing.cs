using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;

namespace OcdsAws.Smtp
{
    /// <summary>
    /// One access key of an SMTP user, as Get-SesSmtpCredential lists it: who, which key (the SMTP user name), its status
    /// and age. Never a secret: IAM returns a key's secret only when the key is created.
    /// </summary>
    public sealed class SmtpUserKey
    {
        internal SmtpUserKey(string userName, string userArn, IamAccessKey? key, DateTimeOffset now)
        {
            UserName = userName;
            UserArn = userArn;
            AccessKeyId = key?.AccessKeyId;
            Status = key?.Status ?? "NoKey";
            KeyCreated = key?.CreateDate;
            AgeDays = key?.CreateDate is DateTime created ? (int)Math.Floor((now.UtcDateTime - created.ToUniversalTime()).TotalDays) : (int?)null;
        }

        /// <summary>The IAM user.</summary>
        public string UserName { get; }

        /// <summary>The SMTP user name: the access key id (null when the user has no key).</summary>
        public string? SmtpUserName => AccessKeyId;

        /// <summary>The access key id (null when the user has no key).</summary>
        public string? AccessKeyId { get; }

        /// <summary>Active or Inactive (IAM's StatusType), or NoKey for a user without any access key.</summary>
        public string Status { get; }

        /// <summary>When the key was created (UTC).</summary>
        public DateTime? KeyCreated { get; }

        /// <summary>Whole days since the key was created: what a rotation policy looks at.</summary>
        public int? AgeDays { get; }

        /// <summary>The IAM user's ARN.</summary>
        public string UserArn { get; }

        /// <inheritdoc />
        public override string ToString() => $"{UserName} {AccessKeyId ?? "(no key)"} {Status}";
    }

    /// <summary>
    /// Finds the SMTP users: IAM users that carry the inline policy New-SesSmtpCredential writes
    /// (<see cref="SmtpCredentialService.PolicyName"/>). That policy is how they are recognised: nothing else marks them (a
    /// user made by this module before carries no tag of ours). Users given the permission in another way (a group, a
    /// managed policy) are not listed. Not confirmed here: whether the SES console's SMTP wizard names its inline policy the
    /// same (AWS's guide says only that it needs iam:PutUserPolicy: https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html).
    /// </summary>
    internal sealed class SmtpUserListing
    {
        private readonly IamApi _iam;
        private readonly IClock _clock;

        public SmtpUserListing(AwsClientFactory clients, IClock? clock = null)
        {
            _iam = new IamApi(clients.Get(AwsService.Iam));
            _clock = clock ?? SystemClock.Instance;
        }

        /// <summary>Every SMTP user's keys (a row per key; a user without keys gets one NoKey row), by user name and key age.</summary>
        public async Task<IReadOnlyList<SmtpUserKey>> ListAsync(IReadOnlyCollection<string>? userNames, CancellationToken ct)
        {
            var users = (await _iam.ListUsersWithInlinePoliciesAsync(ct).ConfigureAwait(false))
                .Where(u => u.InlinePolicyNames.Contains(SmtpCredentialService.PolicyName))
                .Where(u => userNames == null || userNames.Contains(u.UserName))
                .OrderBy(u => u.UserName, StringComparer.Ordinal)
                .ToList();
            var now = _clock.UtcNow;
            var rows = new List<SmtpUserKey>();
            foreach (var user in users)
            {
                var keys = await _iam.ListAccessKeysAsync(user.UserName, ct).ConfigureAwait(false);
                if (keys.Count == 0) rows.Add(new SmtpUserKey(user.UserName, user.Arn, null, now));
                rows.AddRange(keys.OrderBy(k => k.CreateDate).Select(k => new SmtpUserKey(user.UserName, user.Arn, k, now)));
            }
            return rows;
        }
    }
}
