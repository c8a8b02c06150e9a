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

        /// <summary>Checks the address and bucket name; a bad one is reported for this item (no AWS call follows).</summary>
        internal bool TryReadInput(out string address, out string? bucket)
        {
            try
            {
                address = SenderInput.Address(EmailAddress);
                bucket = SenderInput.Bucket(BucketName);
                return true;
            }
            catch (ValidationException e)
            {
                WriteFailure(e, EmailAddress);
                address = "";
                bucket = null;
                return false;
            }
        }
    }
}
