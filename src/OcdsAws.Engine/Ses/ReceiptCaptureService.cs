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
    /// write to, a receipt rule for exactly the address, then reading the link out of the mail, and cleaning all of it up.
    /// SES has one active receipt rule set per region and runs only that one (SES developer guide, design.md §5): when a
    /// set is active the rule goes into it, first, and the active set never changes; only when none is active does the
    /// capture make its own set (<see cref="OwnRuleSetName"/>) and activate it, and its removal deactivates and deletes it.
    /// </summary>
    internal sealed class ReceiptCaptureService
    {
        /// <summary>The rule set the capture makes, only when no rule set is active.</summary>
        public const string OwnRuleSetName = "ocdsaws-capture";
        public const string ObjectPrefix = "mail/";
        public const int WaitActivityId = 4202;

        /// <summary>
        /// Bucket tag of captures made by earlier versions, which activated their own set in place of the active one: the
        /// set to re-activate when that capture is removed ("-" for none). Read on removal only.
        /// </summary>
        private const string PreviousTag = "ocdsaws:previous-active-rule-set";

        /// <summary>Bucket tag: the rule set that holds the capture's rule (where removal looks first).</summary>
        private const string RuleSetTag = "ocdsaws:rule-set";
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

        /// <summary>
        /// What <see cref="CreateAsync"/> will do, read before any change: refuses a region without receiving and a domain
        /// SES will not receive for, and finds the active rule set. No AWS change is made here.
        /// </summary>
        public async Task<CapturePlan> PlanAsync(string address, string? bucketName, CancellationToken ct)
        {
            if (!SesFacts.ReceivesMail(_region)) _reporter.Warning(SesFacts.ReceivingUnconfirmed(_region)); // the table is not the last word (SesFacts)
            await RequireVerifiedDomainAsync(address, ct).ConfigureAwait(false);
            var bucket = await BucketNameAsync(address, bucketName, ct).ConfigureAwait(false);
            var active = await _receipt.DescribeActiveReceiptRuleSetAsync(ct).ConfigureAwait(false);
            return new CapturePlan(address, bucket, RuleNameFor(address), active);
        }

        /// <summary>
        /// SES receives mail only for domains that are verified identities in the region: "email addresses have to belong
        /// to one of your verified domain identities" (SES developer guide, email receiving, considerations; quoted in issue
        /// #13 — not confirmed here: that page is not among this machine's stored documents). The API reference says the
        /// same of receipt rules: without Recipients "this rule matches all recipients on all verified domains"
        /// (https://docs.aws.amazon.com/ses/latest/APIReference/API_ReceiptRule.html). Only the address's own domain is
        /// accepted (not confirmed here: whether a verified parent domain lets SES receive for a subdomain).
        /// </summary>
        private async Task RequireVerifiedDomainAsync(string address, CancellationToken ct)
        {
            var domain = address.Substring(address.IndexOf('@') + 1);
            var status = (await new SesV2Api(_clients.Get(AwsService.SesV2)).FindEmailIdentityAsync(domain, ct).ConfigureAwait(false))?.VerificationStatus;
            if (status == "SUCCESS") return;
            throw new OcdsAwsException(ErrorIds.DomainNotVerified,
                $"SES receives mail only for verified domains, and {domain} is {(status == null ? "not an SES identity" : $"not verified ({status})")} in {_region}. "
                + $"Verify the domain first (New-SesDomainVerification {domain}, then Wait-SesDomainVerification {domain}), then capture again.",
                System.Management.Automation.ErrorCategory.InvalidOperation);
        }

        public async Task<ReceiptCapture> CreateAsync(CapturePlan plan, CancellationToken ct)
        {
            var caller = await _clients.CallerAsync(ct).ConfigureAwait(false);
            var tags = await EnsureBucketAsync(plan.BucketName, plan.Address, plan.RuleSetName, ct).ConfigureAwait(false);
            await EnsureBucketPolicyAsync(plan.BucketName, caller.Account, caller.Partition, plan.RuleSetName, plan.RuleName, tags, ct).ConfigureAwait(false);

            IReadOnlyList<ReceiptRuleInfo> rules;
            if (plan.ActiveRuleSet != null)
            {
                rules = plan.ActiveRuleSet.Rules;
            }
            else
            {
                var sets = await _receipt.ListReceiptRuleSetsAsync(ct).ConfigureAwait(false);
                if (!sets.Contains(OwnRuleSetName)) await ExistsIsFine(_receipt.CreateReceiptRuleSetAsync(OwnRuleSetName, ct)).ConfigureAwait(false);
                rules = await _receipt.DescribeReceiptRuleSetAsync(OwnRuleSetName, ct).ConfigureAwait(false);
            }
            if (rules.All(r => r.Name != plan.RuleName))
            {
                // No After: first in the set, so no rule of the user's (a bounce, a stop action) runs before it.
                await ExistsIsFine(_receipt.CreateReceiptRuleAsync(plan.RuleSetName, plan.RuleName, new[] { plan.Address }, plan.BucketName, ObjectPrefix, ct)).ConfigureAwait(false);
                _reporter.Verbose($"Added the receipt rule {plan.RuleName} first in {plan.RuleSetName}.");
            }
            else
            {
                _reporter.Verbose($"The receipt rule {plan.RuleName} already exists in {plan.RuleSetName}.");
            }
            if (plan.ActiveRuleSet == null)
            {
                _reporter.Verbose($"Activating {OwnRuleSetName}: no rule set was active. Remove-SesReceiptCapture deactivates and deletes it.");
                await _receipt.SetActiveReceiptRuleSetAsync(OwnRuleSetName, ct).ConfigureAwait(false);
            }
            else
            {
                _reporter.Verbose($"{plan.RuleSetName} stays the active rule set; its other rules are untouched.");
            }
            return Describe(plan.Address, plan.BucketName, plan.RuleName, plan.RuleSetName, plan.RuleSetName == OwnRuleSetName, DnsRecordAction.Add);
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

        /// <summary>What <see cref="RemoveAsync"/> will do: where the capture's rule lives (found wherever it is), read before any change.</summary>
        public async Task<CaptureRemovalPlan> PlanRemovalAsync(string address, string? bucketName, CancellationToken ct)
        {
            var bucket = await BucketNameAsync(address, bucketName, ct).ConfigureAwait(false);
            var rule = RuleNameFor(address);
            var tags = await BucketTagsAsync(bucket, ct).ConfigureAwait(false);
            string? previous = null;
            if (tags != null && tags.TryGetValue(PreviousTag, out var remembered) && remembered != "-") previous = remembered;
            string? tagged = null;
            tags?.TryGetValue(RuleSetTag, out tagged);

            var active = await _receipt.DescribeActiveReceiptRuleSetAsync(ct).ConfigureAwait(false);
            IReadOnlyList<string>? sets = null;
            async Task<IReadOnlyList<string>> Sets() => sets ??= await _receipt.ListReceiptRuleSetsAsync(ct).ConfigureAwait(false);

            // Where the rule lives: the active set, the set the bucket names, our own set, then every other set.
            string? holder = null;
            IReadOnlyList<ReceiptRuleInfo>? holderRules = null;
            if (active != null && active.Rules.Any(r => r.Name == rule))
            {
                (holder, holderRules) = (active.Name, active.Rules);
            }
            else
            {
                var candidates = new[] { tagged, OwnRuleSetName }.Where(n => n != null && n != active?.Name).Select(n => n!).ToList();
                candidates.AddRange((await Sets().ConfigureAwait(false)).Where(n => !candidates.Contains(n) && n != active?.Name));
                foreach (var name in candidates)
                {
                    if (!(await Sets().ConfigureAwait(false)).Contains(name)) continue;
                    var rules = await _receipt.DescribeReceiptRuleSetAsync(name, ct).ConfigureAwait(false);
                    if (rules.Any(r => r.Name == rule))
                    {
                        (holder, holderRules) = (name, rules);
                        break;
                    }
                }
            }

            // Our own set goes once it holds nothing else (also left empty by an interrupted run).
            var ownRules = holder == OwnRuleSetName ? holderRules
                : active?.Name == OwnRuleSetName ? active.Rules
                : (await Sets().ConfigureAwait(false)).Contains(OwnRuleSetName) ? await _receipt.DescribeReceiptRuleSetAsync(OwnRuleSetName, ct).ConfigureAwait(false)
                : null;
            var deleteOwn = ownRules != null && ownRules.All(r => r.Name == rule);
            return new CaptureRemovalPlan(address, bucket, rule, holder ?? tagged, holder != null, tags != null, deleteOwn,
                deleteOwn && active?.Name == OwnRuleSetName, previous);
        }

        /// <summary>Empties and deletes the bucket, deletes the rule where it lives, and our own set once it is empty. Safe to re-run.</summary>
        public async Task<ReceiptCapture> RemoveAsync(CaptureRemovalPlan plan, CancellationToken ct)
        {
            if (plan.RuleFound) await _receipt.DeleteReceiptRuleAsync(plan.RuleSetName!, plan.RuleName, ct).ConfigureAwait(false);
            else _reporter.Verbose($"No rule set holds the receipt rule {plan.RuleName} (already removed).");
            if (plan.DeletesOwnRuleSet)
            {
                if (plan.DeactivatesOwnRuleSet)
                {
                    // Captures of earlier versions remember the set they replaced; otherwise ours was active because none was.
                    _reporter.Verbose(plan.PreviousActiveRuleSet == null ? $"Deactivating {OwnRuleSetName} (no rule set was active before it)." : $"Re-activating {plan.PreviousActiveRuleSet}, which an earlier version of the capture replaced.");
                    await _receipt.SetActiveReceiptRuleSetAsync(plan.PreviousActiveRuleSet, ct).ConfigureAwait(false);
                }
                await _receipt.DeleteReceiptRuleSetAsync(OwnRuleSetName, ct).ConfigureAwait(false);
            }

            if (plan.BucketExists) await DeleteBucketAsync(plan.BucketName, ct).ConfigureAwait(false);
            else _reporter.Verbose($"The bucket {plan.BucketName} does not exist (already removed).");
            return Describe(plan.Address, plan.BucketName, plan.RuleName, plan.RuleSetName ?? "", plan.RuleSetName == OwnRuleSetName, DnsRecordAction.Remove);
        }

        private ReceiptCapture Describe(string address, string bucket, string rule, string ruleSet, bool ownRuleSet, DnsRecordAction mxAction)
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
                RuleSetName = ruleSet,
                RuleSetCreated = ownRuleSet,
                RuleName = rule,
                DnsRecords = new[] { mx },
            };
        }

        /// <summary>
        /// The bucket, locked down, with the tags that say what it captures; returns its tags. The tags are written
        /// last (<see cref="EnsureBucketPolicyAsync"/>), so a bucket without them is one whose set-up did not finish:
        /// it is locked down again rather than trusted.
        /// </summary>
        private async Task<Dictionary<string, string>> EnsureBucketAsync(string bucket, string address, string ruleSet, CancellationToken ct)
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
            // A bucket without the tags did not finish its set-up; one tagged with another rule set must get a new policy
            // (it names the rule's ARN, which contains the set).
            if (!tags.ContainsKey(AddressTag) || !tags.TryGetValue(RuleSetTag, out var tagged) || tagged != ruleSet)
            {
                await _clients.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
                {
                    BucketName = bucket,
                    PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
                    {
                        BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true,
                    },
                }, ct).ConfigureAwait(false);
                tags[AddressTag] = address;
                tags[RuleSetTag] = ruleSet;
                tags.Remove(PolicyTag); // set-up did not finish: write the policy again too
            }
            return tags;
        }

        /// <summary>Only SES, for this account and this rule (in the set that holds it), may put objects (design.md §5).</summary>
        private async Task EnsureBucketPolicyAsync(string bucket, string account, string partition, string ruleSet, string rule, Dictionary<string, string> tags, CancellationToken ct)
        {
            var ruleArn = $"arn:{partition}:ses:{_region}:{account}:receipt-rule-set/{ruleSet}:receipt-rule/{rule}";
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
