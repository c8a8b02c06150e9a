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
    /// Endpoint rules for the services without an SDK package, ported from the rule sets botocore 1.43.11 ships
    /// (botocore/data/&lt;service&gt;/&lt;api-version&gt;/endpoint-rule-set-1.json for sesv2 2019-09-27, ses 2010-12-01,
    /// sns 2010-03-31, iam 2010-05-08, rds 2014-10-31, rds-data 2018-08-01), over Core's own partition table
    /// (<see cref="Fn.Partition"/>, the same data as botocore's partitions.json). Error texts are the rule sets' own.
    /// tests/OcdsAws.Tests/Aws/EndpointMatrixTests.cs compares every service, region and variant with what botocore sends.
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

            // Every rule set starts with these three rules.
            if (!string.IsNullOrEmpty(custom))
            {
                if (useFips) throw new AmazonClientException("Invalid Configuration: FIPS and custom endpoint are not supported");
                if (useDualStack) throw new AmazonClientException("Invalid Configuration: Dualstack and custom endpoint are not supported");
                // No authSchemes in the rule: the client signs for its own region (AuthenticationRegion, see AwsEndpointResolver.Map).
                return WithSigV4(custom!, region);
            }
            if (string.IsNullOrEmpty(region)) throw new AmazonClientException("Invalid Configuration: Missing Region");
            var partition = Fn.Partition(region!) ?? throw new AmazonClientException($"Region '{region}' is in no known partition.");

            return _service.IsGlobal ? IamEndpoint(partition, useFips, useDualStack) : RegionalEndpoint(partition, region!, useFips, useDualStack);
        }

        /// <summary>
        /// The regional template every non-IAM rule set here follows (no authSchemes: signed for the client's region),
        /// plus the FIPS exceptions of SNS and RDS in GovCloud.
        /// </summary>
        private Endpoint RegionalEndpoint(Partition partition, string region, bool fips, bool dualStack)
        {
            var prefix = _service.EndpointPrefix;
            if (fips && dualStack)
            {
                if (!partition.supportsFIPS || !partition.supportsDualStack)
                    throw new AmazonClientException("FIPS and DualStack are enabled, but this partition does not support one or both");
                return WithSigV4($"https://{prefix}-fips.{region}.{partition.dualStackDnsSuffix}", region);
            }
            if (fips)
            {
                if (!partition.supportsFIPS) throw new AmazonClientException("FIPS is enabled but this partition does not support FIPS");
                return WithSigV4(GovCloudFipsUrl(partition, region) ?? $"https://{prefix}-fips.{region}.{partition.dnsSuffix}", region);
            }
            if (dualStack)
            {
                if (!partition.supportsDualStack) throw new AmazonClientException("DualStack is enabled but this partition does not support DualStack");
                return WithSigV4($"https://{prefix}.{region}.{partition.dualStackDnsSuffix}", region);
            }
            return WithSigV4($"https://{prefix}.{region}.{partition.dnsSuffix}", region);
        }

        /// <summary>
        /// GovCloud's FIPS endpoints that are the plain hosts (FIPS without dual-stack only):
        /// sns rule set: Region us-gov-east-1 / us-gov-west-1 -> https://sns.{Region}.amazonaws.com;
        /// rds rule set: partition aws-us-gov -> https://rds.{Region}.amazonaws.com.
        /// SES, SESv2 and RDS Data follow the -fips pattern there (email-fips.us-gov-west-1.amazonaws.com).
        /// </summary>
        private string? GovCloudFipsUrl(Partition partition, string region)
        {
            if (_service == AwsService.Sns && (region == "us-gov-east-1" || region == "us-gov-west-1"))
                return $"https://sns.{region}.amazonaws.com";
            if (_service == AwsService.Rds && partition.name == "aws-us-gov")
                return $"https://rds.{region}.amazonaws.com";
            return null;
        }

        /// <summary>
        /// IAM (iam 2010-05-08 rule set): one endpoint per partition, signed for the partition's region (authSchemes
        /// signingRegion). Named partitions first, in the rule set's order; then its generic rules over the
        /// partition's implicitGlobalRegion. Dual-stack commercial IAM is iam.global.api.aws, not iam.&lt;region&gt;.api.aws.
        /// </summary>
        private Endpoint IamEndpoint(Partition partition, bool fips, bool dualStack)
        {
            switch (partition.name)
            {
                case "aws" when dualStack:
                    return WithSigV4(fips ? "https://iam-fips.global.api.aws" : "https://iam.global.api.aws", "us-east-1");
                case "aws-cn" when !fips:
                    return WithSigV4(dualStack ? "https://iam.global.api.amazonwebservices.com.cn" : "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1");
                case "aws-us-gov": // FIPS or not: GovCloud IAM is FIPS already.
                    return WithSigV4(dualStack ? "https://iam.us-gov.api.aws" : "https://iam.us-gov.amazonaws.com", "us-gov-west-1");
                case "aws-iso" when !dualStack:
                    return WithSigV4(fips ? "https://iam-fips.us-iso-east-1.c2s.ic.gov" : "https://iam.us-iso-east-1.c2s.ic.gov", "us-iso-east-1");
                case "aws-iso-b" when !dualStack:
                    return WithSigV4(fips ? "https://iam-fips.us-isob-east-1.sc2s.sgov.gov" : "https://iam.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1");
                case "aws-iso-e" when !fips && !dualStack:
                    return WithSigV4("https://iam.eu-isoe-west-1.cloud.adc-e.uk", "eu-isoe-west-1");
                case "aws-iso-f" when !fips && !dualStack:
                    return WithSigV4("https://iam.us-isof-south-1.csp.hci.ic.gov", "us-isof-south-1");
                case "aws-eusc" when !fips && !dualStack:
                    return WithSigV4("https://iam.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1");
            }

            var home = partition.implicitGlobalRegion;
            if (fips && dualStack)
            {
                if (!partition.supportsFIPS || !partition.supportsDualStack)
                    throw new AmazonClientException("FIPS and DualStack are enabled, but this partition does not support one or both");
                return WithSigV4($"https://iam-fips.{partition.dualStackDnsSuffix}", home);
            }
            if (fips)
            {
                if (!partition.supportsFIPS) throw new AmazonClientException("FIPS is enabled but this partition does not support FIPS");
                return WithSigV4($"https://iam-fips.{partition.dnsSuffix}", home);
            }
            if (dualStack)
            {
                if (!partition.supportsDualStack) throw new AmazonClientException("DualStack is enabled but this partition does not support DualStack");
                return WithSigV4($"https://iam.{partition.dualStackDnsSuffix}", home);
            }
            return WithSigV4($"https://iam.{partition.dnsSuffix}", home);
        }

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
