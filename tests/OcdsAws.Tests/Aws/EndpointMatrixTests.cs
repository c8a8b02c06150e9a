using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SecurityToken.Model;
using OcdsAws.Aws;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    /// <summary>
    /// Where each client really sends its requests, for every service, a matrix of regions of the three main
    /// partitions and the four endpoint variants, compared with what botocore's own client sends
    /// (tests/testbed/botocore_oracle.py "endpoint": its endpoint rule set and signer). Requests stop at an
    /// in-process HttpClient: nothing leaves the process.
    /// </summary>
    public sealed class EndpointMatrixTests
    {
        private static readonly string[] Regions =
        {
            "us-east-1", "eu-west-1", "af-south-1", "ap-south-2", // commercial
            "cn-north-1", "cn-northwest-1",                       // China
            "us-gov-west-1", "us-gov-east-1",                     // GovCloud
        };

        private static readonly (bool Fips, bool DualStack)[] Variants = { (false, false), (true, false), (false, true), (true, true) };

        /// <summary>botocore's name of each protocol-layer service.</summary>
        private static readonly Dictionary<string, string> Botocore = new Dictionary<string, string>
        {
            ["SESv2"] = "sesv2", ["SES"] = "ses", ["SNS"] = "sns", ["IAM"] = "iam", ["RDS"] = "rds", ["RDS Data"] = "rds-data",
        };

        public static IEnumerable<object[]> Cases()
            => from service in AwsService.All
               from region in Regions
               from variant in Variants
               select new object[] { service.ServiceId, region, variant.Fips, variant.DualStack };

        [Fact]
        public void The_matrix_covers_every_protocol_service()
            => Assert.Equal(AwsService.All.Select(s => s.ServiceId).OrderBy(s => s), Botocore.Keys.OrderBy(s => s));

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task Each_service_calls_the_endpoint_botocore_calls_and_signs_as_botocore_does(string serviceId, string region, bool fips, bool dualStack)
        {
            var service = AwsService.All.Single(s => s.ServiceId == serviceId);
            var expected = Ask(Botocore[serviceId], region, fips, dualStack);

            var http = new CapturingHttp();
            var config = new AwsServiceConfig(service)
            {
                RegionEndpoint = RegionEndpoint.GetBySystemName(region),
                UseFIPSEndpoint = fips,
                UseDualstackEndpoint = dualStack,
                HttpClientFactory = http,
            };
            using var client = new AwsServiceClient(new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), config, null);
            var sent = await CapturingHttp.SendAsync(() => Probe(client));

            if (expected["error"] is JsonNode error)
            {
                // botocore refuses this variant: so must the module, with a message and no request.
                Assert.Null(sent.Request);
                var refused = Assert.IsAssignableFrom<AmazonClientException>(sent.Error);
                Assert.False(string.IsNullOrWhiteSpace(refused.Message), "botocore: " + error);
                return;
            }
            Assert.True(sent.Request != null, $"no request; error: {sent.Error}");
            Assert.Equal(((string)expected["url"]!, (string)expected["signing_region"]!, (string)expected["signing_name"]!), sent.Request!.Value);
            // Get-OcdsAwsContext reports the endpoint from the same rules.
            Assert.Equal((string)expected["url"]!, config.DetermineServiceOperationEndpoint(
                new Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters(new QueryRequest("Probe", new QueryParameters()))).URL.TrimEnd('/'));
        }

        [Theory]
        [InlineData(true, false)]
        [InlineData(false, true)]
        public async Task A_custom_endpoint_with_a_variant_is_refused_before_any_request(bool fips, bool dualStack)
        {
            // The rule sets' first rules (every service here): FIPS or dual-stack with a custom endpoint is an error.
            // (botocore's client drops the variant instead; the AWS SDK for .NET, whose EC2/S3/STS clients the module also
            // uses, applies the rule set as written, so the module does the same for every client.)
            foreach (var service in AwsService.All)
            {
                var http = new CapturingHttp();
                var config = new AwsServiceConfig(service)
                {
                    ServiceURL = "http://127.0.0.1:1", AuthenticationRegion = "eu-west-1",
                    UseFIPSEndpoint = fips, UseDualstackEndpoint = dualStack, HttpClientFactory = http,
                };
                using var client = new AwsServiceClient(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), config, null);
                var sent = await CapturingHttp.SendAsync(() => Probe(client));
                Assert.Null(sent.Request);
                Assert.Contains("custom endpoint are not supported", Assert.IsAssignableFrom<AmazonClientException>(sent.Error).Message);
            }
        }

        internal static JsonNode Ask(string service, string region, bool fips, bool dualStack)
            => Oracle.Ask(new JsonObject
            {
                ["cmd"] = "endpoint", ["service"] = service, ["region"] = region, ["fips"] = fips, ["dualstack"] = dualStack,
            });

        /// <summary>One request of the service's protocol (the endpoint rules take no operation parameter here).</summary>
        private static Task Probe(AwsServiceClient client) => client.Service.Protocol == AwsProtocol.Query
            ? client.QueryAsync("Probe", new QueryParameters(), CancellationToken.None)
            : client.RestJsonAsync(new RestJsonRequest("Probe", "GET", "/probe"), CancellationToken.None);
    }

    /// <summary>
    /// Every client of one <see cref="AwsClientFactory"/> in each region and variant: Get-OcdsAwsContext's endpoints are
    /// where the clients send requests, for the protocol layer and the SDK packages (STS, EC2, S3, SSM) alike.
    /// Variants come from AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT, as users set them.
    /// </summary>
    [Collection("Environment")]
    public sealed class ReportedEndpointTests
    {
        private static readonly string[] Regions = { "eu-west-1", "cn-north-1", "us-gov-east-1" };

        [Fact]
        public async Task Get_OcdsAwsContext_reports_the_endpoints_the_clients_call()
        {
            foreach (var region in Regions)
            foreach (var (fips, dualStack) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                var env = new EnvironmentScope(("AWS_USE_FIPS_ENDPOINT", fips ? "true" : "false"), ("AWS_USE_DUALSTACK_ENDPOINT", dualStack ? "true" : "false"));
                FallbackInternalConfigurationFactory.Reset(); // Core reads the variables once per process otherwise.
                try
                {
                    var http = new CapturingHttp();
                    using var clients = new AwsClientFactory(new AwsSession(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "t",
                        RegionEndpoint.GetBySystemName(region), "t", null), null, null, http);
                    var context = $"{region} fips={fips} dualstack={dualStack}";

                    foreach (var service in AwsService.All)
                    {
                        var sent = await CapturingHttp.SendAsync(() => service.Protocol == AwsProtocol.Query
                            ? clients.Get(service).QueryAsync("Probe", new QueryParameters(), CancellationToken.None)
                            : clients.Get(service).RestJsonAsync(new RestJsonRequest("Probe", "GET", "/probe"), CancellationToken.None));
                        Assert.True(sent.Request != null, $"{service} {context}: {sent.Error?.Message}");
                        Assert.Equal(sent.Request!.Value.Url, clients.ResolveEndpoint(service));
                    }

                    var sdkCalls = new (string Service, Func<Task> Call)[]
                    {
                        ("STS", () => clients.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())),
                        ("EC2", () => clients.Ec2.DescribeVpcsAsync(new Amazon.EC2.Model.DescribeVpcsRequest())),
                        ("S3", () => clients.S3.ListBucketsAsync(new Amazon.S3.Model.ListBucketsRequest())),
                        ("SSM", () => clients.Ssm.GetParameterAsync(new Amazon.SimpleSystemsManagement.Model.GetParameterRequest { Name = "p" })),
                    };
                    var reported = clients.ResolveSdkEndpoints().ToDictionary(e => e.Service, e => e.Url);
                    foreach (var (service, call) in sdkCalls)
                    {
                        var sent = await CapturingHttp.SendAsync(call);
                        var botocore = EndpointMatrixTests.Ask(service.ToLowerInvariant(), region, fips, dualStack);
                        if (botocore["error"] != null)
                        {
                            // Neither botocore nor the SDK has this variant (S3 FIPS in China): the report says so instead of a URL.
                            Assert.Null(sent.Request);
                            Assert.StartsWith("(", reported[service]);
                            continue;
                        }
                        Assert.True(sent.Request != null, $"{service} {context}: {sent.Error?.Message}");
                        Assert.Equal((string)botocore["url"]!, sent.Request!.Value.Url);
                        Assert.Equal(sent.Request!.Value.Url, reported[service]);
                    }
                }
                finally
                {
                    env.Dispose();
                    FallbackInternalConfigurationFactory.Reset();
                }
            }
        }
    }

    /// <summary>An SDK HttpClient factory whose handler records the first request and answers nothing.</summary>
    internal sealed class CapturingHttp : HttpClientFactory
    {
        private HttpRequestMessage? _request;

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new HttpClient(new Handler(this));

        // A cached HttpClient could belong to another factory and reach the network: never cache.
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

        /// <summary>Runs a call that stops at the handler: the request's URL (scheme and host) and credential scope, or the error before it.</summary>
        public static async Task<((string Url, string SigningRegion, string SigningName)? Request, Exception? Error)> SendAsync(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (CapturedException captured)
            {
                return (Read(captured.Request), null);
            }
            catch (Exception e) when (e.InnerException is CapturedException inner)
            {
                return (Read(inner.Request), null);
            }
            catch (Exception e)
            {
                return (null, e);
            }
            throw new InvalidOperationException("the call returned without sending a request");
        }

        /// <summary>Scheme and host, and the SigV4 credential scope (key/date/region/service/aws4_request).</summary>
        private static (string Url, string SigningRegion, string SigningName) Read(HttpRequestMessage request)
        {
            var authorization = string.Join(",", request.Headers.GetValues("Authorization"));
            var scope = authorization.Split("Credential=")[1].Split(',')[0].Split('/');
            return (request.RequestUri!.GetLeftPart(UriPartial.Authority), scope[2], scope[3]);
        }

        private sealed class Handler : HttpMessageHandler
        {
            private readonly CapturingHttp _owner;

            public Handler(CapturingHttp owner) => _owner = owner;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                _owner._request ??= request;
                throw new CapturedException(request);
            }
        }
    }

    internal sealed class CapturedException : Exception
    {
        public CapturedException(HttpRequestMessage request)
            : base("request captured") => Request = request;

        public HttpRequestMessage Request { get; }
    }
}
