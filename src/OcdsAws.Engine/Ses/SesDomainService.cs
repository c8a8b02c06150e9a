using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Dns;

namespace OcdsAws.Ses
{
    /// <summary>The runbook's "Verify a domain": the SES identity with Easy DKIM and the records for the DNS host.</summary>
    internal sealed class SesDomainService
    {
        public const int WaitActivityId = 4201;

        private readonly SesV2Api _ses;
        private readonly AwsClientFactory _clients;
        private readonly DnsResolver _dns;
        private readonly IOperationReporter _reporter;
        private readonly string _region;

        private readonly SessionNotices _notices;

        /// <param name="clients">The session's AWS clients.</param>
        /// <param name="dns">Where DNS questions go.</param>
        /// <param name="reporter">Receives warnings and progress.</param>
        /// <param name="notices">What this PowerShell session was already told; null: a fresh memory (every warning given).</param>
        public SesDomainService(AwsClientFactory clients, DnsResolver dns, IOperationReporter reporter, SessionNotices? notices = null)
        {
            _clients = clients;
            _ses = new SesV2Api(clients.Get(AwsService.SesV2));
            _dns = dns;
            _reporter = reporter;
            _region = clients.Session.Region.SystemName;
            _notices = notices ?? new SessionNotices();
        }

        /// <summary>Where the proposed DMARC record asks receivers to send aggregate reports (rua); none: no reports.</summary>
        public IReadOnlyList<string> DmarcReportAddresses { get; set; } = Array.Empty<string>();

        /// <summary>What the DNS says before anything changes: decides the MX question before any AWS call.</summary>
        public async Task<DomainDnsFacts> ReadDnsAsync(string domain, InboundMxMode inboundMx, CancellationToken ct)
        {
            var zone = await FindZoneAsync(domain, ct).ConfigureAwait(false);
            var mx = await _dns.QueryAsync(domain, "MX", ct).ConfigureAwait(false);
            if (!mx.Reachable) _reporter.Warning($"DNS could not be reached for {domain} ({mx.Error}); records are proposed without checking what exists.");
            // A domain that does not exist (NXDOMAIN) and has no zone of its own (none found, or only the top-level domain's) is
            // most often a typo: SES would wait for records that nobody can publish. Said now, not only at Test-DnsRecord.
            if (mx.Reachable && !mx.NameExists && (string.Equals(zone, domain, StringComparison.OrdinalIgnoreCase) || zone.IndexOf('.') < 0))
                _reporter.Warning($"{domain} does not exist in DNS ({(string.Equals(zone, domain, StringComparison.OrdinalIgnoreCase) ? "no zone holds it" : $"the nearest zone is the top-level domain {zone}")}): "
                    + "check the spelling. If the domain is new, register it and create its zone at your DNS host: SES verifies it only once the records below are published there.");
            var hasMx = mx.Reachable && mx.Answers.Any(a => a.Type == "MX");
            var proposeMx = inboundMx == InboundMxMode.Always || (inboundMx == InboundMxMode.Auto && mx.Reachable && !hasMx);
            if (inboundMx == InboundMxMode.Auto && !mx.Reachable)
                _reporter.Warning($"Could not tell whether {domain} has an MX record; use -InboundMx Always if it has none.");
            if (proposeMx && !SesFacts.ReceivesMail(_region)) await CheckReceivingByDnsAsync(ct).ConfigureAwait(false);
            return new DomainDnsFacts(domain, zone, mx, proposeMx);
        }

        /// <summary>
        /// A region outside the confirmed table: DNS decides. SES's receiving endpoint is the host name
        /// inbound-smtp.&lt;region&gt;.amazonaws.com (General Reference, "Email receiving endpoints"); a name that does not exist
        /// (NXDOMAIN) means no receiving there, an answer means receiving, no answer at all means a warning. Not confirmed
        /// here: that AWS never publishes that name in a region without receiving.
        /// </summary>
        private async Task CheckReceivingByDnsAsync(CancellationToken ct)
        {
            var host = SesFacts.InboundMxHost(_region);
            var lookup = await _dns.QueryAsync(host, "A", ct).ConfigureAwait(false);
            if (lookup.Reachable && lookup.Answers.Count > 0)
                _reporter.Verbose($"{_region} is not in OcdsAws's table of SES receiving regions, but DNS answers for {host}: proposing it.");
            else if (lookup.Reachable && !lookup.NameExists)
                throw SesFacts.NoReceiving(_region);
            else
                _reporter.Warning(SesFacts.ReceivingUnconfirmed(_region));
        }

        /// <summary>The zone that holds <paramref name="name"/>; the name itself (with a warning) when DNS cannot say.</summary>
        internal async Task<string> FindZoneAsync(string name, CancellationToken ct)
        {
            try
            {
                return await _dns.FindZoneAsync(name, ct).ConfigureAwait(false) ?? name;
            }
            catch (DnsUnavailableException e)
            {
                _reporter.Warning($"DNS could not be reached ({e.Message}): host labels are given relative to {name}; check the zone at your DNS host.");
                return name;
            }
        }

