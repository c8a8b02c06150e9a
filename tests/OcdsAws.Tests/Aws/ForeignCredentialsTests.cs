using System.Linq;
using System.Management.Automation;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    /// <summary>
    /// A credentials object of another AWSSDK.Core copy's type (AWS.Tools') that fails: issue #16 item 5 found that a
    /// throwing one gave a raw reflection exception. Made here with Add-Type: a class whose full name is Amazon.Runtime.AWSCredentials.
    /// </summary>
    public sealed class ForeignCredentialsTests
    {
        private const string Define =
            "$t = Add-Type -PassThru -TypeDefinition 'namespace Amazon.Runtime { public class AWSCredentials { public object GetCredentials() { throw new System.InvalidOperationException(\"vault is locked\"); } } }'; "
            + "$c = [Activator]::CreateInstance(@($t)[0]); ";

        [Fact]
        public void A_credentials_object_that_throws_is_an_authentication_error_that_says_what_it_threw()
        {
            var r = PowerShellHost.Run(Define + "Get-SesAccount -Credential $c -Region eu-west-1 -EndpointUrl $aws.EndpointUrl -Verbose",
                ScriptVariables.For("eu-west-1"));
            var error = Assert.Single(r.Errors.Concat(r.Terminating is RuntimeException t && t.ErrorRecord != null ? new[] { t.ErrorRecord } : new ErrorRecord[0]));
            Assert.StartsWith("OcdsAws.CredentialObjectFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("threw InvalidOperationException: vault is locked", error.ToString());
            Assert.Empty(r.Output);
        }
    }
}
