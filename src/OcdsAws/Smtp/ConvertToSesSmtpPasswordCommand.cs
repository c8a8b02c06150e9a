using System.Management.Automation;
using System.Security;

namespace OcdsAws.Smtp
{
    /// <summary>Converts an IAM secret access key into the SES SMTP password for a region.</summary>
    [Cmdlet(VerbsData.ConvertTo, "SesSmtpPassword")]
    [OutputType(typeof(SecureString), typeof(string))]
    public sealed class ConvertToSesSmtpPasswordCommand : OcdsCmdlet
    {
        private string? _secret;
        private string? _firstRegion;

        /// <summary>The IAM user's secret access key, e.g. from Read-Host -AsSecureString.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [SecureStringTransformation]
        public SecureString? SecretAccessKey { get; set; }

        /// <summary>The SES region the password is for (e.g. eu-west-1); several may come from the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; } = "";

        /// <summary>The key's id, checked so that temporary credentials (ASIA…) are refused.</summary>
        [Parameter]
        public string? AccessKeyId { get; set; }

        /// <summary>Return the password as a plain string instead of a SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        /// <inheritdoc />
        protected override void ValidateParameters()
        {
            _secret = SmtpPassword.Reveal(SecretAccessKey ?? new SecureString());
            Messages.AddSecret(_secret);
            if (AccessKeyId != null) SmtpInput.AccessKeyId(AccessKeyId);
            if (_secret.Length == 0) throw new ValidationException(ErrorIds.EmptySecretAccessKey, "-SecretAccessKey is empty.");
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            ForItem(Region, () =>
            {
                var region = SmtpInput.Regions(new[] { Region })[0];
                // One key belongs to one partition: the first region's partition is the key's for the rest of the pipeline.
                _firstRegion ??= region;
                SmtpInput.Regions(new[] { _firstRegion, region });
                var password = SmtpPassword.Derive(_secret!, region);
                Messages.AddSecret(password);
                WriteObject(AsPlainText ? (object)password : SmtpPassword.Protect(password));
            });
        }
    }
}
