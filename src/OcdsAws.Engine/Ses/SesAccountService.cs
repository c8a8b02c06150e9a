using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>The runbook's one-off account steps: sandbox, suppression list, MAIL FROM.</summary>
    internal sealed class SesAccountService
    {
        private readonly SesV2Api _ses;
        private readonly IOperationReporter _reporter;
        private readonly string _region;

        public SesAccountService(AwsClientFactory clients, IOperationReporter reporter)
        {
            _ses = new SesV2Api(clients.Get(AwsService.SesV2));
            _reporter = reporter;
            _region = clients.Session.Region.SystemName;
        }

        public async Task<SesAccount> GetAsync(CancellationToken ct) => new SesAccount(_region, await _ses.GetAccountAsync(ct).ConfigureAwait(false));

        /// <summary>Asks AWS to move the account out of the sandbox, unless it already is.</summary>
        public async Task<SesAccount> RequestProductionAccessAsync(string mailType, string websiteUrl, string useCase,
            IReadOnlyList<string>? contacts, string? language, CancellationToken ct)
        {
            var account = await _ses.GetAccountAsync(ct).ConfigureAwait(false);
            // GetAccount's Details.ReviewDetails.Status is PENDING, GRANTED, DENIED or FAILED (botocore sesv2 model,
            // ReviewDetails); GRANTED: "your production access has been granted".
            if (account.ProductionAccessEnabled || account.ReviewStatus == "GRANTED")
            {
                _reporter.Warning($"The SES account already has production access in {_region}: nothing was requested.");
                return new SesAccount(_region, account);
            }
            // While a review is PENDING, PutAccountDetails answers ConflictException (HTTP 409): "If there is already an
            // ongoing account details update under review" (botocore sesv2 model, PutAccountDetails errors). Asking again
            // cannot help, so say so and change nothing. DENIED and FAILED may be asked again (ReviewDetails: FAILED "You
            // can submit your appeal again").
            if (account.ReviewStatus == "PENDING")
            {
                _reporter.Warning($"The SES production access request in {_region} is already under review (status PENDING"
                    + (account.ReviewCaseId != null ? $", AWS Support case {account.ReviewCaseId}" : "")
                    + "): nothing was requested. Wait for AWS's answer (Get-SesAccount shows ReviewStatus), or answer the case in the AWS Support Center.");
                return new SesAccount(_region, account);
            }
            try
            {
                await _ses.PutAccountDetailsAsync(mailType, websiteUrl, useCase, contacts, language, true, ct).ConfigureAwait(false);
            }
            catch (Amazon.Runtime.AmazonServiceException e) when (e.ErrorCode == "ConflictException")
            {
                // The SDK retries a request whose answer was lost (HTTP 500, a reset connection); if the first attempt
                // reached SES, the retry finds the review it opened and gets ConflictException. The request is in: say so.
                var now = await _ses.GetAccountAsync(ct).ConfigureAwait(false);
                if (now.ReviewStatus != "PENDING") throw;
                _reporter.Warning($"The SES production access request in {_region} is under review (status PENDING"
                    + (now.ReviewCaseId != null ? $", AWS Support case {now.ReviewCaseId}" : "")
                    + "): AWS answered that a review is already open, opened by this request's own first attempt (its answer was lost) or by another one. Nothing more was requested.");
                return new SesAccount(_region, now);
            }
            return await GetAsync(ct).ConfigureAwait(false);
        }

        /// <summary>Sets the account-level suppression reasons; does nothing when they already are those.</summary>
        public async Task<SesAccount> SetSuppressionAsync(IReadOnlyList<string> reasons, CancellationToken ct)
        {
            var account = await _ses.GetAccountAsync(ct).ConfigureAwait(false);
            if (account.SuppressedReasons.OrderBy(r => r).SequenceEqual(reasons.OrderBy(r => r)))
            {
                _reporter.Verbose($"The account-level suppression list in {_region} already suppresses [{string.Join(", ", reasons)}]: nothing to change.");
                return new SesAccount(_region, account);
            }
            await _ses.PutAccountSuppressionAttributesAsync(reasons, ct).ConfigureAwait(false);
            return await GetAsync(ct).ConfigureAwait(false);
        }

        /// <summary>Sets the custom MAIL FROM domain and returns the MX and SPF records it needs.</summary>
        public async Task<IReadOnlyList<DnsRecord>> SetMailFromAsync(string domain, string mailFrom, string behavior, DnsResolver dns, CancellationToken ct)
        {
            string zone;
            try
            {
                zone = await dns.FindZoneAsync(mailFrom, ct).ConfigureAwait(false) ?? domain;
            }
            catch (DnsUnavailableException e)
            {
                _reporter.Warning($"DNS could not be reached ({e.Message}): host labels are given relative to {domain}.");
                zone = domain;
            }
            var mx = await dns.QueryAsync(mailFrom, "MX", ct).ConfigureAwait(false);
            var feedback = SesFacts.FeedbackMxHost(_region);
            // Any region's SES feedback host is SES's, not a mailbox: one MAIL FROM MX may serve the identity in several regions.
            var mxRecords = mx.Answers.Where(a => a.Type == "MX").ToList();
            var receiving = mxRecords.Where(a => !SesFacts.IsFeedbackMxHost(a.Value, out _)).ToList();
            if (receiving.Count > 0)
                throw new ValidationException(ErrorIds.MailFromReceivesMail,
                    $"{mailFrom} already receives mail (MX {string.Join(", ", receiving.Select(a => a.Value))}). A MAIL FROM domain must be used only by SES: choose another subdomain, such as bounce.{domain}.");
            var mxPurpose = "MAIL FROM: bounces and complaints come back to SES";
            var mxPriority = 10;
            if (mxRecords.Count > 1)
                _reporter.Warning($"{mailFrom} has {mxRecords.Count} MX records ({string.Join(", ", mxRecords.Select(a => a.Value.TrimEnd('.')))}); SES needs exactly one on a MAIL FROM domain, "
                    + "else its MAIL FROM setup fails (SES Developer Guide, \"Using a custom MAIL FROM domain\"): keep one and delete the others.");
            else if (mxRecords.Count == 1 && SesFacts.IsFeedbackMxHost(mxRecords[0].Value, out var mxRegion) && mxRegion != _region)
            {
                // Keep the MX that is there: replacing it would take it away from the region it was set up for.
                feedback = mxRecords[0].Value.TrimEnd('.').ToLowerInvariant();
                mxPriority = mxRecords[0].Priority ?? 10;
                mxPurpose = $"MAIL FROM: bounces and complaints come back to SES (this MX, set up for {mxRegion}, serves {_region} too: keep it)";
                _reporter.Verbose($"{mailFrom} already has MX {feedback} (SES in {mxRegion}): kept for {_region} as well, since a MAIL FROM domain can hold only one MX record.");
            }

            var state = await _ses.GetEmailIdentityAsync(domain, ct).ConfigureAwait(false);
            if (string.Equals(state.MailFromDomain, mailFrom, StringComparison.OrdinalIgnoreCase) && state.BehaviorOnMxFailure == behavior)
                _reporter.Verbose($"{domain} already uses MAIL FROM {mailFrom} ({behavior}): nothing to change.");
            else
                await _ses.PutEmailIdentityMailFromAttributesAsync(domain, mailFrom, behavior, ct).ConfigureAwait(false);

            var txt = await dns.QueryAsync(mailFrom, "TXT", ct).ConfigureAwait(false);
            var records = new List<DnsRecord>
            {
                SesDomainService.Compare(SesDomainService.Record(zone, mailFrom, "MX", feedback, mxPriority, mxPurpose), mx, "MX"),
                SesDomainService.Compare(SesDomainService.Record(zone, mailFrom, "TXT", SesFacts.MailFromSpf, null, "MAIL FROM SPF: aligns SPF with the From domain"), txt, "TXT"),
            };
            return records;
        }
    }
}
