using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;

namespace OcdsAws.Smtp
{
    /// <summary>
    /// Creates (or reuses) an IAM user that may only send email through SES, gives it a NEW access key on every run and returns
    /// its SES SMTP credentials for each region. Its name was Get-SmtpCredential, kept as an alias: a Get verb hid that each
    /// run makes a key.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SesSmtpCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = UserSet)]
    [Alias("Get-SmtpCredential")]
    [OutputType(typeof(SmtpCredential))]
    public sealed class NewSesSmtpCredentialCommand : OcdsAwsCmdlet
    {
        private const string UserSet = "User";
        private const string KeySet = "AccessKey";

        private IReadOnlyList<string> _regions = Array.Empty<string>();
        private IReadOnlyList<string> _allowedFrom = Array.Empty<string>();
        private IReadOnlyList<KeyValuePair<string, string>>? _tags;
        private string _accessKeyId = "";
        private string _secret = "";

        /// <summary>The IAM user to create or reuse (1-64 characters: letters, digits and + = , . @ _ -).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = UserSet, ValueFromPipelineByPropertyName = true)]
        public string UserName { get; set; } = "";

        /// <summary>
        /// The SES regions to derive SMTP passwords for (they are region-specific). Default: the session's
        /// region. This replaces the common -Region of other cmdlets: its first value also picks the
        /// session, which for global IAM only decides the partition and signing.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public new string[]? Region { get; set; }

        /// <summary>Only these From addresses may be used (policy condition ses:FromAddress, StringLike: *@example.org allows a domain).</summary>
        [Parameter(ParameterSetName = UserSet)]
        public string[]? AllowedFromAddress { get; set; }

        /// <summary>Tags for a user this cmdlet creates, as a hashtable (an existing user keeps its tags).</summary>
        [Parameter(ParameterSetName = UserSet)]
        public Hashtable? Tag { get; set; }

        /// <summary>
        /// Also store each region's SMTP password as an SSM SecureString parameter of this name, in the session's region
        /// ({region} in the name stands for the SMTP region; needed with several regions). An existing SecureString of that
        /// name gets a new version; a parameter of another type is refused before anything changes.
        /// </summary>
        [Parameter(ParameterSetName = UserSet)]
        public string? SsmParameterName { get; set; }

        /// <summary>Skip the confirmation prompt of key creation (never -WhatIf).</summary>
        [Parameter(ParameterSetName = UserSet)]
        public SwitchParameter Force { get; set; }

        /// <summary>An existing IAM user access key id (AKIA…) to derive from, without any AWS call.</summary>
        [Parameter(Mandatory = true, ParameterSetName = KeySet)]
        public string AccessKeyId { get; set; } = "";

        /// <summary>The secret of -AccessKeyId, e.g. from Read-Host -AsSecureString.</summary>
        [Parameter(Mandatory = true, ParameterSetName = KeySet)]
        [SecureStringTransformation]
        public SecureString? SecretAccessKey { get; set; }

        /// <summary>
        /// The secret key of -AccessKey for the AWS session, as in other cmdlets. Redeclared only to drop
        /// its SecretAccessKey alias, which here names the key to derive from.
        /// </summary>
        [Parameter]
        [Alias("SK")]
        public new string? SecretKey
        {
            get => base.SecretKey;
            set => base.SecretKey = value;
        }

        /// <summary>Also put the SMTP password in the SmtpPassword property as plain text.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        /// <inheritdoc />
        /// <summary>The session's region is the first of -Region, known only once ValidateParameters has read them.</summary>
        private protected override bool NeedsSession => false;

        /// <inheritdoc />
        protected override void ValidateParameters()
        {
            if (Region != null)
            {
                _regions = SmtpInput.Regions(Region);
                base.Region = _regions.FirstOrDefault();
            }
            _allowedFrom = SmtpInput.FromAddresses(AllowedFromAddress);
            _tags = SmtpInput.Tags(Tag);
            if (ParameterSetName != KeySet) return;
            _accessKeyId = SmtpInput.AccessKeyId(AccessKeyId);
            _secret = SmtpPassword.Reveal(SecretAccessKey ?? new SecureString());
            Messages.AddSecret(_secret);
            if (_secret.Length == 0) throw new ValidationException(ErrorIds.EmptySecretAccessKey, "-SecretAccessKey is empty.");
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (ParameterSetName == KeySet)
            {
                FromKey();
                return;
            }

            if (!TryRead(() => SmtpInput.UserName(UserName), UserName, out var userName)) return;
            var regions = _regions.Count > 0 ? _regions : new[] { Clients.Session.Region.SystemName };
            if (!InSessionPartition(regions)) return;
            // The parameter names depend on the regions, and the default region on the session: checked here, still before any call.
            if (!TryRead(() => SmtpParameterStore.Names(SsmParameterName, regions, Clients.Session.Region.SystemName), SsmParameterName, out var parameters)) return;
            var service = new SmtpCredentialService(Clients, Messages, Messages.AddSecret);
            ForItem(userName, () =>
            {
                var plan = Run(ct => service.PlanAsync(userName, _allowedFrom, parameters, ct));
                if (!ShouldChange(userName, plan.Describe(regions, _allowedFrom), Force)) return;
                WriteObject(Run(ct => service.ApplyAsync(plan, _tags, regions, AsPlainText, ct)), true);
                // After the credentials: a parameter that could not be written leaves them the only copy of the password.
                foreach (var failure in service.StoreFailures) WriteFailure(failure, userName);
                service.StoreFailures.Clear();
            });
        }

        private void FromKey()
        {
            // The default region comes from the session's resolution (no AWS call is made).
            // No session check here: without an AWS call the key's partition is the regions' own (one, checked in ValidateParameters).
            var regions = _regions.Count > 0 ? _regions : new[] { Clients.Session.Region.SystemName };
            WarnUnconfirmedHosts(regions);
            WriteObject(SmtpCredentialService.Derive(null, _accessKeyId, _secret, regions, AsPlainText, Messages.AddSecret), true);
        }

        /// <summary>Refuses SMTP regions outside the partition where the IAM user and key are made, before any AWS call.</summary>
        private bool InSessionPartition(IReadOnlyList<string> regions)
        {
            if (!TryRead(() => SmtpInput.SessionPartition(regions, Clients.Session.Region.SystemName), string.Join(",", regions), out _)) return false;
            WarnUnconfirmedHosts(regions);
            return true;
        }

        /// <summary>Warns where the SMTP host is only the partition's pattern, not a host AWS documents.</summary>
        private void WarnUnconfirmedHosts(IReadOnlyList<string> regions)
        {
            foreach (var region in regions.Where(r => !SmtpPassword.IsConfirmedHost(r)))
                WriteWarning($"{SmtpPassword.Host(region)} is not confirmed as an SES SMTP endpoint: botocore's endpoint table lists no SES endpoint in {SmtpPassword.PartitionOf(region)}. "
                    + "Check the SES endpoints of that partition before you configure mail clients with it.");
        }
    }
}
