using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using MimeKit;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;

namespace OcdsAws.Deliverability
{
    /// <summary>Sends a test email through SES (SESv2 SendEmail) and outputs its message id.</summary>
    [Cmdlet(VerbsCommunications.Send, "SesTestEmail", SupportsShouldProcess = true)]
    [OutputType(typeof(SesTestEmail))]
    public sealed class SendSesTestEmailCommand : OcdsAwsCmdlet
    {
        /// <summary>The sender: an address of a verified domain or a verified address.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string From { get; set; } = "";

        /// <summary>The recipients (at most 50).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public string[] To { get; set; } = Array.Empty<string>();

        /// <summary>The subject. Default: "OcdsAws test email" and the UTC time.</summary>
        [Parameter]
        public string? Subject { get; set; }

        /// <summary>The text body. Default: a line saying what the message is for.</summary>
        [Parameter]
        public string? Body { get; set; }

        /// <summary>A configuration set (event publishing, dedicated IPs) to send with.</summary>
        [Parameter]
        [ValidatePattern("^[A-Za-z0-9_-]{1,64}$")]
        public string? ConfigurationSetName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string from;
            List<string> to;
            try
            {
                from = Address(From, "-From");
                to = To.Select(t => Address(t, "-To")).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (to.Count == 0) throw new ValidationException("InvalidEmailAddress", "-To is empty. Give at least one recipient.");
                if (to.Count > 50) throw new ValidationException("TooManyRecipients", $"-To has {to.Count} addresses; SES takes at most 50 per message.");
            }
            catch (ValidationException e)
            {
                Fail(e, From);
                return;
            }

            var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            var subject = Subject ?? "OcdsAws test email " + now;
            var body = Body ?? $"This is a test message sent through Amazon SES by OcdsAws ({now}) to check delivery, DKIM and DMARC.";
            var region = Clients.Session.Region.SystemName;
            if (!ShouldProcess(string.Join(", ", to), $"Send the email '{subject}' from {from} through SES in {region}")) return;
            var ses = new SesV2Api(Clients.Get(AwsService.SesV2));
            var configurationSet = ConfigurationSetName?.Trim();
            ForItem(from, () =>
            {
                var id = Run(ct => ses.SendEmailAsync(from, to, subject, body, configurationSet, ct));
                WriteObject(new SesTestEmail(id, from, to, subject, region, configurationSet));
            });
        }

        // One plain address (no display name lists): SES would refuse anything else after the call.
        private static string Address(string? text, string what)
        {
            var t = (text ?? "").Trim();
            if (MailboxAddress.TryParse(t, out var mailbox) && mailbox.Address.IndexOf('@') > 0 && !mailbox.Address.EndsWith("@", StringComparison.Ordinal)
                && mailbox.Address.Substring(mailbox.Address.LastIndexOf('@') + 1).Contains(".") && OcdsAws.Ses.EmailAddress.IsValid(mailbox.Address))
                return t;
            throw new ValidationException("InvalidEmailAddress", $"{what} '{text}' is not an email address such as data@example.org.");
        }
    }
}
