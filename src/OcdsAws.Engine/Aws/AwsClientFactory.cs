using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;

namespace OcdsAws.Aws
{
    /// <summary>Creates every client of one <see cref="AwsSession"/>, each reporting its calls to one observer.</summary>
    internal sealed class AwsClientFactory : IDisposable
    {
        private readonly ConcurrentDictionary<AwsService, AwsServiceClient> _clients = new ConcurrentDictionary<AwsService, AwsServiceClient>();
        private readonly Action<AwsCallRecord>? _observer;
        // Lazy: a service may first ask for a client on a worker thread while another item's work uses the same factory.
        private readonly Lazy<AmazonSecurityTokenServiceClient> _sts;
        private readonly Lazy<AmazonEC2Client> _ec2;
        private readonly Lazy<AmazonS3Client> _s3;
        private readonly Lazy<AmazonSimpleSystemsManagementClient> _ssm;

        private readonly CallerIdentityCache _callers;
        private readonly HttpClientFactory? _http;

        /// <param name="session">Credentials, region and endpoint override of every client.</param>
        /// <param name="observer">Receives each AWS call's record.</param>
        /// <param name="callers">The session's caller identity cache.</param>
        /// <param name="http">Where clients get their HttpClient (tests: a loopback capture); null: the SDK's own.</param>
        public AwsClientFactory(AwsSession session, Action<AwsCallRecord>? observer, CallerIdentityCache? callers = null, HttpClientFactory? http = null)
        {
            Session = session;
            _observer = observer;
            _callers = callers ?? new CallerIdentityCache();
            _http = http;
            _sts = new Lazy<AmazonSecurityTokenServiceClient>(() => new LoggedStsClient(Session.Credentials, Configure(new AmazonSecurityTokenServiceConfig()), _observer));
            _ec2 = new Lazy<AmazonEC2Client>(() => new LoggedEc2Client(Session.Credentials, Configure(new AmazonEC2Config()), _observer));
            _s3 = new Lazy<AmazonS3Client>(() => new LoggedS3Client(Session.Credentials, Configure(new AmazonS3Config { ForcePathStyle = Session.EndpointUrl != null }), _observer));
            _ssm = new Lazy<AmazonSimpleSystemsManagementClient>(() => new LoggedSsmClient(Session.Credentials, Configure(new AmazonSimpleSystemsManagementConfig()), _observer));
        }

        public AwsSession Session { get; }

        public AwsServiceClient Get(AwsService service)
            => _clients.GetOrAdd(service, s => new AwsServiceClient(Session.Credentials, Configure(new AwsServiceConfig(s)), _observer));

        public AmazonSecurityTokenServiceClient Sts => _sts.Value;

        public AmazonEC2Client Ec2 => _ec2.Value;

        public AmazonS3Client S3 => _s3.Value;

        public AmazonSimpleSystemsManagementClient Ssm => _ssm.Value;

        /// <summary>Who the credentials belong to: asked once per session (PowerShell runspace), or again with <paramref name="refresh"/>.</summary>
        public Task<CallerIdentity> CallerAsync(CancellationToken ct, bool refresh = false) => _callers.GetAsync(Session, Sts, refresh, ct);

        /// <summary>The endpoint each client will call, as the clients themselves resolve it.</summary>
        public string ResolveEndpoint(AwsService service)
            => Configure(new AwsServiceConfig(service)).DetermineServiceOperationEndpoint(
                new ServiceOperationEndpointParameters(new QueryRequest("Describe", new QueryParameters()))).URL.TrimEnd('/');

        /// <summary>
        /// Endpoints of the SDK-package clients, as their own endpoint rules resolve them (S3: the account-level endpoint;
        /// bucket requests go to the bucket's virtual host on it). A variant the rules refuse (S3 FIPS in China) is reported
        /// as "(not available: ...)", not as a failure of the whole report.
        /// </summary>
        public (string Service, string Url)[] ResolveSdkEndpoints() => new[]
        {
            ("STS", Describe(() => Configure(new AmazonSecurityTokenServiceConfig()).DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new GetCallerIdentityRequest())))),
            ("EC2", Describe(() => Configure(new AmazonEC2Config()).DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new DescribeVpcsRequest())))),
            ("S3", Describe(() => Configure(new AmazonS3Config { ForcePathStyle = Session.EndpointUrl != null }).DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(new ListBucketsRequest())))),
            // New-AuroraBastion reads the public AMI parameter through SSM.
            ("SSM", Describe(() => Configure(new AmazonSimpleSystemsManagementConfig()).DetermineServiceOperationEndpoint(
                new ServiceOperationEndpointParameters(new Amazon.SimpleSystemsManagement.Model.GetParameterRequest())))),
        };

        private static string Describe(Func<Endpoint> resolve)
        {
            try
            {
                return resolve().URL.TrimEnd('/');
            }
            catch (AmazonClientException e)
            {
                return "(not available: " + e.Message + ")";
            }
        }

        /// <summary>-EndpointUrl as AWS.Tools applies it: ServiceURL plus the signing region.</summary>
        private T Configure<T>(T config) where T : ClientConfig
        {
            if (Session.EndpointUrl != null)
            {
                config.ServiceURL = Session.EndpointUrl.ToString();
                config.AuthenticationRegion = Session.Region.SystemName;
            }
            else
            {
                config.RegionEndpoint = Session.Region;
                // An endpoint from AWS_ENDPOINT_URL(_<SERVICE>) or the config file's services section (the SDK reads them
                // into ServiceURL) must sign for the session's region too, as -EndpointUrl does: otherwise the SDK-package
                // clients (EC2, S3, STS, SSM) sign for the region they guess from the URL (us-east-1 for a bare host)
                // while the protocol layer's clients use the session's, and one command works in two regions.
                if (config.ServiceURL != null) config.AuthenticationRegion = Session.Region.SystemName;
            }
            if (_http != null) config.HttpClientFactory = _http;
            return config;
        }

        public void Dispose()
        {
            foreach (var client in _clients.Values) client.Dispose();
            if (_sts.IsValueCreated) _sts.Value.Dispose();
            if (_ec2.IsValueCreated) _ec2.Value.Dispose();
            if (_s3.IsValueCreated) _s3.Value.Dispose();
            if (_ssm.IsValueCreated) _ssm.Value.Dispose();
        }
    }
}
