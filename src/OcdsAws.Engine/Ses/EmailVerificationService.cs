using System;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>The runbook's "Verify an email address": the identity, and the capture when no mailbox exists.</summary>
    internal sealed class EmailVerificationService
    {
        public const int WaitActivityId = 4203;
        private static readonly Regex VerificationHost = new Regex(@"^email-verification\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\z", RegexOptions.CultureInvariant);

        /// <summary>How links are fetched; tests route AWS's host to a loopback server.</summary>
        internal static Func<HttpMessageHandler> LinkHandlerFactory { get; set; } = () => new HttpClientHandler();

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
            => Describe(await _ses.GetEmailIdentityAsync(address, ct).ConfigureAwait(false), null);

        public Task<SesEmailVerification> WaitAsync(string address, TimeSpan timeout, IClock clock, CancellationToken ct)
            => Poller.UntilAsync<SesEmailVerification>(async token =>
            {
                var state = await _ses.GetEmailIdentityAsync(address, token).ConfigureAwait(false);
                if (state.VerificationStatus == "FAILED")
                    throw new OcdsAwsException("EmailVerificationFailed", $"SES reports the verification of {address} failed: run New-SesEmailVerification again for a new mail.",
                        System.Management.Automation.ErrorCategory.InvalidResult);
                return (state.VerifiedForSending, $"verification {state.VerificationStatus ?? "?"}", Describe(state, null));
            }, timeout, clock, _reporter, WaitActivityId, $"Waiting for {address} to be verified in {_region}", ct);

        /// <summary>Refuses anything but an https link on AWS's email-verification host (before any request).</summary>
        public static Uri ValidateLink(string link)
        {
            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri))
                throw new ValidationException("InvalidVerificationLink", $"'{link}' is not a link.");
            if (uri.Scheme != Uri.UriSchemeHttps)
                throw new ValidationException("InvalidVerificationLink", $"Only https links are followed, not {uri.Scheme}: '{link}'.");
            if (!VerificationHost.IsMatch(uri.Host) || !uri.IsDefaultPort || !string.IsNullOrEmpty(uri.UserInfo))
                throw new ValidationException("InvalidVerificationLink", $"Only AWS's email-verification hosts (email-verification.<region>.amazonaws.com) are followed, not {uri.Authority}.");
            return uri;
        }

        /// <summary>Follows the link as a browser click does (GET, redirects followed), then reads the identity's status.</summary>
        public async Task<SesEmailVerification?> ConfirmAsync(Uri link, string? address, CancellationToken ct)
        {
            using (var http = new HttpClient(LinkHandlerFactory()) { Timeout = TimeSpan.FromSeconds(30) })
            using (var response = await http.GetAsync(link, ct).ConfigureAwait(false))
            {
                _reporter.Verbose($"GET {link.GetLeftPart(UriPartial.Path)} -> HTTP {(int)response.StatusCode}");
                if (!response.IsSuccessStatusCode)
                    throw new OcdsAwsException("VerificationLinkRefused", $"AWS answered HTTP {(int)response.StatusCode} for the verification link: it may have expired (links last 24 hours). Run New-SesEmailVerification again.",
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
