using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Gets an email address identity's verification status; with no -EmailAddress, every address identity of the region.</summary>
    [Cmdlet(VerbsCommon.Get, "SesEmailVerification")]
    [OutputType(typeof(SesEmailVerification))]
    public sealed class GetSesEmailVerificationCommand : OcdsAwsCmdlet
    {
        /// <summary>The address(es). Default: every email address identity of the region.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesEmailAddressCompleter))]
        public string[] EmailAddress { get; set; } = new string[0];

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var addresses = SesIdentityNames.GivenOrListed(this, EmailAddress, SesIdentities.EmailAddress);
            foreach (var input in addresses)
            {
                if (!TryRead(() => SesInput.Address(input), input, out var address)) continue;
                var service = new EmailVerificationService(Clients, Messages);
                ForItem(address, () => WriteObject(Run(ct => service.GetAsync(address, ct))));
            }
        }
    }
}
