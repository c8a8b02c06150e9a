using System.Management.Automation;

namespace OcdsAws.Context
{
    /// <summary>Shows the AWS account, identity, region and endpoints OcdsAws will use.</summary>
    [Cmdlet(VerbsCommon.Get, "OcdsAwsContext")]
    [OutputType(typeof(OcdsAwsContext))]
    public sealed class GetOcdsAwsContextCommand : OcdsAwsCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessItem()
        {
            var service = new AwsContextService(Clients);
            try
            {
                WriteObject(Run(service.GetAsync));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (System.Exception e)
            {
                // The question failed, not the session: a non-terminating error lets -ErrorAction decide.
                WriteFailure(e);
            }
        }
    }
}
