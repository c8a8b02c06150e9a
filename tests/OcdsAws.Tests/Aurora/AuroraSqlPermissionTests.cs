using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aurora
{
    /// <summary>
    /// A Data API refusal (botocore rds-data model: ExecuteStatement's AccessDeniedException and ForbiddenException, both
    /// HTTP 403, rest-json errors named by x-amzn-ErrorType) becomes an ErrorRecord that says exactly what the caller lacks.
    /// </summary>
    public sealed class AuroraSqlPermissionTests
    {
        private const string ClusterArn = "arn:aws:rds:eu-west-1:123456789012:cluster:ocds";
        private const string SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1a2b3c-AbCdEf";

        [Theory]
        [InlineData("AccessDeniedException")]
        [InlineData("ForbiddenException")]
        public void A_refused_statement_names_the_secret_and_every_permission_the_caller_needs(string code)
        {
            using var server = new CaptureServer((_, _) => new CannedResponse(403,
                "{\"message\":\"User: arn:aws:iam::123456789012:user/reporter is not authorized to perform: secretsmanager:GetSecretValue on resource: " + SecretArn + "\"}",
                "application/json", new Dictionary<string, string> { ["x-amzn-ErrorType"] = code }));
            var vars = new Dictionary<string, object?>
            {
                ["aws"] = new System.Collections.Hashtable { ["AccessKey"] = "AKIDEXAMPLE", ["SecretKey"] = "secret", ["EndpointUrl"] = server.Url, ["Region"] = "eu-west-1" },
                ["arn"] = ClusterArn,
                ["secret"] = SecretArn,
            };

            var r = PowerShellHost.Run("Invoke-AuroraSql 'select 1' -ResourceArn $arn -SecretArn $secret @aws -Verbose", vars);

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.DataApiAccessDenied", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            var message = error.Exception.Message;
            Assert.Contains("rds-data:ExecuteStatement on " + ClusterArn, message);
            Assert.Contains("secretsmanager:GetSecretValue on " + SecretArn, message);
            Assert.Contains("kms:Decrypt", message);
            Assert.Contains("AmazonRDSDataFullAccess", message);
            Assert.Contains("rds-db-credentials/*", message);
            Assert.Single(server.Requests); // a refusal is not retried
        }
    }
}
