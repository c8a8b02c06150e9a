using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace OcdsAws.Aws
{
    /// <summary>
    /// Endpoint rules for the services without an SDK package: a custom endpoint wins, otherwise the
    /// host comes from Core's own partition table (<see cref="Fn.Partition"/>), with FIPS and
    /// dual-stack variants; IAM uses its partition's global endpoint, signed for the home region.
    /// </summary>
    internal sealed class AwsEndpointProvider : IEndpointProvider
    {
        private readonly AwsService _service;

        public AwsEndpointProvider(AwsService service) => _service = service;

        /// <inheritdoc />
        public Endpoint ResolveEndpoint(EndpointParameters parameters)
        {
            var region = parameters["Region"] as string;
            var useFips = parameters["UseFIPS"] as bool? ?? false;
            var useDualStack = parameters["UseDualStack"] as bool? ?? false;
            var custom = parameters["Endpoint"] as string;

            if (!string.IsNullOrEmpty(custom))
            {
                if (useFips) throw new AmazonClientException("Invalid Configuration: FIPS and custom endpoint are not supported");
                if (useDualStack) throw new AmazonClientException("Invalid Configuration: Dualstack and custom endpoint are not supported");
                return WithSigV4(custom!, region);
            }

            if (string.IsNullOrEmpty(region)) throw new AmazonClientException("Invalid Configuration: Missing Region");
            var partition = Fn.Partition(region!) ?? throw new AmazonClientException($"Region '{region}' is in no known partition.");
            if (useFips && !partition.supportsFIPS) throw new AmazonClientException($"FIPS is enabled but partition {partition.name} does not support FIPS");
            if (useDualStack && !partition.supportsDualStack) throw new AmazonClientException($"DualStack is enabled but partition {partition.name} does not support DualStack");

            var suffix = useDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
            var prefix = useFips ? _service.EndpointPrefix + "-fips" : _service.EndpointPrefix;

            if (_service.IsGlobal && !useDualStack)
            {
                // IAM: one endpoint per partition. Its signing region is the partition's home region.
                var global = GlobalEndpoint(partition.name, useFips);
                if (global != null) return WithSigV4(global.Value.Url, global.Value.SigningRegion);
            }

            return WithSigV4($"https://{prefix}.{region}.{suffix}", region);
        }

        private (string Url, string SigningRegion)? GlobalEndpoint(string partition, bool fips) => partition switch
        {
            "aws" => (fips ? "https://iam-fips.amazonaws.com" : "https://iam.amazonaws.com", "us-east-1"),
            "aws-us-gov" => ("https://iam.us-gov.amazonaws.com", "us-gov-west-1"),
            "aws-cn" when !fips => ("https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"),
            _ => null,
        };

        private Endpoint WithSigV4(string url, string? signingRegion)
        {
            var scheme = "{\"name\":\"sigv4\",\"signingName\":\"" + _service.SigningName + "\""
                + (string.IsNullOrEmpty(signingRegion) ? "" : ",\"signingRegion\":\"" + signingRegion + "\"") + "}";
            return new Endpoint(url, "{\"authSchemes\":[" + scheme + "]}", "{}");
        }
    }

    /// <summary>
    /// Pipeline handler that replaces Core's legacy <c>EndpointResolver</c>: maps the client config
    /// to endpoint parameters and lets <see cref="BaseEndpointResolver"/> apply the result.
    /// </summary>
    internal sealed class AwsEndpointResolver : BaseEndpointResolver
    {
        /// <inheritdoc />
        protected override EndpointParameters MapEndpointsParameters(IRequestContext requestContext)
            => Map(requestContext.ClientConfig, requestContext.Request.AlternateEndpoint?.SystemName);

        /// <summary>The endpoint parameters of a config, shared with <see cref="AwsServiceConfig"/>.</summary>
        public static EndpointParameters Map(IClientConfig config, string? alternateRegion)
        {
            var parameters = new EndpointParameters();
            // Setting ServiceURL clears RegionEndpoint, so a custom endpoint signs for AuthenticationRegion.
            parameters["Region"] = alternateRegion ?? config.RegionEndpoint?.SystemName ?? config.AuthenticationRegion;
            parameters["UseFIPS"] = config.UseFIPSEndpoint;
            parameters["UseDualStack"] = config.UseDualstackEndpoint;
            parameters["Endpoint"] = config.ServiceURL;
            return parameters;
        }
    }

    /// <summary>
    /// Chooses SigV4 for every operation. Without an auth-scheme handler after the marshaller, Core
    /// has no signer and calls end in a bare NullReferenceException.
    /// </summary>
    internal sealed class AwsAuthSchemeHandler : BaseAuthResolverHandler
    {
        private readonly AwsEndpointResolver _endpointResolver = new AwsEndpointResolver();

        /// <inheritdoc />
        protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext)
        {
            var fromEndpoint = RetrieveSchemesFromEndpoint(_endpointResolver.GetEndpoint(executionContext));
            return fromEndpoint ?? new List<IAuthSchemeOption> { new AuthSchemeOption { SchemeId = "aws.auth#sigv4" } };
        }
    }
}
