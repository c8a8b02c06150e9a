using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Ses;

namespace OcdsAws.Deliverability
{
    /// <summary>A test message, checked and completed before any AWS call.</summary>
    internal sealed class SesTestEmailRequest
    {
        public SesTestEmailRequest(string from, IReadOnlyList<string> to, string subject, string body, string? configurationSetName)
        {
            From = from;
            To = to;
            Subject = subject;
            Body = body;
            ConfigurationSetName = configurationSetName;
        }

        public string From { get; }

        public IReadOnlyList<string> To { get; }

        public string Subject { get; }

        public string Body { get; }

        public string? ConfigurationSetName { get; }
    }

    /// <summary>The runbook's "send the email using SES" before Test-DmarcCompliance: one SESv2 SendEmail.</summary>
    internal sealed class SesTestEmailService
    {
        /// <summary>
        /// "The message may not include more than 50 recipients, across the To:, CC: and BCC: fields" (botocore's ses model,
        /// SendEmail; the SESv2 model's SendEmail does not restate it, not confirmed here that v2's limit differs).
        /// </summary>
        public const int MaxRecipients = 50;

        private readonly SesV2Api _ses;
        private readonly string _region;

        public SesTestEmailService(AwsClientFactory clients)
        {
            _ses = new SesV2Api(clients.Get(AwsService.SesV2));
            _region = clients.Session.Region.SystemName;
        }

        /// <summary>
        /// Checks the addresses (a display name is allowed: SES takes "Name &lt;address&gt;") and fills in the subject and
        /// body: the subject carries the UTC time, so the message is easy to find in the mailbox.
        /// </summary>
        public static SesTestEmailRequest Prepare(string? from, IEnumerable<string>? to, string? subject, string? body, string? configurationSetName, DateTime utcNow)
        {
            var sender = EmailAddress.ParseMailbox(from, "-From");
            var recipients = (to ?? Enumerable.Empty<string>()).Select(t => EmailAddress.ParseMailbox(t, "-To")).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (recipients.Count == 0) throw new ValidationException(ErrorIds.InvalidEmailAddress, "-To is empty. Give at least one recipient.");
            if (recipients.Count > MaxRecipients)
                throw new ValidationException(ErrorIds.TooManyRecipients, $"-To has {recipients.Count} addresses; SES takes at most {MaxRecipients} per message.");
            // The subject becomes a header: a CR or LF would end it and start a header of the sender's choosing, a NUL cut it
            // (RFC 5322 §2.2: a field body is printable characters and white space; CRLF only to fold, §2.2.3).
            if (subject != null && subject.Any(c => char.IsControl(c) && c != '\t'))
                throw new ValidationException(ErrorIds.InvalidSubject,
                    $"-Subject '{EmailAddress.Display(subject)}' contains the control character U+{(int)subject.First(c => char.IsControl(c) && c != '\t'):X4}; a subject is one line of text without CR, LF or NUL.");
            var now = utcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            return new SesTestEmailRequest(sender, recipients, subject ?? "OcdsAws test email " + now,
                body ?? $"This is a test message sent through Amazon SES by OcdsAws ({now}) to check delivery, DKIM and DMARC.",
                configurationSetName?.Trim());
        }

        /// <summary>What -WhatIf and -Confirm say.</summary>
        public string Describe(SesTestEmailRequest request) => $"Send the email '{request.Subject}' from {request.From} through SES in {_region}";

        public async Task<SesTestEmail> SendAsync(SesTestEmailRequest request, CancellationToken ct)
        {
            var id = await _ses.SendEmailAsync(request.From, request.To, request.Subject, request.Body, request.ConfigurationSetName, ct).ConfigureAwait(false);
            return new SesTestEmail(id, request.From, request.To, request.Subject, _region, request.ConfigurationSetName);
        }
    }
}
