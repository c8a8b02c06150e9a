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
    /// <summary>What New-SesSmtpCredential found in IAM and what it would change (read before anything is changed).</summary>
    internal sealed class SmtpUserPlan
    {
        public SmtpUserPlan(string userName, bool userExists, IReadOnlyList<IamAccessKey> keys, bool policyUpToDate, string policyDocument)
            : this(userName, userExists, keys, policyUpToDate, policyDocument, Array.Empty<SmtpParameterTarget>(), null)
        {
        }

        public SmtpUserPlan(string userName, bool userExists, IReadOnlyList<IamAccessKey> keys, bool policyUpToDate, string policyDocument,
            IReadOnlyList<SmtpParameterTarget> parameters, string? parameterRegion)
        {
            Parameters = parameters;
            ParameterRegion = parameterRegion;
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

        /// <summary>The SSM parameters that will receive the SMTP passwords (-SsmParameterName), in <see cref="ParameterRegion"/>.</summary>
        public IReadOnlyList<SmtpParameterTarget> Parameters { get; }

        public string? ParameterRegion { get; }

        /// <summary>The same plan with the SSM parameters to write.</summary>
        public SmtpUserPlan WithParameters(IReadOnlyList<SmtpParameterTarget> parameters, string region)
            => new SmtpUserPlan(UserName, UserExists, Keys, PolicyUpToDate, PolicyDocument, parameters, region);

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
            var text = string.Join("; ", steps) + $", and derive SMTP passwords for {string.Join(", ", regions)}";
            foreach (var p in Parameters)
                text += p.ExistingVersion is long version
                    ? $"; replace SSM SecureString parameter {p.Name} (version {version}) in {ParameterRegion} with the SMTP password for {p.SmtpRegion}"
                    : $"; store the SMTP password for {p.SmtpRegion} in the new SSM SecureString parameter {p.Name} in {ParameterRegion}";
            return text;
        }
    }

    /// <summary>
    /// New-SesSmtpCredential's work without PowerShell: the IAM user with a least-privilege inline policy,
    /// one access key, and the SMTP password per region. Reads come first (<see cref="PlanAsync"/>) so
    /// the cmdlet can ask before anything changes and refuse before anything is created.
    /// </summary>
    internal sealed class SmtpCredentialService
    {
        /// <summary>
        /// The inline policy's name; Get-SesSmtpCredential recognises SMTP users by it. Not confirmed here: that the SES console's
        /// SMTP wizard uses the same name (AWS's guide says only that the wizard needs iam:PutUserPolicy:
        /// https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html).
        /// </summary>
        public const string PolicyName = "AmazonSesSendingAccess";

        /// <summary>IAM's limit of access keys per user (active or not).</summary>
        public const int MaxAccessKeys = 2;

        private readonly IamApi _iam;
        private readonly IOperationReporter _reporter;
        private readonly Action<string> _addSecret;
        private readonly AwsClientFactory _clients;
        private SmtpParameterStore? _store;

        /// <param name="clients">The session's clients.</param>
        /// <param name="reporter">Where messages go.</param>
        /// <param name="addSecret">Registers a secret with the message scrubber; called before the secret is used.</param>
        public SmtpCredentialService(AwsClientFactory clients, IOperationReporter reporter, Action<string> addSecret)
        {
            _iam = new IamApi(clients.Get(AwsService.Iam));
            _clients = clients;
            _reporter = reporter;
            _addSecret = addSecret;
        }

        /// <summary>
        /// Reads the user, its access keys and its inline policy. Refuses, before anything is created,
        /// when the user already has the two keys IAM allows.
        /// </summary>
        public async Task<SmtpUserPlan> PlanAsync(string userName, IReadOnlyList<string> allowedFrom, IReadOnlyList<(string SmtpRegion, string Name)> parameters,
            CancellationToken ct)
        {
            var plan = await PlanUserAsync(userName, allowedFrom, ct).ConfigureAwait(false);
            if (parameters.Count == 0) return plan;
            _store ??= new SmtpParameterStore(_clients);
            return plan.WithParameters(await _store.PlanAsync(parameters, ct).ConfigureAwait(false), _store.Region);
        }

        private async Task<SmtpUserPlan> PlanUserAsync(string userName, IReadOnlyList<string> allowedFrom, CancellationToken ct)
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
            var credentials = Derive(plan.UserName, key.AccessKeyId, key.SecretAccessKey, regions, asPlainText, _addSecret);
            await StoreAsync(plan, credentials, key.SecretAccessKey, ct).ConfigureAwait(false);
            return credentials;
        }

        /// <summary>
        /// Failures to write an SSM parameter after the key was made. They do not stop the output: the credentials it carries
        /// are then the only copy of the passwords. The cmdlet reports each one after writing the credentials.
        /// </summary>
        public List<OcdsAwsException> StoreFailures { get; } = new List<OcdsAwsException>();

        private async Task StoreAsync(SmtpUserPlan plan, IReadOnlyList<SmtpCredential> credentials, string secretAccessKey, CancellationToken ct)
        {
            if (plan.Parameters.Count == 0 || _store == null) return;
            foreach (var target in plan.Parameters)
            {
                var credential = credentials.Single(c => c.Region == target.SmtpRegion);
                try
                {
                    await _store.StoreAsync(target, credential, SmtpPassword.Derive(secretAccessKey, target.SmtpRegion), ct).ConfigureAwait(false);
                    credential.SsmParameterName = target.Name;
                    credential.SsmParameterRegion = _store.Region;
                    _reporter.Verbose($"Stored the SMTP password for {target.SmtpRegion} in the SSM SecureString parameter {target.Name} in {_store.Region}.");
                }
                catch (AmazonServiceException e)
                {
                    StoreFailures.Add(new OcdsAwsException(ErrorIds.SsmParameterNotWritten,
                        $"The SMTP credentials for {target.SmtpRegion} were created, but writing the SSM parameter {target.Name} in {_store.Region} failed ({e.ErrorCode}: {e.Message}). "
                        + "The password is only in this command's output now, in the Credential property (SsmParameterName is empty): store it from there, "
                        + "for example Write-SSMParameter -Name " + target.Name + " -Type SecureString -Overwrite $true -Value $c.Credential.GetNetworkCredential().Password, "
                        + "or fix the permission (ssm:PutParameter) and create a new key.", AwsErrors.Categorize(e.ErrorCode, e.StatusCode)));
                }
            }
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
            return new OcdsAwsException(ErrorIds.AccessKeyLimit,
                $"IAM user {userName} already has {keys.Count} access keys ({list}), the most IAM allows, so no SMTP credentials were created and nothing was changed. "
                + $"Delete a key you no longer use (Remove-IAMAccessKey -UserName {userName} -AccessKeyId <id>, or the IAM console) and run this again, "
                + "or derive the SMTP password from a key whose secret you have: New-SesSmtpCredential -AccessKeyId <id> -SecretAccessKey (Read-Host -AsSecureString).",
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
                : throw new ValidationException(ErrorIds.InvalidUserName,
                    $"-UserName '{userName}' is not a valid IAM user name: use 1 to 64 letters, digits and + = , . @ _ - (for example ses-smtp-example-org).");

        /// <summary>Validated, de-duplicated regions in the given order.</summary>
        public static IReadOnlyList<string> Regions(IEnumerable<string> regions)
        {
            var list = new List<string>();
            foreach (var region in regions)
            {
                if (!SmtpPassword.IsRegionName(region))
                    throw new ValidationException(ErrorIds.InvalidRegion, $"'{region}' is not an AWS region name (like eu-west-1).");
                if (!list.Contains(region)) list.Add(region);
            }
            var partitions = list.Select(SmtpPassword.PartitionOf).Distinct().ToList();
            if (partitions.Count > 1)
                throw new ValidationException(ErrorIds.MixedPartitions,
                    $"-Region {string.Join(", ", list)} spans the AWS partitions {string.Join(", ", partitions)}. An IAM user and its access keys belong to one partition "
                    + "(commercial aws, China aws-cn, GovCloud aws-us-gov), so one key has no SMTP password in another partition's regions. Nothing was changed: "
                    + "run the command once per partition, each time with a key of that partition (for New-SesSmtpCredential: credentials of that partition, for example -ProfileName of a GovCloud or China account) and only its regions.");
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
                throw new ValidationException(ErrorIds.PartitionMismatch,
                    $"-Region {string.Join(", ", outside)} is in the partition {SmtpPassword.PartitionOf(outside[0])}, but the session's region {sessionRegion} is in {session}, "
                    + "where the IAM user and its key would be made; that key has no SMTP password in another partition. Nothing was changed: "
                    + "run New-SesSmtpCredential once per partition, each time with credentials and a region of that partition.");
            return regions;
        }

        /// <summary>An access key id of a long-term IAM user key; temporary (ASIA…) keys are refused.</summary>
        public static string AccessKeyId(string? accessKeyId)
        {
            if (accessKeyId != null && accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
                throw new ValidationException(ErrorIds.TemporaryCredentials,
                    $"-AccessKeyId {accessKeyId} belongs to temporary credentials (STS, SSO or an assumed role), which SES SMTP does not accept. "
                    + "SMTP needs a long-term IAM user access key (AKIA…): create one with New-SesSmtpCredential -UserName <name>.");
            if (accessKeyId == null || !AccessKeyIdPattern.IsMatch(accessKeyId))
                throw new ValidationException(ErrorIds.InvalidAccessKeyId, $"-AccessKeyId '{accessKeyId}' is not an IAM access key id (like AKIAIOSFODNN7EXAMPLE).");
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
            => tags == null ? null : InputRules.Tags(tags);
    }
}
