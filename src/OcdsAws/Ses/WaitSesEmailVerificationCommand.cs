using System;
using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Waits until an email address is verified, with progress.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "SesEmailVerification")]
    [OutputType(typeof(SesEmailVerification))]
    public sealed class WaitSesEmailVerificationCommand : OcdsAwsCmdlet
    {
        /// <summary>The address(es); New-SesEmailVerification's output binds here.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesEmailAddressCompleter))]
        public string[] EmailAddress { get; set; } = new string[0];

        /// <summary>How long to wait (default 30 minutes).</summary>
        [Parameter]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <inheritdoc />
        protected override void ValidateParameters() => SesInput.Timeout(Timeout);

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            foreach (var input in EmailAddress)
            {
                if (!TryRead(() => SesInput.Address(input), input, out var address)) continue;
                var service = new EmailVerificationService(Clients, Messages);
                ForItem(address, () => WriteObject(Run(ct => service.WaitAsync(address, Timeout, SystemClock.Instance, ct))));
            }
        }
    }
}
