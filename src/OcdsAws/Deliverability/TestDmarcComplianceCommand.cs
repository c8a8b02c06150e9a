using System;
using System.Management.Automation;
using MimeKit;
using OcdsAws.Dns;

namespace OcdsAws.Deliverability
{
    /// <summary>Checks whether received messages pass DMARC, and why: every DKIM signature (verified? aligned?), SPF as the receiver saw it, the policy, the verdict.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "DmarcCompliance", DefaultParameterSetName = MessageSet)]
    [OutputType(typeof(DmarcComplianceResult))]
    public sealed class TestDmarcComplianceCommand : OcdsCmdlet, IDnsCmdlet, IDeadlineCmdlet
    {
        private const string PathSet = "Path";
        private const string MessageSet = "Message";

        private DmarcComplianceChecker? _checker;

        /// <summary>Message files (.eml), e.g. from Get-ChildItem.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [Alias("FullName", "PSPath")]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// A message already parsed with MimeKit. One per pipeline item: a scalar so that a piped MimeMessage binds
        /// here exactly instead of being turned into a string for -Path.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = MessageSet)]
        public MimeMessage? Message { get; set; }

        /// <summary>Ask this DNS server (host[:port]) for keys and DMARC records instead of the system's resolvers.</summary>
        [Parameter]
        public string? DnsServer { get; set; }

        /// <summary>How long the whole command may take (all its DNS questions together).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The authserv-id (first word of Authentication-Results) of the receiver whose SPF result to trust; by default the topmost header's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AuthServId { get; set; }

        private int _messages;

        /// <inheritdoc />
        protected override void ValidateParameters() => _checker = new DmarcComplianceChecker(Dns, AuthServId);

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // Keys and DMARC records are cached for the whole pipeline; the count shows it.
            if (_checker != null)
                WriteVerbose($"Checked {_messages} message(s) with {Dns.QueryCount} DNS queries to {Dns.Servers} ({_checker.Keys.Queries} for DKIM keys, cached per selector and domain).");
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var checker = _checker!;
            if (ParameterSetName == MessageSet)
            {
                var message = Message;
                if (message != null)
                {
                    _messages++;
                    ForItem(message.MessageId, () => WriteObject(Run(ct => checker.CheckAsync(message, null, ct))));
                }
                return;
            }
            foreach (var path in Path)
            {
                ForItem(path, () =>
                {
                    var full = GetUnresolvedProviderPathFromPSPath(path);
                    var message = DmarcComplianceChecker.Load(full, CancellationToken);
                    _messages++;
                    WriteObject(Run(ct => checker.CheckAsync(message, full, ct)));
                });
            }
        }
    }
}
