using System.Collections.Generic;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace OcdsAws.Aws
{
    /// <summary>
    /// The <see cref="ClientConfig"/> an SDK package would generate for a service, built from an
    /// <see cref="AwsService"/>. Setting <c>ServiceId</c> is what makes <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c>,
    /// <c>AWS_ENDPOINT_URL</c> and the config file's <c>services</c> sections work as in the SDK.
    /// </summary>
    internal sealed class AwsServiceConfig : ClientConfig
    {
        public AwsServiceConfig(AwsService service)
            : base(new DefaultConfigurationProvider(DefaultConfigurations))
        {
            Service = service;
            base.ServiceId = service.ServiceId;
            AuthenticationServiceName = service.SigningName;
            EndpointProvider = new AwsEndpointProvider(service);
        }

        /// <summary>The service this config is for.</summary>
        public AwsService Service { get; }

        /// <inheritdoc />
        public override string ServiceVersion => Service.ApiVersion;

        /// <inheritdoc />
        public override string UserAgent => "OcdsAws/" + ModuleInfo.Version;

        /// <inheritdoc />
        public override string RegionEndpointServiceName => Service.EndpointPrefix;

        /// <inheritdoc />
        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
        {
            var endpointParameters = AwsEndpointResolver.Map(this, parameters.AlternateEndpoint?.SystemName);
            return EndpointProvider.ResolveEndpoint(endpointParameters);
        }

        // The SDK's "smart defaults" (AWS_DEFAULTS_MODE / defaults_mode): standard retries everywhere;
        // the timeouts are those the SDK packages ship for every service.
        private static readonly IEnumerable<IDefaultConfiguration> DefaultConfigurations = new[]
        {
            Mode(DefaultConfigurationMode.Standard, 3100),
            Mode(DefaultConfigurationMode.InRegion, 1100),
            Mode(DefaultConfigurationMode.CrossRegion, 3100),
            Mode(DefaultConfigurationMode.Mobile, 30000),
            Mode(DefaultConfigurationMode.Auto, 1100),
        };

        private static IDefaultConfiguration Mode(DefaultConfigurationMode name, int connectMilliseconds) => new DefaultConfiguration
        {
            Name = name,
            RetryMode = RequestRetryMode.Standard,
            S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
            ConnectTimeout = System.TimeSpan.FromMilliseconds(connectMilliseconds),
            TlsNegotiationTimeout = System.TimeSpan.FromMilliseconds(connectMilliseconds),
        };
    }
}
