using System.Management.Automation;

namespace OcdsAws.Smtp
{
    /// <summary>
    /// SES SMTP credentials for one region: where to connect and what to log in with. The password
    /// travels in <see cref="Credential"/> as a SecureString; <see cref="SmtpPassword"/> holds it as
    /// plain text only when -AsPlainText was given.
    /// </summary>
    public sealed class SmtpCredential
    {
        internal SmtpCredential(string? userName, string accessKeyId, string region, string smtpPassword, bool asPlainText)
        {
            UserName = userName;
            AccessKeyId = accessKeyId;
            Region = region;
            SmtpHost = OcdsAws.Smtp.SmtpPassword.Host(region);
            Credential = new PSCredential(accessKeyId, OcdsAws.Smtp.SmtpPassword.Protect(smtpPassword));
            SmtpPassword = asPlainText ? smtpPassword : null;
        }

        // What a mail client asks for comes first (PowerShell lists properties in declaration order): user name, host, port.

        /// <summary>The SMTP user name: the IAM access key id (https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html).</summary>
        public string SmtpUserName => AccessKeyId;

        /// <summary>The SES SMTP endpoint, email-smtp.&lt;region&gt;.amazonaws.com.</summary>
        public string SmtpHost { get; }

        /// <summary>The STARTTLS port (25 and 2587 work too).</summary>
        public int Port => 587;

        /// <summary>The implicit-TLS port (2465 works too).</summary>
        public int TlsPort => 465;

        /// <summary>The SES region the password works in (SMTP passwords are region-specific).</summary>
        public string Region { get; }

        /// <summary>The IAM user that owns the access key (null when derived from a given key without IAM).</summary>
        public string? UserName { get; }

        /// <summary>The IAM access key id, which is also the SMTP user name.</summary>
        public string AccessKeyId { get; }

        /// <summary>The SSM SecureString parameter that holds the SMTP password (-SsmParameterName); null when none was written.</summary>
        public string? SsmParameterName { get; internal set; }

        /// <summary>The region of <see cref="SsmParameterName"/>: the session's region.</summary>
        public string? SsmParameterRegion { get; internal set; }

        /// <summary>The SMTP login: user name = access key id, password = SMTP password as a SecureString.</summary>
        public PSCredential Credential { get; }

        /// <summary>The SMTP password as plain text; null unless -AsPlainText was given.</summary>
        public string? SmtpPassword { get; }

        /// <summary>Where to connect and as whom; never the password.</summary>
        public override string ToString() => $"{AccessKeyId}@{SmtpHost}:{Port}";
    }
}
