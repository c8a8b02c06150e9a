using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Ses;

namespace OcdsAws.Smtp
{
    /// <summary>What Get-SmtpCredential found in IAM and what it would change (read before anything is changed).</summary>
    internal sealed class SmtpUserPlan
    {
        public SmtpUserPlan(string userName, bool userExists, IReadOnlyList<IamAccessKey> keys, bool policyUpToDate, string policyDocument)
        {
            UserName = userName;
            UserExists = userExists;
            Keys = keys;
            PolicyUpToDate = policyUpToDate;
            PolicyDocument = policyDocument;
        }

        public string UserName { get; }
        public bool UserExists { get; }
        public IReadOnlyList<IamAccessKey> Keys { get; }
        public bool PolicyUpToDate { get; }
        public string PolicyDocument { get; }

        /// <summary>The ShouldProcess text: every change, so -WhatIf and the prompt say exactly what happens.</summary>
        public string Describe(IReadOnlyList<string> regions, IReadOnlyList<string> allowedFrom)
        {
            var steps = new List<string>();
            if (!UserExists) steps.Add($"create IAM user {UserName}");
            if (!PolicyUpToDate)
                steps.Add($"put inline policy {SmtpCredentialService.PolicyName} allowing only ses:SendRawEmail"
                    + (allowedFrom.Count == 0 ? " from any address" : " from " + string.Join(", ", allowedFrom)));
            steps.Add(Keys.Count == 0
                ? "create an access key"
                : $"create a SECOND access key (the user already has {Keys[0].AccessKeyId}, whose SMTP password cannot be shown again)");
            return string.Join("; ", steps) + $", and derive SMTP passwords for {string.Join(", ", regions)}";
        }
    }

    /// <summary>
    /// Get-SmtpCredential's work without PowerShell: the IAM user with a least-privilege inline policy,
    /// one access key, and the SMTP password per region. Reads come first (<see cref="PlanAsync"/>) so
    /// the cmdlet can ask before anything changes and refuse before anything is created.
    /// </summary>
    internal sealed class SmtpCredentialService
    {
        /// <summary>The inline policy's name; the SES console's SMTP wizard uses the same one.</summary>
        public const string PolicyName = "AmazonSesSendingAccess";

        /// <summary>IAM's limit of access keys per user (active or not).</summary>
        public const int MaxAccessKeys = 2;

        private readonly IamApi _iam;
        private readonly IOperationReporter _reporter;
        private readonly Action<string> _addSecret;

        /// <param name="clients">The session's clients.</param>
        /// <param name="reporter">Where messages go.</param>
        /// <param name="addSecret">Registers a secret with the message scrubber; called before the secret is used.</param>
        public SmtpCredentialService(AwsClientFactory clients, IOperationReporter reporter, Action<string> addSecret)
        {
            _iam = new IamApi(clients.Get(AwsService.Iam));
            _reporter = reporter;
            _addSecret = addSecret;
        }

        /// <summary>
        /// Reads the user, its access keys and its inline policy. Refuses, before anything is created,
        /// when the user already has the two keys IAM allows.
        /// </summary>
        public async Task<SmtpUserPlan> PlanAsync(string userName, IReadOnlyList<string> allowedFrom, CancellationToken ct)
        {
            var desired = PolicyDocument(allowedFrom);
            if (await _iam.FindUserAsync(userName, ct).ConfigureAwait(false) == null)
            {
                _reporter.Verbose($"IAM user {userName} does not exist yet.");
                return new SmtpUserPlan(userName, false, Array.Empty<IamAccessKey>(), false, desired);
            }

            var keys = await _iam.ListAccessKeysAsync(userName, ct).ConfigureAwait(false);
            if (keys.Count >= MaxAccessKeys) throw TooManyKeys(userName, keys);

            var current = await _iam.FindUserPolicyAsync(userName, PolicyName, ct).ConfigureAwait(false);
            var upToDate = current != null && SamePolicy(current, desired);
            _reporter.Verbose($"IAM user {userName} exists with {keys.Count} access key(s); its {PolicyName} policy is "
                + (upToDate ? "already the one needed: it will not be written again." : current == null ? "missing." : "different and will be replaced."));
            return new SmtpUserPlan(userName, true, keys, upToDate, desired);
        }

