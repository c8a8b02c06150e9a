using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>The runbook's "Verify an email address": the identity, and the capture when no mailbox exists.</summary>
    internal sealed class EmailVerificationService
    {
        public const int WaitActivityId = 4203;

        /// <summary>How links are fetched; tests route AWS's host to a loopback server.</summary>
        /// <remarks>
        /// AsyncLocal, not a plain static: a value set by one test flows only into what that test starts (its runspace's
        /// thread and tasks), so tests running in parallel never see each other's route. Null: the real network.
        /// </remarks>
        internal static readonly AsyncLocal<Func<HttpMessageHandler>?> LinkHandlerFactory = new AsyncLocal<Func<HttpMessageHandler>?>();

        private readonly AwsClientFactory _clients;
        private readonly SesV2Api _ses;
        private readonly IOperationReporter _reporter;
        private readonly string _region;

        public EmailVerificationService(AwsClientFactory clients, IOperationReporter reporter)
        {
            _clients = clients;
            _ses = new SesV2Api(clients.Get(AwsService.SesV2));
            _reporter = reporter;
            _region = clients.Session.Region.SystemName;
        }

        /// <summary>Whether to capture: Auto asks DNS whether the address's domain has an MX record.</summary>
        public async Task<bool> NeedsCaptureAsync(string address, CaptureMode mode, DnsResolver dns, CancellationToken ct)
        {
            if (mode != CaptureMode.Auto) return mode == CaptureMode.Always;
            var domain = address.Substring(address.IndexOf('@') + 1);
            var mx = await dns.QueryAsync(domain, "MX", ct).ConfigureAwait(false);
            if (!mx.Reachable)
            {
                _reporter.Warning($"DNS could not be reached for {domain} ({mx.Error}): not capturing. Use -Capture Always if {domain} has no MX record.");
                return false;
            }
            var hosts = mx.Answers.Where(a => a.Type == "MX").Select(a => a.Value.TrimEnd('.')).ToList();
            // An MX that points only at SES receiving (added for this very purpose) is no mailbox: SES keeps
            // the mail only if a receipt rule says where.
            if (hosts.Count > 0 && hosts.All(h => h.StartsWith("inbound-smtp.", StringComparison.OrdinalIgnoreCase) && h.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)))
            {
                _reporter.Verbose($"{domain}'s MX points only at SES receiving ({string.Join(", ", hosts)}): capturing the verification mail in S3.");
                return true;
            }
            _reporter.Verbose(hosts.Count > 0 ? $"{domain} has an MX record: read the verification mail in the inbox." : $"{domain} has no MX record: capturing the verification mail in S3.");
            return hosts.Count == 0;
        }

        /// <summary>The capture's plan when one is needed (refusing, before any change, a domain SES will not receive for).</summary>
        public Task<CapturePlan> PlanCaptureAsync(string address, string? bucketName, CancellationToken ct)
            => new ReceiptCaptureService(_clients, _reporter).PlanAsync(address, bucketName, ct);

        public async Task<SesEmailVerification> CreateAsync(string address, CapturePlan? capture, CancellationToken ct)
        {
            ReceiptCapture? captured = null;
            // The capture must exist before SES sends the mail.
            if (capture != null) captured = await new ReceiptCaptureService(_clients, _reporter).CreateAsync(capture, ct).ConfigureAwait(false);
            EmailIdentityState state;
            try
            {
                state = await _ses.CreateEmailIdentityAsync(address, null, null, null, ct).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "AlreadyExistsException")
            {
                _reporter.Verbose($"{address} is already an SES identity in {_region}: not sending another verification mail.");
                state = await _ses.GetEmailIdentityAsync(address, ct).ConfigureAwait(false);
            }
            return Describe(state, captured);
        }

        public async Task<SesEmailVerification> GetAsync(string address, CancellationToken ct)
        {
            try
            {
                return Describe(await _ses.GetEmailIdentityAsync(address, ct).ConfigureAwait(false), null);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "NotFoundException")
            {
                await SesIdentities.NoteOtherRegionsAsync(_clients, address, e, ct).ConfigureAwait(false);
                throw;
            }
        }

        public Task<SesEmailVerification> WaitAsync(string address, TimeSpan timeout, IClock clock, CancellationToken ct)
            => Poller.UntilAsync<SesEmailVerification>(async token =>
            {
                var state = await _ses.GetEmailIdentityAsync(address, token).ConfigureAwait(false);
                if (state.VerificationStatus == "FAILED")
                    throw new OcdsAwsException(ErrorIds.EmailVerificationFailed, $"SES reports the verification of {address} failed: run New-SesEmailVerification again for a new mail.",
                        System.Management.Automation.ErrorCategory.InvalidResult);
                return (state.VerifiedForSending, $"verification {state.VerificationStatus ?? "?"}", Describe(state, null));
            }, timeout, clock, _reporter, WaitActivityId, $"Waiting for {address} to be verified in {_region}", ct,
                $"The address is verified once someone opens the link SES mailed to it: find it with Get-SesVerificationLink {address} -Wait and open it with Confirm-SesEmailVerification, then run Wait-SesEmailVerification again.");

        /// <summary>
        /// Refuses anything but an https link on an SES verification host of the session's partition (before any request):
        /// email-verification.&lt;region&gt;.&lt;the partition's DNS suffix&gt;, where &lt;region&gt; is a region name of that
        /// partition. A looser "one label" check also let S3 hosts through (a bucket named email-verification:
        /// email-verification.s3.amazonaws.com, email-verification.s3-website-us-east-1.amazonaws.com), whose content anyone
        /// can publish (issue #16 item 7).
        /// </summary>
        public static Uri ValidateLink(string link, string sessionRegion)
        {
            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri))
                throw new ValidationException(ErrorIds.InvalidVerificationLink, $"'{link}' is not a link.");
            if (uri.Scheme != Uri.UriSchemeHttps)
                throw new ValidationException(ErrorIds.InvalidVerificationLink, $"Only https links are followed, not {uri.Scheme}: '{link}'.");
            var partition = Fn.Partition(sessionRegion);
            if (!IsVerificationHost(uri.Host, partition.name, partition.dnsSuffix) || !uri.IsDefaultPort || !string.IsNullOrEmpty(uri.UserInfo))
                throw new ValidationException(ErrorIds.InvalidVerificationLink,
                    $"Only AWS's email-verification hosts of the {partition.name} partition (email-verification.<region>.{partition.dnsSuffix}) are followed, not {uri.Authority}. "
                    + "Copy the link from the verification mail itself (Get-SesVerificationLink reads it).");
            return uri;
        }

        /// <summary>
        /// email-verification.&lt;region&gt;.&lt;dnsSuffix&gt; with a region name (SmtpPassword.IsRegionName) whose partition (Core's
        /// partition data, the same as botocore's partitions.json: regionRegex, dnsSuffix) is <paramref name="partition"/>.
        /// Not confirmed here: an AWS page naming the verification link's host; the form is that of the links SES's
        /// verification mails carry as this module has read them (ReceiptCaptureService.LinkPattern).
        /// </summary>
        private static bool IsVerificationHost(string host, string partition, string dnsSuffix)
        {
            const string Prefix = "email-verification.";
            var suffix = "." + dnsSuffix;
            host = host.ToLowerInvariant();
            if (!host.StartsWith(Prefix, StringComparison.Ordinal) || !host.EndsWith(suffix, StringComparison.Ordinal)) return false;
            var region = host.Substring(Prefix.Length, Math.Max(0, host.Length - Prefix.Length - suffix.Length));
            return OcdsAws.Smtp.SmtpPassword.IsRegionName(region) && Fn.Partition(region).name == partition;
        }

        /// <summary>Follows the link as a browser click does (GET, redirects followed), then reads the identity's status.</summary>
        public async Task<SesEmailVerification?> ConfirmAsync(Uri link, string? address, CancellationToken ct)
        {
            using (var http = new HttpClient(LinkHandlerFactory.Value?.Invoke() ?? new HttpClientHandler()) { Timeout = TimeSpan.FromSeconds(30) })
            using (var response = await http.GetAsync(link, ct).ConfigureAwait(false))
            {
                _reporter.Verbose($"GET {link.GetLeftPart(UriPartial.Path)} -> HTTP {(int)response.StatusCode}");
                if (!response.IsSuccessStatusCode)
                    throw new OcdsAwsException(ErrorIds.VerificationLinkRefused, $"AWS answered HTTP {(int)response.StatusCode} for the verification link: it may have expired (links last 24 hours). Run New-SesEmailVerification again.",
                        System.Management.Automation.ErrorCategory.InvalidResult);
            }
            return address == null ? null : await GetAsync(address, ct).ConfigureAwait(false);
        }

        private SesEmailVerification Describe(EmailIdentityState state, ReceiptCapture? capture) => new SesEmailVerification
        {
            EmailIdentity = state.Identity,
            EmailAddress = state.Identity,
            Region = _region,
            VerifiedForSending = state.VerifiedForSending,
            VerificationStatus = state.VerificationStatus,
            Capture = capture,
            DnsRecords = capture?.DnsRecords ?? Array.Empty<DnsRecord>(),
        };
    }
}
