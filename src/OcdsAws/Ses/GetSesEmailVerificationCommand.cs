using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Gets an email address identity's verification status.</summary>
    [Cmdlet(VerbsCommon.Get, "SesEmailVerification")]
    [OutputType(typeof(SesEmailVerification))]
    public sealed class GetSesEmailVerificationCommand : OcdsAwsCmdlet
    {
        /// <summary>The address(es).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesEmailAddressCompleter))]
        public string[] EmailAddress { get; set; } = new string[0];

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            foreach (var input in EmailAddress)
            {
                if (!TryRead(() => SesInput.Address(input), input, out var address)) continue;
                var service = new EmailVerificationService(Clients, Messages);
                ForItem(address, () => WriteObject(Run(ct => service.GetAsync(address, ct))));
            }
        }
    }
}
