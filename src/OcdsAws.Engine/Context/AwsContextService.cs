using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;

namespace OcdsAws.Context
{
    /// <summary>One service client's endpoint.</summary>
    public sealed class AwsServiceEndpoint
    {
        internal AwsServiceEndpoint(string service, string url)
        {
            Service = service;
            Url = url;
        }

        /// <summary>The SDK service id (SESv2, SES, SNS, IAM, RDS, RDS Data, STS, EC2, S3, SSM).</summary>
        public string Service { get; }

        /// <summary>The URL the client sends requests to.</summary>
        public string Url { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Service}={Url}";
    }

    /// <summary>Which account, identity, region and endpoints the module is pointed at.</summary>
    public sealed class OcdsAwsContext
    {
        internal OcdsAwsContext(string account, string arn, string userId, string region, string regionSource,
            string credentialSource, string? endpointUrl, IReadOnlyList<AwsServiceEndpoint> endpoints)
        {
            Account = account;
            Arn = arn;
            UserId = userId;
            Region = region;
            RegionSource = regionSource;
            CredentialSource = credentialSource;
            EndpointUrl = endpointUrl;
            Endpoints = endpoints;
        }

        /// <summary>The AWS account id (STS GetCallerIdentity).</summary>
        public string Account { get; }

        /// <summary>The caller's ARN.</summary>
        public string Arn { get; }

        /// <summary>The caller's unique id.</summary>
        public string UserId { get; }

        /// <summary>The region every client uses.</summary>
        public string Region { get; }

        /// <summary>Where the region came from.</summary>
        public string RegionSource { get; }

        /// <summary>Where the credentials came from.</summary>
        public string CredentialSource { get; }

        /// <summary>The -EndpointUrl override, if any.</summary>
        public string? EndpointUrl { get; }

        /// <summary>The endpoint of each service client.</summary>
        public IReadOnlyList<AwsServiceEndpoint> Endpoints { get; }
    }

    /// <summary>Answers "am I pointed at the right account?" with one STS call.</summary>
    internal sealed class AwsContextService
    {
        private readonly AwsClientFactory _clients;

        public AwsContextService(AwsClientFactory clients) => _clients = clients;

        public async Task<OcdsAwsContext> GetAsync(CancellationToken cancellationToken)
        {
            // Always asked (this is the "who am I?" check), and remembered for the session's next cmdlets.
            var identity = await _clients.CallerAsync(cancellationToken, refresh: true).ConfigureAwait(false);
            var endpoints = AwsService.All.Select(s => new AwsServiceEndpoint(s.ServiceId, _clients.ResolveEndpoint(s)))
                .Concat(_clients.ResolveSdkEndpoints().Select(e => new AwsServiceEndpoint(e.Service, e.Url)))
                .ToList();
            var session = _clients.Session;
            return new OcdsAwsContext(identity.Account, identity.Arn, identity.UserId, session.Region.SystemName, session.RegionSource,
                session.CredentialSource, session.EndpointUrl?.ToString(), endpoints);
        }
    }
}
