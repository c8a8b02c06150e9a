using System;
using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Waits until SES has verified a domain, with progress; returns the verified identity.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "SesDomainVerification")]
    [OutputType(typeof(SesDomainVerification))]
    public sealed class WaitSesDomainVerificationCommand : SesDomainCmdlet
    {
        /// <summary>The domain(s); the output of New-SesDomainVerification binds here.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesDomainCompleter))]
        public string[] Domain { get; set; } = new string[0];

        /// <summary>How long to wait before failing with OperationTimeout (default 30 minutes).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <inheritdoc />
        protected override void ValidateParameters() => SesInput.Timeout(Timeout);

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            foreach (var input in Domain)
            {
                if (!TryReadDomain(input, "-Domain", out var domain)) continue;
                var service = Service;
                ForItem(domain, () => WriteObject(Run(async ct =>
                {
                    var state = await service.WaitAsync(domain, Timeout, SystemClock.Instance, ct).ConfigureAwait(false);
                    var dns = await service.ReadDnsAsync(domain, InboundMxMode.Never, ct).ConfigureAwait(false);
                    return await service.DescribeAsync(state, dns, ct).ConfigureAwait(false);
                })));
            }
        }
    }
}
