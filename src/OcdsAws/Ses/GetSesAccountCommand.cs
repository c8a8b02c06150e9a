using System.Management.Automation;

namespace OcdsAws.Ses
{
    /// <summary>Gets the SES account's state in a region: sandbox or production, quota, suppression list, review.</summary>
    [Cmdlet(VerbsCommon.Get, "SesAccount")]
    [OutputType(typeof(SesAccount))]
    public sealed class GetSesAccountCommand : OcdsAwsCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var service = new SesAccountService(Clients, Messages);
            ForItem(null, () => WriteObject(Run(service.GetAsync)));
        }
    }
}
