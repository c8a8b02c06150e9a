using System;
using System.Linq;
using Amazon;
using Amazon.Runtime.Endpoints;
using OcdsAws.Aws;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    public sealed class EndpointTests
    {
        private static Endpoint Resolve(AwsService service, string region, bool fips = false, bool dualStack = false, string? custom = null)
        {
            var p = new EndpointParameters();
            p["Region"] = region;
            p["UseFIPS"] = fips;
            p["UseDualStack"] = dualStack;
            p["Endpoint"] = custom;
            return new AwsEndpointProvider(service).ResolveEndpoint(p);
        }

        private static string SigningRegion(Endpoint e) => (string)((System.Collections.IList)e.Attributes["authSchemes"])[0]!.GetType()
            .GetProperty("Item")!.GetValue(((System.Collections.IList)e.Attributes["authSchemes"])[0], new object[] { "signingRegion" })!;

        [Theory]
        [InlineData("SESv2", "eu-west-1", false, false, "https://email.eu-west-1.amazonaws.com")]
        [InlineData("SES", "us-east-1", true, false, "https://email-fips.us-east-1.amazonaws.com")]
        [InlineData("SNS", "eu-central-1", false, true, "https://sns.eu-central-1.api.aws")]
        [InlineData("RDS", "cn-north-1", false, false, "https://rds.cn-north-1.amazonaws.com.cn")]
        [InlineData("RDS Data", "us-gov-west-1", false, false, "https://rds-data.us-gov-west-1.amazonaws.com")]
        [InlineData("IAM", "eu-west-1", false, false, "https://iam.amazonaws.com")]
        [InlineData("IAM", "us-east-1", true, false, "https://iam-fips.amazonaws.com")]
        [InlineData("IAM", "cn-northwest-1", false, false, "https://iam.cn-north-1.amazonaws.com.cn")]
        [InlineData("IAM", "us-gov-east-1", false, false, "https://iam.us-gov.amazonaws.com")]
        public void Resolves_hosts_from_the_partition_table(string serviceId, string region, bool fips, bool dualStack, string expected)
        {
            var service = Array.Find(AwsService.All, s => s.ServiceId == serviceId)!;
            Assert.Equal(expected, Resolve(service, region, fips, dualStack).URL);
        }

        [Theory]
        [InlineData("eu-west-1", "us-east-1")]
        [InlineData("cn-northwest-1", "cn-north-1")]
        [InlineData("us-gov-east-1", "us-gov-west-1")]
        public void Iam_is_signed_for_its_partition_home_region(string region, string signingRegion)
            => Assert.Equal(signingRegion, SigningRegion(Resolve(AwsService.Iam, region)));

        [Fact]
        public void Regional_services_sign_for_their_region()
            => Assert.Equal("ap-southeast-2", SigningRegion(Resolve(AwsService.SesV2, "ap-southeast-2")));

        [Fact]
        public void A_custom_endpoint_wins_and_signs_for_the_configured_region()
        {
            var endpoint = Resolve(AwsService.Iam, "eu-west-1", custom: "http://127.0.0.1:9999");
            Assert.Equal("http://127.0.0.1:9999", endpoint.URL);
            Assert.Equal("eu-west-1", SigningRegion(endpoint));
        }

        [Fact]
        public void Fips_with_a_custom_endpoint_is_refused()
            => Assert.Throws<Amazon.Runtime.AmazonClientException>(() => Resolve(AwsService.Sns, "eu-west-1", fips: true, custom: "http://127.0.0.1:1"));

        [Fact]
        public void Clients_report_the_endpoint_they_will_call()
        {
            using var clients = new AwsClientFactory(new AwsSession(new Amazon.Runtime.BasicAWSCredentials("a", "b"), "t", RegionEndpoint.EUWest2, "t", null), null);
            Assert.Equal("https://email.eu-west-2.amazonaws.com", clients.ResolveEndpoint(AwsService.SesV2));
            Assert.Equal("https://iam.amazonaws.com", clients.ResolveEndpoint(AwsService.Iam));
            Assert.Equal("https://ec2.eu-west-2.amazonaws.com", clients.ResolveSdkEndpoints().Single(e => e.Service == "EC2").Url);
        }
    }

    /// <summary>Tests that change process environment variables run alone.</summary>
    [CollectionDefinition("Environment", DisableParallelization = true)]
    public sealed class EnvironmentCollection
    {
    }

    [Collection("Environment")]
    public sealed class EndpointEnvironmentTests
    {
        [Fact]
        public void Service_specific_endpoint_variables_work_as_in_the_sdk()
        {
            using var env = new EnvironmentScope(("AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:4577"));
            using var clients = new AwsClientFactory(new AwsSession(new Amazon.Runtime.BasicAWSCredentials("a", "b"), "t", RegionEndpoint.EUWest1, "t", null), null);
            Assert.StartsWith("http://127.0.0.1:4566", clients.ResolveEndpoint(AwsService.SesV2));
            Assert.StartsWith("http://127.0.0.1:4577", clients.ResolveEndpoint(AwsService.Ses));
            Assert.Equal("AWS_ENDPOINT_URL_RDS_DATA", AwsService.RdsData.EndpointEnvironmentVariable);
        }

        [Fact]
        public void AWS_ENDPOINT_URL_gives_every_client_the_session_region_as_EndpointUrl_does()
        {
            // Issue #15 item 7: with the SDK's variable instead of -EndpointUrl, the EC2 client signed for us-east-1 (the
            // SDK's guess for an endpoint with no region in it) while RDS used eu-west-2: subnets landed in us-east-1 and
            // CreateDBSubnetGroup in eu-west-2 could not find them.
            using var env = new EnvironmentScope(("AWS_ENDPOINT_URL", TestBed.Endpoint));
            var name = TestBed.Unique("envurl");
            var vars = new System.Collections.Generic.Dictionary<string, object?>
            {
                ["aws"] = new System.Collections.Hashtable { ["AccessKey"] = TestBed.AccessKey, ["SecretKey"] = TestBed.SecretKey, ["Region"] = "eu-west-2" },
                ["name"] = name,
            };
            try
            {
                var r = PowerShellHost.Run("New-AuroraNetwork -Name $name @aws", vars);
                Assert.Empty(r.Errors);
                var network = (OcdsAws.Aurora.AuroraNetwork)Assert.Single(r.Output).BaseObject;
                Assert.Equal("eu-west-2", network.Region);
                Assert.All(network.AvailabilityZones, z => Assert.StartsWith("eu-west-2", z));
            }
            finally
            {
                PowerShellHost.Run("Remove-AuroraNetwork -Name $name -Force @aws", vars);
            }
        }
    }
}