        public async Task<SesDomainVerification> CreateAsync(string domain, string? keyLength, string? configurationSet,
            IReadOnlyList<KeyValuePair<string, string>>? tags, DomainDnsFacts dns, CancellationToken ct)
        {
            EmailIdentityState state;
            try
            {
                state = await _ses.CreateEmailIdentityAsync(domain, keyLength, configurationSet, tags, ct).ConfigureAwait(false);
                if (state.DkimTokens.Count == 0) state = await _ses.GetEmailIdentityAsync(domain, ct).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "AlreadyExistsException")
            {
                _reporter.Verbose($"{domain} is already an SES identity in {_region}: returning its current state, changing nothing.");
                state = await _ses.GetEmailIdentityAsync(domain, ct).ConfigureAwait(false);
            }
            return await DescribeAsync(state, dns, ct).ConfigureAwait(false);
        }

        public async Task<SesDomainVerification> GetAsync(string domain, DomainDnsFacts dns, CancellationToken ct)
        {
            EmailIdentityState state;
            try
            {
                state = await _ses.GetEmailIdentityAsync(domain, ct).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (e.ErrorCode == "NotFoundException")
            {
                await SesIdentities.NoteOtherRegionsAsync(_clients, domain, e, ct).ConfigureAwait(false);
                throw;
            }
            return await DescribeAsync(state, dns, ct).ConfigureAwait(false);
        }

        /// <summary>Polls until SES says the domain is verified; FAILED stops with an error.</summary>
        public Task<EmailIdentityState> WaitAsync(string domain, TimeSpan timeout, IClock clock, CancellationToken ct)
            => Poller.UntilAsync<EmailIdentityState>(async token =>
            {
                var state = await _ses.GetEmailIdentityAsync(domain, token).ConfigureAwait(false);
                if (state.VerificationStatus == "FAILED" || state.DkimStatus == "FAILED")
                    throw new OcdsAwsException(ErrorIds.DomainVerificationFailed,
                        $"SES could not verify {domain} (verification {state.VerificationStatus}, DKIM {state.DkimStatus}). Check the DKIM CNAME records with Test-DnsRecord, then run New-SesDomainVerification again.",
                        System.Management.Automation.ErrorCategory.InvalidResult);
                var done = state.VerifiedForSending || state.VerificationStatus == "SUCCESS";
                return (done, $"verification {state.VerificationStatus ?? "?"}, DKIM {state.DkimStatus ?? "?"}", state);
            }, timeout, clock, _reporter, WaitActivityId, $"Waiting for SES to verify {domain} in {_region}", ct,
                $"SES verifies the domain once it finds the DKIM CNAME records: check them with Get-SesDomainVerification {domain} | Test-DnsRecord, publish what is missing, then run Wait-SesDomainVerification again or give a longer -Timeout.");

        /// <summary>The output object, with the DNS records compared against what DNS holds now.</summary>
        public async Task<SesDomainVerification> DescribeAsync(EmailIdentityState state, DomainDnsFacts dns, CancellationToken ct)
            => new SesDomainVerification
            {
                EmailIdentity = state.Identity,
                Domain = state.Identity,
                Region = _region,
                VerifiedForSending = state.VerifiedForSending,
                VerificationStatus = state.VerificationStatus,
                DkimStatus = state.DkimStatus,
                DkimTokens = state.DkimTokens,
                SigningAttributesOrigin = state.SigningAttributesOrigin,
                SigningHostedZone = string.IsNullOrWhiteSpace(state.SigningHostedZone) && state.DkimTokens.Count > 0 ? SesFacts.DefaultDkimZone : state.SigningHostedZone,
                MailFromDomain = state.MailFromDomain,
                DnsRecords = await PlanRecordsAsync(state, dns, ct).ConfigureAwait(false),
            };

        private async Task<IReadOnlyList<DnsRecord>> PlanRecordsAsync(EmailIdentityState state, DomainDnsFacts dns, CancellationToken ct)
        {
            var domain = state.Identity;
            var records = new List<DnsRecord>();
            foreach (var token in state.DkimTokens)
            {
                var name = $"{token}._domainkey.{domain}";
                var current = await _dns.QueryAsync(name, "CNAME", ct).ConfigureAwait(false);
                records.Add(Compare(Record(dns.Zone, name, "CNAME", SesFacts.DkimTarget(token, state.SigningHostedZone), null, "Easy DKIM signing key"), current, "CNAME"));
            }

            if (dns.ProposeInboundMx)
                records.Add(Compare(Record(dns.Zone, domain, "MX", SesFacts.InboundMxHost(_region), 10,
                    "Inbound mail through SES: lets New-SesEmailVerification capture verification mail (remove it afterwards)"), dns.Mx, "MX"));

            var apex = await _dns.QueryAsync(domain, "TXT", ct).ConfigureAwait(false);
            if (apex.Reachable)
            {
                var spf = Spf.Propose(apex.Answers.Where(a => a.Type == "TXT").Select(a => a.Value).ToList(), SesFacts.SpfInclude);
                foreach (var warning in spf.Warnings) _reporter.Warning($"SPF of {domain}: {warning}");
                var record = Record(dns.Zone, domain, "TXT", spf.ProposedValue, null, "SPF: lets SES send for the domain");
                record.Action = spf.Action;
                record.CurrentValue = spf.CurrentValue;
                records.Add(record);
                // Two SPF records are a permerror: the merge goes into the first, the others must go.
                foreach (var extra in spf.RecordsToRemove)
                {
                    var remove = Record(dns.Zone, domain, "TXT", extra, null, "Second SPF record (a permerror): delete it");
                    remove.Action = DnsRecordAction.Remove;
                    remove.CurrentValue = extra;
                    records.Add(remove);
                }
            }
            // Said once per identity (domain and region) and PowerShell session: a script that calls Get-SesDomainVerification
            // in a loop, or New- then Get-, hears it once (#15 item 12).
            if (state.MailFromDomain == null && _notices.FirstTime($"spf-alignment {_region} {domain}"))
                _reporter.Warning($"SPF of {domain} does not align for mail SES sends until you set a custom MAIL FROM domain (Set-SesMailFromDomain): "
                + "without it the envelope sender is amazonses.com, so DMARC passes through DKIM alone.");

            var dmarc = SesFacts.DmarcRecord(DmarcReportAddresses);
            if (await NeedsDmarcAsync(domain, dns.Zone, ct).ConfigureAwait(false))
            {
                records.Add(Record(dns.Zone, "_dmarc." + domain, "TXT", dmarc, null, DmarcReportAddresses.Count == 0
                    ? "DMARC (suggested: the domain publishes none; p=none only monitors; -DmarcReportAddress adds aggregate reports)"
                    : "DMARC (suggested: the domain publishes none; p=none only monitors, with aggregate reports)"));
                // Reports to another domain are sent only if that domain agrees, by a TXT record "v=DMARC1" at
                // <domain>._report._dmarc.<destination> (RFC 7489 §7.1). The zone stands in for the organizational domain.
                foreach (var host in DmarcReportAddresses.Select(a => a.Substring(a.LastIndexOf('@') + 1)).Distinct(StringComparer.OrdinalIgnoreCase))
                    if (!DomainName.IsSameOrSubdomainOf(host, dns.Zone))
                        _reporter.Warning($"DMARC reports for {domain} go to {host}, another domain: receivers send them only if {host} publishes the TXT record "
                            + $"{domain}._report._dmarc.{host} with the value \"v=DMARC1\" (RFC 7489 §7.1). Ask its owner to add it, or use an address at {dns.Zone}.");
            }
            else if (DmarcReportAddresses.Count > 0)
            {
                _reporter.Warning($"No DMARC record is proposed for {domain} (it publishes one, or DNS could not say), so -DmarcReportAddress changes nothing here: "
                    + $"to receive aggregate reports, add {dmarc.Substring(SesFacts.SuggestedDmarc.Length + 2)} to its DMARC record at your DNS host (Get-DmarcRecord shows it).");
            }
            return records;
        }

        private async Task<bool> NeedsDmarcAsync(string domain, string zone, CancellationToken ct)
        {
            foreach (var name in new[] { "_dmarc." + domain, "_dmarc." + zone }.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var found = await _dns.QueryAsync(name, "TXT", ct).ConfigureAwait(false);
                if (!found.Reachable) return false; // cannot tell: suggest nothing rather than something wrong
                if (found.Answers.Any(a => a.Type == "TXT" && a.Value.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase))) return false;
            }
            return true;
        }

