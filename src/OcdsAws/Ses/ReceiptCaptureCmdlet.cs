using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>The capture cmdlets' shared parameters: which address, which bucket.</summary>
    public abstract class ReceiptCaptureCmdlet : OcdsAwsCmdlet
    {
        /// <summary>The captured address; the output of New-SesEmailVerification and New-SesReceiptCapture binds here.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity")]
        [ArgumentCompleter(typeof(SesEmailAddressCompleter))]
        public string EmailAddress { get; set; } = "";

        /// <summary>The capture bucket (default: the name generated from account, region and address).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? BucketName { get; set; }

        /// <summary>Reads the item's address and bucket name; a bad one is reported for this item (no AWS call follows).</summary>
        internal bool TryReadInput(out string address, out string? bucket)
        {
            var ok = TryRead(() => (SesInput.Address(EmailAddress), SesInput.Bucket(BucketName)), EmailAddress, out var input);
            (address, bucket) = input;
            return ok;
        }
    }
}
