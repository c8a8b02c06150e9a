using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MimeKit;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>
    /// The runbook's capture of the verification mail when the domain has no MX: a bucket only SES may
    /// write to, a receipt rule for exactly the address, our rule set active (remembering the one it
    /// replaced), then reading the link out of the mail, and cleaning all of it up.
    /// </summary>
    internal sealed class ReceiptCaptureService
    {
        public const string RuleSetName = "ocdsaws-capture";
        public const string ObjectPrefix = "mail/";
        public const int WaitActivityId = 4202;

        /// <summary>Bucket tag that remembers the rule set to re-activate on removal ("-" for none).</summary>
        private const string PreviousTag = "ocdsaws:previous-active-rule-set";
        private const string AddressTag = "ocdsaws:captured-address";
        private const string PolicyTag = "ocdsaws:policy";
        private static readonly Regex LinkPattern = new Regex(@"https://email-verification\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/\?[^\s""'<>]+", RegexOptions.Compiled | RegexOptions.IgnoreCase);

        private readonly AwsClientFactory _clients;
        private readonly SesReceiptApi _receipt;
        private readonly IOperationReporter _reporter;
        private readonly string _region;

        public ReceiptCaptureService(AwsClientFactory clients, IOperationReporter reporter)
        {
            _clients = clients;
            _receipt = new SesReceiptApi(clients.Get(AwsService.Ses));
            _reporter = reporter;
            _region = clients.Session.Region.SystemName;
        }

        /// <summary>The rule name for an address: SES allows letters, digits, '.', '_' and '-' (64 at most).</summary>
        public static string RuleNameFor(string address)
        {
            var safe = Regex.Replace(address.ToLowerInvariant(), "[^a-z0-9._-]", "-");
            var name = "capture-" + safe;
            return name.Length <= 64 ? name : name.Substring(0, 55) + "-" + Hash(address).Substring(0, 8);
        }

        private static string DefaultBucketName(string account, string region, string address)
            => $"ocdsaws-capture-{account}-{region}-{Hash(address).Substring(0, 8)}";

        /// <summary>The capture bucket: the name given, else the one generated from account, region and address.</summary>
        public async Task<string> BucketNameAsync(string address, string? bucketName, CancellationToken ct)
            => bucketName ?? DefaultBucketName(await AccountAsync(ct).ConfigureAwait(false), _region, address);

        private async Task<string> AccountAsync(CancellationToken ct)
            => (await _clients.CallerAsync(ct).ConfigureAwait(false)).Account;

        public async Task<ReceiptCapture> CreateAsync(string address, string? bucketName, CancellationToken ct)
        {
            if (!SesFacts.ReceivesMail(_region)) _reporter.Warning(SesFacts.ReceivingUnconfirmed(_region)); // the table is not the last word (SesFacts)
            var account = await AccountAsync(ct).ConfigureAwait(false);
            var bucket = bucketName ?? DefaultBucketName(account, _region, address);
            var rule = RuleNameFor(address);

            var active = await _receipt.DescribeActiveReceiptRuleSetAsync(ct).ConfigureAwait(false);
            var previous = active == RuleSetName ? await PreviousFromExistingCapturesAsync(ct).ConfigureAwait(false) : active;

            var tags = await EnsureBucketAsync(bucket, address, previous, ct).ConfigureAwait(false);
            await EnsureBucketPolicyAsync(bucket, account, rule, tags, ct).ConfigureAwait(false);

            var sets = await _receipt.ListReceiptRuleSetsAsync(ct).ConfigureAwait(false);
            if (!sets.Contains(RuleSetName)) await ExistsIsFine(_receipt.CreateReceiptRuleSetAsync(RuleSetName, ct)).ConfigureAwait(false);
            var rules = await _receipt.DescribeReceiptRuleSetAsync(RuleSetName, ct).ConfigureAwait(false);
            if (rules.All(r => r.Name != rule))
                await ExistsIsFine(_receipt.CreateReceiptRuleAsync(RuleSetName, rule, new[] { address }, bucket, ObjectPrefix, ct)).ConfigureAwait(false);
            else
                _reporter.Verbose($"The receipt rule {rule} already exists in {RuleSetName}.");
            if (active != RuleSetName)
            {
                _reporter.Verbose(active == null ? $"Activating {RuleSetName} (no rule set was active)." : $"Activating {RuleSetName} instead of {active}; removing the capture re-activates {active}.");
                await _receipt.SetActiveReceiptRuleSetAsync(RuleSetName, ct).ConfigureAwait(false);
            }
            return Describe(address, bucket, rule, previous, DnsRecordAction.Add);
        }

        /// <summary>
        /// A create answered "already exists" (made meanwhile, or by an attempt whose answer was lost): the state a
        /// re-run would find, so the capture goes on.
        /// </summary>
        private static async Task ExistsIsFine(Task create)
        {
            try
            {
                await create.ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "AlreadyExists" || e.ErrorCode == "BucketAlreadyOwnedByYou")
            {
            }
        }

        /// <summary>The newest verification link in the captured mail, or null when none has arrived.</summary>
        public async Task<SesVerificationLink?> FindLinkAsync(string address, string bucket, CancellationToken ct)
        {
            var listing = await _clients.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, ct).ConfigureAwait(false);
            var objects = (listing.S3Objects ?? new List<S3Object>())
                .Where(o => !o.Key.EndsWith("AMAZON_SES_SETUP_NOTIFICATION", StringComparison.Ordinal))
                .OrderByDescending(o => o.LastModified ?? DateTime.MinValue);
            foreach (var item in objects)
            {
                using var response = await _clients.S3.GetObjectAsync(bucket, item.Key, ct).ConfigureAwait(false);
                using var content = new MemoryStream();
                await response.ResponseStream.CopyToAsync(content, 81920, ct).ConfigureAwait(false);
                content.Position = 0;
                MimeMessage message;
                try
                {
                    message = await MimeMessage.LoadAsync(content, ct).ConfigureAwait(false);
                }
                catch (FormatException)
                {
                    _reporter.Verbose($"{item.Key} is not a mail message: skipped.");
                    continue;
                }
                var recipients = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address);
                if (!recipients.Any(r => string.Equals(r, address, StringComparison.OrdinalIgnoreCase))) continue;
                var link = FindLink(message);
                if (link == null) continue;
                return new SesVerificationLink
                {
                    EmailAddress = address,
                    Link = link,
                    ReceivedAt = message.Date == DateTimeOffset.MinValue ? (DateTimeOffset?)(item.LastModified ?? DateTime.UtcNow) : message.Date,
                    ObjectKey = item.Key,
                    BucketName = bucket,
                };
            }
            return null;
        }

        /// <summary>Polls the bucket until the verification mail is there.</summary>
        public Task<SesVerificationLink> WaitForLinkAsync(string address, string bucket, TimeSpan timeout, IClock clock, CancellationToken ct)
            => Poller.UntilAsync<SesVerificationLink>(async token =>
            {
                var link = await FindLinkAsync(address, bucket, token).ConfigureAwait(false);
                return (link != null, link == null ? "no verification mail yet" : "found", link!);
            }, timeout, clock, _reporter, WaitActivityId, $"Waiting for the verification mail to {address} in s3://{bucket}", ct);

        /// <summary>Empties and deletes the bucket, removes the rule, re-activates what was active before. Safe to re-run.</summary>
        public async Task<ReceiptCapture> RemoveAsync(string address, string? bucketName, CancellationToken ct)
        {
            var bucket = await BucketNameAsync(address, bucketName, ct).ConfigureAwait(false);
            var rule = RuleNameFor(address);
            var tags = await BucketTagsAsync(bucket, ct).ConfigureAwait(false);
            string? previous = null;
            if (tags != null && tags.TryGetValue(PreviousTag, out var remembered) && remembered != "-") previous = remembered;

            var sets = await _receipt.ListReceiptRuleSetsAsync(ct).ConfigureAwait(false);
            if (sets.Contains(RuleSetName))
            {
                var rules = await _receipt.DescribeReceiptRuleSetAsync(RuleSetName, ct).ConfigureAwait(false);
                if (rules.Any(r => r.Name == rule)) await _receipt.DeleteReceiptRuleAsync(RuleSetName, rule, ct).ConfigureAwait(false);
                if (rules.All(r => r.Name == rule))
                {
                    // The last capture is gone: give the account back the rule set it had, then delete ours.
                    if (await _receipt.DescribeActiveReceiptRuleSetAsync(ct).ConfigureAwait(false) == RuleSetName)
                    {
                        _reporter.Verbose(previous == null ? "No rule set was active before: deactivating ours." : $"Re-activating {previous}.");
                        await _receipt.SetActiveReceiptRuleSetAsync(previous, ct).ConfigureAwait(false);
                    }
                    await _receipt.DeleteReceiptRuleSetAsync(RuleSetName, ct).ConfigureAwait(false);
                }
            }

            if (tags != null) await DeleteBucketAsync(bucket, ct).ConfigureAwait(false);
            else _reporter.Verbose($"The bucket {bucket} does not exist (already removed).");
            return Describe(address, bucket, rule, previous, DnsRecordAction.Remove);
        }

        private ReceiptCapture Describe(string address, string bucket, string rule, string? previous, DnsRecordAction mxAction)
        {
            var domain = address.Substring(address.IndexOf('@') + 1);
            var mx = SesDomainService.Record(domain, domain, "MX", SesFacts.InboundMxHost(_region), 10,
                mxAction == DnsRecordAction.Remove ? "Inbound mail through SES for the capture: remove it now" : "Inbound mail through SES: lets SES capture the verification mail");
            mx.Action = mxAction;
            return new ReceiptCapture
            {
                EmailAddress = address,
                Region = _region,
                BucketName = bucket,
                RuleSetName = RuleSetName,
                RuleName = rule,
                PreviousActiveRuleSet = previous,
                DnsRecords = new[] { mx },
            };
        }

        /// <summary>
        /// The bucket, locked down, with the tags that say what it captures; returns its tags. The tags are written
        /// last (<see cref="EnsureBucketPolicyAsync"/>), so a bucket without them is one whose set-up did not finish:
        /// it is locked down again rather than trusted.
        /// </summary>
        private async Task<Dictionary<string, string>> EnsureBucketAsync(string bucket, string address, string? previous, CancellationToken ct)
        {
            var tags = await BucketTagsAsync(bucket, ct).ConfigureAwait(false);
            if (tags == null)
            {
                // Explicit: with -EndpointUrl the client has no region of its own to put in the location constraint.
                // The constraint is given as is: the SDK's BucketRegion turns eu-west-1 into the legacy "EU".
                var request = new PutBucketRequest { BucketName = bucket, UseClientRegion = false };
                if (_region != "us-east-1")
                    request.PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = BucketLocationConstraint.FindValue(_region) };
                await ExistsIsFine(_clients.S3.PutBucketAsync(request, ct)).ConfigureAwait(false);
                tags = new Dictionary<string, string>();
            }
            else
            {
                _reporter.Verbose($"The bucket {bucket} already exists.");
            }
            if (!tags.ContainsKey(PreviousTag) || !tags.ContainsKey(AddressTag))
            {
                await _clients.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
                {
                    BucketName = bucket,
                    PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
                    {
                        BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true,
                    },
                }, ct).ConfigureAwait(false);
                tags[PreviousTag] = previous ?? "-";
                tags[AddressTag] = address;
                tags.Remove(PolicyTag); // set-up did not finish: write the policy again too
            }
            return tags;
        }

        /// <summary>Only SES, for this account and this rule, may put objects (design.md §5).</summary>
        private async Task EnsureBucketPolicyAsync(string bucket, string account, string rule, Dictionary<string, string> tags, CancellationToken ct)
        {
            var ruleArn = $"arn:aws:ses:{_region}:{account}:receipt-rule-set/{RuleSetName}:receipt-rule/{rule}";
            var policy = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(new JsonObject
                {
                    ["Sid"] = "AllowSESPuts",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = "ses.amazonaws.com" },
                    ["Action"] = "s3:PutObject",
                    ["Resource"] = $"arn:aws:s3:::{bucket}/*",
                    ["Condition"] = new JsonObject
                    {
                        ["StringEquals"] = new JsonObject { ["AWS:SourceAccount"] = account, ["AWS:SourceArn"] = ruleArn },
                    },
                }),
            }.ToJsonString();
            // The bucket remembers (in a tag) which policy it was given, so a re-run writes nothing. Reading the
            // policy back is no use here: AWSSDK.S3 4.0.x fails to parse moto's "no policy" answer. One tag write
            // holds both the capture's tags and the policy marker, after the policy itself.
            var marker = Hash(policy).Substring(0, 16);
            if (tags.TryGetValue(PolicyTag, out var applied) && applied == marker) return;
            await _clients.S3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = policy }, ct).ConfigureAwait(false);
            tags[PolicyTag] = marker;
            await PutTagsAsync(bucket, tags, ct).ConfigureAwait(false);
        }

        private Task PutTagsAsync(string bucket, Dictionary<string, string> tags, CancellationToken ct)
            => _clients.S3.PutBucketTaggingAsync(new PutBucketTaggingRequest
            {
                BucketName = bucket,
                TagSet = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
            }, ct);

        /// <summary>The bucket's tags; null when the bucket does not exist.</summary>
        private async Task<Dictionary<string, string>?> BucketTagsAsync(string bucket, CancellationToken ct)
        {
            try
            {
                var response = await _clients.S3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }, ct).ConfigureAwait(false);
                return (response.TagSet ?? new List<Tag>()).ToDictionary(t => t.Key, t => t.Value);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchTagSet")
            {
                return new Dictionary<string, string>();
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
            {
                return null;
            }
        }

        private async Task<string?> PreviousFromExistingCapturesAsync(CancellationToken ct)
        {
            foreach (var rule in await _receipt.DescribeReceiptRuleSetAsync(RuleSetName, ct).ConfigureAwait(false))
                foreach (var bucket in rule.S3Buckets)
                {
                    var tags = await BucketTagsAsync(bucket, ct).ConfigureAwait(false);
                    if (tags != null && tags.TryGetValue(PreviousTag, out var previous)) return previous == "-" ? null : previous;
                }
            return null;
        }

        private async Task DeleteBucketAsync(string bucket, CancellationToken ct)
        {
            while (true)
            {
                var listing = await _clients.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, ct).ConfigureAwait(false);
                var keys = (listing.S3Objects ?? new List<S3Object>()).Select(o => new KeyVersion { Key = o.Key }).ToList();
                if (keys.Count == 0) break;
                await _clients.S3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = keys }, ct).ConfigureAwait(false);
            }
            await _clients.S3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = bucket }, ct).ConfigureAwait(false);
        }

        private static string? FindLink(MimeMessage message)
        {
            foreach (var text in new[] { message.TextBody, message.HtmlBody })
            {
                if (text == null) continue;
                var match = LinkPattern.Match(text);
                if (match.Success) return System.Net.WebUtility.HtmlDecode(match.Value);
            }
            return null;
        }

        private static string Hash(string value)
        {
            using var sha = SHA256.Create();
            return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(value.ToLowerInvariant())).Select(b => b.ToString("x2")));
        }
    }
}