        internal static DnsRecord Record(string zone, string name, string type, string value, int? priority, string purpose) => new DnsRecord
        {
            Zone = zone,
            Name = name,
            HostLabel = DomainName.RelativeHostLabel(name, zone),
            Type = type,
            Value = value,
            Priority = priority,
            Ttl = 1800,
            Purpose = purpose,
            Action = DnsRecordAction.Add,
        };

        /// <summary>Add when DNS has nothing, Keep when it has the value, Update when it has another.</summary>
        internal static DnsRecord Compare(DnsRecord record, DnsLookup current, string type)
        {
            if (!current.Reachable) return record;
            var found = current.Answers.Where(a => string.Equals(a.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();
            if (found.Count == 0) return record;
            var same = found.Any(a => string.Equals(a.Value.TrimEnd('.'), record.Value, StringComparison.OrdinalIgnoreCase)
                && (record.Priority == null || a.Priority == record.Priority));
            record.Action = same ? DnsRecordAction.Keep : type == "MX" ? DnsRecordAction.Add : DnsRecordAction.Update;
            record.CurrentValue = string.Join(", ", found.Select(a => a.Priority.HasValue ? $"{a.Priority} {a.Value}" : a.Value));
            return record;
        }
    }

    /// <summary>What DNS said about a domain before the AWS calls.</summary>
    internal sealed class DomainDnsFacts
    {
        public DomainDnsFacts(string domain, string zone, DnsLookup mx, bool proposeInboundMx)
        {
            Domain = domain;
            Zone = zone;
            Mx = mx;
            ProposeInboundMx = proposeInboundMx;
        }

        public string Domain { get; }
        public string Zone { get; }
        public DnsLookup Mx { get; }
        public bool ProposeInboundMx { get; }
    }
}