        /// <summary>Makes the planned changes, creates the access key and derives a password per region.</summary>
        public async Task<IReadOnlyList<SmtpCredential>> ApplyAsync(SmtpUserPlan plan, IReadOnlyList<KeyValuePair<string, string>>? tags,
            IReadOnlyList<string> regions, bool asPlainText, CancellationToken ct)
        {
            if (!plan.UserExists)
            {
                try
                {
                    await _iam.CreateUserAsync(plan.UserName, tags, ct).ConfigureAwait(false);
                }
                catch (AmazonServiceException e) when (e.ErrorCode == "EntityAlreadyExists")
                {
                    // Someone created it since PlanAsync read IAM: reusing it is what a re-run would do.
                    _reporter.Verbose($"IAM user {plan.UserName} was created meanwhile; reusing it.");
                }
            }
            if (!plan.PolicyUpToDate)
                await _iam.PutUserPolicyAsync(plan.UserName, PolicyName, plan.PolicyDocument, ct).ConfigureAwait(false);

            // A key whose answer was lost is a key whose secret nobody has: before Core sends CreateAccessKey again,
            // delete any key that was not there before, so the user never ends up with an orphan key.
            var known = plan.Keys.Select(k => k.AccessKeyId).ToList();
            async Task DeleteOrphansAsync(CancellationToken c)
            {
                foreach (var orphan in (await _iam.ListAccessKeysAsync(plan.UserName, c).ConfigureAwait(false)).Where(k => !known.Contains(k.AccessKeyId)))
                {
                    await _iam.DeleteAccessKeyAsync(plan.UserName, orphan.AccessKeyId, c).ConfigureAwait(false);
                    _reporter.Verbose($"Deleted access key {orphan.AccessKeyId}: an earlier CreateAccessKey made it but its answer, and so its secret, was lost.");
                }
            }
            IamNewAccessKey key;
            try
            {
                key = await LostAnswers.BeforeRetryAsync("CreateAccessKey", DeleteOrphansAsync, c => _iam.CreateAccessKeyAsync(plan.UserName, c), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                // Core gave up; its last attempt too may have made a key nobody will ever see the secret of.
                try
                {
                    await DeleteOrphansAsync(ct).ConfigureAwait(false);
                }
                catch (AmazonServiceException)
                {
                    // The original failure is the one to report.
                }
                throw;
            }
            _addSecret(key.SecretAccessKey);
            if (plan.Keys.Count > 0)
                _reporter.Warning($"IAM user {plan.UserName} now has two access keys ({plan.Keys[0].AccessKeyId} and {key.AccessKeyId}), the most IAM allows. "
                    + $"Once your mail clients use the new SMTP credentials, delete the old key: Remove-IAMAccessKey -UserName {plan.UserName} -AccessKeyId {plan.Keys[0].AccessKeyId}.");
            _reporter.Verbose($"Created access key {key.AccessKeyId} for {plan.UserName}. AWS shows its secret only once, so this output is the only copy of the SMTP passwords; "
                + "a new key can take a few minutes to work for SMTP.");
            return Derive(plan.UserName, key.AccessKeyId, key.SecretAccessKey, regions, asPlainText, _addSecret);
        }

        /// <summary>One credential per region from a key whose secret is known; no AWS call.</summary>
        public static IReadOnlyList<SmtpCredential> Derive(string? userName, string accessKeyId, string secretAccessKey, IReadOnlyList<string> regions,
            bool asPlainText, Action<string> addSecret)
        {
            addSecret(secretAccessKey);
            return regions.Select(region =>
            {
                var password = SmtpPassword.Derive(secretAccessKey, region);
                addSecret(password);
                return new SmtpCredential(userName, accessKeyId, region, password, asPlainText);
            }).ToList();
        }

        /// <summary>
        /// The least-privilege inline policy: ses:SendRawEmail (what SMTP sends with) on any identity,
        /// optionally only with the given From addresses (StringLike, so * and ? are wildcards).
        /// </summary>
        public static string PolicyDocument(IReadOnlyList<string> allowedFrom)
        {
            var statement = new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = "ses:SendRawEmail",
                ["Resource"] = "*",
            };
            if (allowedFrom.Count > 0)
                statement["Condition"] = new JsonObject
                {
                    ["StringLike"] = new JsonObject
                    {
                        ["ses:FromAddress"] = new JsonArray(allowedFrom.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                    },
                };
            return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) }.Compact();
        }

        /// <summary>Same JSON data (key order and whitespace aside): then re-running writes nothing.</summary>
        public static bool SamePolicy(string current, string desired)
        {
            try
            {
                return Canonical(JsonNode.Parse(current)) == Canonical(JsonNode.Parse(desired));
            }
            catch (System.Text.Json.JsonException)
            {
                return false;
            }
        }

