using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using OcdsAws.Aws;

namespace OcdsAws.Smtp
{
    /// <summary>One SSM parameter that will receive an SMTP password, as read before anything changes.</summary>
    internal sealed class SmtpParameterTarget
    {
        public SmtpParameterTarget(string smtpRegion, string name, long? existingVersion)
        {
            SmtpRegion = smtpRegion;
            Name = name;
            ExistingVersion = existingVersion;
        }

        /// <summary>The SES region whose SMTP password goes into this parameter.</summary>
        public string SmtpRegion { get; }

        public string Name { get; }

        /// <summary>The version of the SecureString already there (it will be replaced), or null when there is none.</summary>
        public long? ExistingVersion { get; }
    }

    /// <summary>
    /// Hands SMTP passwords to applications through SSM Parameter Store as SecureString parameters (encrypted with the
    /// account's aws/ssm KMS key), in the session's region: an application reads one with GetParameter -WithDecryption.
    /// SSM is an SDK client here (AWSSDK.SimpleSystemsManagement); Secrets Manager has no SDK package on this build's
    /// registry and is not offered.
    /// </summary>
    internal sealed class SmtpParameterStore
    {
        /// <summary>Type values of SSM parameters (botocore ssm 2014-11-06 model, ParameterType: String, StringList, SecureString).</summary>
        public const string SecureString = "SecureString";

        private readonly AmazonSimpleSystemsManagementClient _ssm;

        public SmtpParameterStore(AwsClientFactory clients)
        {
            _ssm = clients.Ssm;
            Region = clients.Session.Region.SystemName;
        }

        /// <summary>Where the parameters are: the session's region.</summary>
        public string Region { get; }

        /// <summary>
        /// Reads each parameter (GetParameter without decryption: only its type and version matter). A parameter of another
        /// type is refused before anything changes: it holds something else, and PutParameter with Overwrite would also
        /// change its type.
        /// </summary>
        public async Task<IReadOnlyList<SmtpParameterTarget>> PlanAsync(IReadOnlyList<(string SmtpRegion, string Name)> parameters, CancellationToken ct)
        {
            var targets = new List<SmtpParameterTarget>();
            foreach (var (smtpRegion, name) in parameters)
            {
                Parameter? existing = null;
                try
                {
                    existing = (await _ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = false }, ct).ConfigureAwait(false)).Parameter;
                }
                catch (ParameterNotFoundException)
                {
                }
                if (existing != null && existing.Type?.Value != SecureString)
                    throw new OcdsAwsException(ErrorIds.SsmParameterNotSecureString,
                        $"The SSM parameter {name} in {Region} already exists as a {existing.Type?.Value} parameter, so no SMTP password was stored there and nothing was changed "
                        + "(no IAM user or key was created). Choose another -SsmParameterName, or delete that parameter first if it is no longer used (Remove-SSMParameter -Name "
                        + name + ").", System.Management.Automation.ErrorCategory.ResourceExists);
                targets.Add(new SmtpParameterTarget(smtpRegion, name, existing?.Version));
            }
            return targets;
        }

        /// <summary>Writes one SMTP password as a SecureString; a parameter already there (a SecureString, checked by the plan) gets a new version.</summary>
        public Task StoreAsync(SmtpParameterTarget target, SmtpCredential credential, string password, CancellationToken ct)
            => _ssm.PutParameterAsync(new PutParameterRequest
            {
                Name = target.Name,
                Value = password,
                Type = ParameterType.SecureString,
                // PutParameter's Overwrite: false (the default) refuses an existing name with ParameterAlreadyExists (botocore ssm model).
                // True also makes a retry after a lost answer harmless: it writes the same value again.
                Overwrite = true,
                Description = $"SES SMTP password for {credential.Region} ({credential.SmtpHost}); SMTP user name {credential.AccessKeyId}"
                    + (credential.UserName == null ? "" : $" (IAM user {credential.UserName})") + ". Written by OcdsAws New-SesSmtpCredential.",
            }, ct);

        /// <summary>
        /// The parameter name for each SMTP region: -SsmParameterName with {region} replaced. Checked before any AWS call against
        /// the naming rules of PutParameter's Name (botocore ssm 2014-11-06 model, PutParameterRequest.Name): only a-zA-Z0-9_.- and
        /// / for hierarchies, no spaces, not prefixed with "aws" or "ssm" (case-insensitive), at most fifteen levels, and at most
        /// 1011 characters counting the ARN before the name (arn:&lt;partition&gt;:ssm:&lt;region&gt;:&lt;account&gt;:parameter/).
        /// Not confirmed here: whether a leading slash exempts a name from the aws/ssm prefix rule; this refuses /aws… and /ssm…
        /// too (AWS's own public parameters live under /aws/).
        /// </summary>
        public static IReadOnlyList<(string SmtpRegion, string Name)> Names(string? template, IReadOnlyList<string> smtpRegions, string ssmRegion)
        {
            if (template == null) return Array.Empty<(string, string)>();
            if (smtpRegions.Count > 1 && template.IndexOf(RegionPlaceholder, StringComparison.Ordinal) < 0)
                throw Invalid(template, $"names one parameter, but -Region gives {smtpRegions.Count} regions and each has its own SMTP password: "
                    + $"put {RegionPlaceholder} in the name, for example /smtp/ses-smtp-example/{RegionPlaceholder}.");
            var names = smtpRegions.Select(r => (r, template.Replace(RegionPlaceholder, r))).ToList();
            foreach (var (_, name) in names)
            {
                if (!NamePattern.IsMatch(name))
                    throw Invalid(name, "is not an SSM parameter name: use letters, digits and _ . - with / between levels, no spaces (for example /smtp/ses-smtp-example).");
                var bare = name.TrimStart('/');
                if (bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
                    throw Invalid(name, "begins with aws or ssm, which SSM reserves: choose another name, for example /smtp/ses-smtp-example.");
                if (name.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Length > MaxLevels)
                    throw Invalid(name, $"has more than {MaxLevels} levels, the most SSM allows.");
                var arnPrefix = $"arn:{AwsPartitions.Of(ssmRegion)}:ssm:{ssmRegion}:111122223333:parameter/".Length;
                if (arnPrefix + bare.Length > MaxNameWithArn)
                    throw Invalid(name, string.Format(CultureInfo.InvariantCulture, "is too long: SSM allows {0} characters in {1}.", MaxNameWithArn - arnPrefix, ssmRegion));
            }
            return names;
        }

        /// <summary>Stands for each SMTP region in -SsmParameterName.</summary>
        public const string RegionPlaceholder = "{region}";

        private const int MaxLevels = 15;
        private const int MaxNameWithArn = 1011;
        private static readonly Regex NamePattern = new Regex("^[A-Za-z0-9_.\\-/]+$", RegexOptions.CultureInvariant);

        private static ValidationException Invalid(string name, string what)
            => new ValidationException(ErrorIds.InvalidSsmParameterName, $"-SsmParameterName '{name}' {what} Nothing was changed.");
    }
}
