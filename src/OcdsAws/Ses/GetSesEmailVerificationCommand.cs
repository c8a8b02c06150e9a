using System;
using System.Collections.Generic;
using System.Linq;
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
            IReadOnlyList<string> addresses = EmailAddress;
            // The listing's own failure (access denied, throttling) is an ErrorRecord like any other call's.
            if (EmailAddress.Length == 0 && !MyInvocation.ExpectingInput) ForItem(null, () => addresses = ListAddresses());
            else if (EmailAddress.Length == 0) return;
            foreach (var input in addresses)
            {
                if (!TryRead(() => SesInput.Address(input), input, out var address)) continue;
                var service = new EmailVerificationService(Clients, Messages);
                ForItem(address, () => WriteObject(Run(ct => service.GetAsync(address, ct))));
            }
        }

        /// <summary>The region's email address identities, in name order (one SESv2 ListEmailIdentities, paged).</summary>
        private IReadOnlyList<string> ListAddresses()
        {
            var clients = Clients;
            return Run(ct => SesIdentities.ListAsync(clients, SesIdentities.EmailAddress, ct)).OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToList();
        }
    }
}
