using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Context
{
    /// <summary>The first cmdlet, hosted in a runspace, against moto with signature checking on.</summary>
    [Collection(OcdsAws.Tests.Measured.Timing.Collection)] // times a Ctrl+C / cancellation: runs alone
    public sealed class GetOcdsAwsContextTests
    {
        private static Dictionary<string, object?> Keys(string? secret = null) => new()
        {
            ["ak"] = TestBed.AccessKey,
            ["sk"] = secret ?? TestBed.SecretKey,
            ["endpoint"] = TestBed.Endpoint,
        };

        [Fact]
        public void Returns_the_account_arn_region_and_endpoints()
        {
            var r = PowerShellHost.Run("Get-OcdsAwsContext -AccessKey $ak -SecretKey $sk -EndpointUrl $endpoint -Region eu-west-2 -Verbose", Keys());

            Assert.Empty(r.Errors);
            var context = Assert.Single(r.Output);
            Assert.Equal("123456789012", context.Properties["Account"].Value);
            Assert.Equal("eu-west-2", context.Properties["Region"].Value);
            Assert.Equal("parameter -Region", context.Properties["RegionSource"].Value);
            Assert.EndsWith(":user/ocdsaws-test", (string)context.Properties["Arn"].Value);
            var endpoints = ((System.Collections.IEnumerable)context.Properties["Endpoints"].Value).Cast<object>().Select(e => e.ToString()).ToList();
            Assert.Equal(10, endpoints.Count); // six protocol-layer services, STS, EC2, S3, SSM
            Assert.All(endpoints, e => Assert.Contains("=" + TestBed.Endpoint.TrimEnd('/'), e));
            Assert.Equal(1, r.AwsCalls);
            Assert.Matches(@"^AWS call: STS GetCallerIdentity -> HTTP 200, 1 attempt, \d+ ms, request id \S+$", r.Verbose.Single(v => v.StartsWith("AWS call:")));
        }

        [Fact]
        public void A_wrong_secret_key_is_a_security_error_record()
        {
            var r = PowerShellHost.Run("Get-OcdsAwsContext -AccessKey $ak -SecretKey $sk -EndpointUrl $endpoint", Keys("definitely-wrong"));

            var error = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.StartsWith("Aws.SignatureDoesNotMatch,", error.FullyQualifiedErrorId);
            Assert.Contains("SignatureDoesNotMatch", error.ErrorDetails.Message);
        }

        [Fact]
        public void Debug_says_where_credentials_and_region_came_from_and_no_secret_reaches_any_stream()
        {
            var r = PowerShellHost.Run(
                "Get-OcdsAwsContext -AccessKey $ak -SecretKey $sk -EndpointUrl $endpoint -Verbose -Debug; " +
                "Get-OcdsAwsContext -AccessKey $ak -SecretKey 'wrong-secret-value-1234' -SessionToken 'token-value-5678' -EndpointUrl $endpoint -Verbose -Debug",
                Keys());

            Assert.Contains(r.Debug, d => d.Contains("credentials from parameters -AccessKey/-SecretKey") && d.Contains("region us-east-1 from default for -EndpointUrl"));
            var all = r.AllText();
            Assert.DoesNotContain(TestBed.SecretKey, all);
            Assert.DoesNotContain("wrong-secret-value-1234", all);
            Assert.DoesNotContain("token-value-5678", all);
            Assert.Single(r.Errors);
        }

        [Fact]
        public void A_missing_profile_fails_before_any_call()
        {
            var r = PowerShellHost.Run("Get-OcdsAwsContext -ProfileName no-such-profile-anywhere -EndpointUrl $endpoint -Verbose", Keys());

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.ProfileNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, r.AwsCalls);
        }

        [Fact]
        public void Stored_credentials_and_region_variables_are_honoured()
        {
            var r = PowerShellHost.Run(
                "$StoredAWSCredentials = [Amazon.Runtime.BasicAWSCredentials]::new($ak, $sk); $StoredAWSRegion = 'ap-northeast-1'; " +
                "Get-OcdsAwsContext -EndpointUrl $endpoint", Keys());
            Assert.Empty(r.Errors);
            var context = Assert.Single(r.Output);
            Assert.Equal("ap-northeast-1", context.Properties["Region"].Value);
            Assert.Equal("$StoredAWSRegion", context.Properties["RegionSource"].Value);
            Assert.StartsWith("$StoredAWSCredentials", (string)context.Properties["CredentialSource"].Value);
        }

        [Fact]
        public void Ctrl_c_stops_a_hanging_call_within_a_second()
        {
            using var server = new CaptureServer((_, _) => new CannedResponse(200, "", Delay: TimeSpan.FromSeconds(60)));
            var clock = new Stopwatch();
            var r = PowerShellHost.Run("Get-OcdsAwsContext -AccessKey a -SecretKey b -EndpointUrl $endpoint",
                new Dictionary<string, object?> { ["endpoint"] = server.Url },
                ps =>
                {
                    SpinWait.SpinUntil(() => server.Requests.Count > 0, TimeSpan.FromSeconds(20));
                    clock.Start();
                    ps.Stop();
                    clock.Stop();
                });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed}");
            Assert.IsType<PipelineStoppedException>(r.Terminating);
        }
    }
}
