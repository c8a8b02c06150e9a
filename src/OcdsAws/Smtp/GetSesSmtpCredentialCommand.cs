using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Smtp
{
    /// <summary>Lists the SMTP users (IAM users with New-SesSmtpCredential's send-only policy) and the age of each access key; never a secret, and it changes nothing.</summary>
    [Cmdlet(VerbsCommon.Get, "SesSmtpCredential")]
    [OutputType(typeof(SmtpUserKey))]
    public sealed class GetSesSmtpCredentialCommand : OcdsAwsCmdlet
    {
        private readonly List<string> _userNames = new List<string>();

        /// <summary>Only these SMTP users. Default: every one.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string[]? UserName { get; set; }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            foreach (var name in UserName ?? new string[0])
                if (TryRead(() => SmtpInput.UserName(name), name, out var valid)) _userNames.Add(valid);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // One listing for the whole pipeline: IAM's account-wide read is paged, not per user.
            if (UserName != null && _userNames.Count == 0) return;
            var filter = _userNames.Count == 0 ? null : _userNames.Distinct().ToList();
            var listing = new SmtpUserListing(Clients);
            var rows = Run(ct => listing.ListAsync(filter, ct));
            WriteObject(rows, true);
            foreach (var missing in (filter ?? new List<string>()).Where(n => rows.All(r => r.UserName != n)))
                WriteWarning($"{missing} is not an SMTP user of this account: no IAM user of that name carries the {SmtpCredentialService.PolicyName} inline policy "
                    + "that New-SesSmtpCredential writes. Check the name, or create it with New-SesSmtpCredential -UserName " + missing + ".");
        }
    }
}