        private static string Canonical(JsonNode? node) => node switch
        {
            null => "null",
            JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonValue.Create(p.Key)!.ToJsonString() + ":" + Canonical(p.Value))) + "}",
            JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
            _ => node.ToJsonString(),
        };

        private static OcdsAwsException TooManyKeys(string userName, IReadOnlyList<IamAccessKey> keys)
        {
            var list = string.Join(", ", keys.Select(k => $"{k.AccessKeyId} ({k.Status}"
                + (k.CreateDate is DateTime d ? ", created " + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "") + ")"));
            return new OcdsAwsException("AccessKeyLimit",
                $"IAM user {userName} already has {keys.Count} access keys ({list}), the most IAM allows, so no SMTP credentials were created and nothing was changed. "
                + $"Delete a key you no longer use (Remove-IAMAccessKey -UserName {userName} -AccessKeyId <id>, or the IAM console) and run this again, "
                + "or derive the SMTP password from a key whose secret you have: Get-SmtpCredential -AccessKeyId <id> -SecretAccessKey (Read-Host -AsSecureString).",
                ErrorCategory.LimitsExceeded);
        }
    }

    /// <summary>Input checks of the SMTP cmdlets, made before any AWS call.</summary>
    internal static class SmtpInput
    {
        // IAM's documented user-name rule; \w here means ASCII word characters, as IAM applies it.
        private static readonly Regex UserNamePattern = new Regex("^[A-Za-z0-9_+=,.@-]{1,64}\\z", RegexOptions.CultureInvariant);
        private static readonly Regex AccessKeyIdPattern = new Regex("^[A-Z0-9]{16,128}\\z", RegexOptions.CultureInvariant);

        public static string UserName(string? userName)
            => userName != null && UserNamePattern.IsMatch(userName)
                ? userName
                : throw new ValidationException("InvalidUserName",
                    $"-UserName '{userName}' is not a valid IAM user name: use 1 to 64 letters, digits and + = , . @ _ - (for example ses-smtp-example-org).");

        /// <summary>Validated, de-duplicated regions in the given order.</summary>
        public static IReadOnlyList<string> Regions(IEnumerable<string> regions)
        {
            var list = new List<string>();
            foreach (var region in regions)
            {
                if (!SmtpPassword.IsRegionName(region))
                    throw new ValidationException("InvalidRegion", $"'{region}' is not an AWS region name (like eu-west-1).");
                if (!list.Contains(region)) list.Add(region);
            }
            var partitions = list.Select(SmtpPassword.PartitionOf).Distinct().ToList();
            if (partitions.Count > 1)
                throw new ValidationException("MixedPartitions",
                    $"-Region {string.Join(", ", list)} spans the AWS partitions {string.Join(", ", partitions)}. An IAM user and its access keys belong to one partition "
                    + "(commercial aws, China aws-cn, GovCloud aws-us-gov), so one key has no SMTP password in another partition's regions. Nothing was changed: "
                    + "run the command once per partition, each time with a key of that partition (for Get-SmtpCredential: credentials of that partition, for example -ProfileName of a GovCloud or China account) and only its regions.");
            return list;
        }

        /// <summary>
        /// Refuses SMTP regions outside the session's partition: the IAM user and key are made in the session's partition
        /// (IAM has one endpoint per partition: botocore iam/2010-05-08/endpoint-rule-set-1.json).
        /// </summary>
        public static IReadOnlyList<string> SessionPartition(IReadOnlyList<string> regions, string sessionRegion)
        {
            var session = SmtpPassword.PartitionOf(sessionRegion);
            var outside = regions.Where(r => SmtpPassword.PartitionOf(r) != session).ToList();
            if (outside.Count > 0)
                throw new ValidationException("PartitionMismatch",
                    $"-Region {string.Join(", ", outside)} is in the partition {SmtpPassword.PartitionOf(outside[0])}, but the session's region {sessionRegion} is in {session}, "
                    + "where the IAM user and its key would be made; that key has no SMTP password in another partition. Nothing was changed: "
                    + "run Get-SmtpCredential once per partition, each time with credentials and a region of that partition.");
            return regions;
        }

        /// <summary>An access key id of a long-term IAM user key; temporary (ASIA…) keys are refused.</summary>
        public static string AccessKeyId(string? accessKeyId)
        {
            if (accessKeyId != null && accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
                throw new ValidationException("TemporaryCredentials",
                    $"-AccessKeyId {accessKeyId} belongs to temporary credentials (STS, SSO or an assumed role), which SES SMTP does not accept. "
                    + "SMTP needs a long-term IAM user access key (AKIA…): create one with Get-SmtpCredential -UserName <name>.");
            if (accessKeyId == null || !AccessKeyIdPattern.IsMatch(accessKeyId))
                throw new ValidationException("InvalidAccessKeyId", $"-AccessKeyId '{accessKeyId}' is not an IAM access key id (like AKIAIOSFODNN7EXAMPLE).");
            return accessKeyId;
        }

        /// <summary>Validated, de-duplicated From addresses; * and ? are allowed as StringLike wildcards.</summary>
        public static IReadOnlyList<string> FromAddresses(IEnumerable<string>? addresses)
        {
            var list = new List<string>();
            foreach (var address in addresses ?? Enumerable.Empty<string>())
            {
                EmailAddress.Parse(address, "-AllowedFromAddress", "or *@example.org for a whole domain");
                if (!list.Contains(address)) list.Add(address);
            }
            return list;
        }

        public static IReadOnlyList<KeyValuePair<string, string>>? Tags(System.Collections.IDictionary? tags)
        {
            if (tags == null) return null;
            var list = tags.Cast<System.Collections.DictionaryEntry>()
                .Select(e => new KeyValuePair<string, string>(e.Key?.ToString() ?? "", e.Value?.ToString() ?? "")).ToList();
            if (list.Count > 50 || list.Any(t => t.Key.Length == 0 || t.Key.Length > 128 || t.Value.Length > 256))
                throw new ValidationException("InvalidTag", "-Tag takes at most 50 tags; keys must be 1-128 characters and values at most 256.");
            return list;
        }
    }
}
