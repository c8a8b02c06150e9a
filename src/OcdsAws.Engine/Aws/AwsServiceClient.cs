using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace OcdsAws.Aws
{
    /// <summary>
    /// A client on AWSSDK.Core's own pipeline for a service that has no SDK package here. Core does
    /// credentials, SigV4, retries, endpoints and error mapping; this class only supplies the generic
    /// marshallers and the endpoint/auth handlers an SDK package would generate.
    /// </summary>
    internal sealed class AwsServiceClient : AmazonServiceClient
    {
        // Initialised before the base constructor runs, which is where the pipeline is customised.
        private readonly CallLogHandler _callLog = new CallLogHandler();
        private readonly InvokeOptions _queryOptions;
        private readonly InvokeOptions _restJsonOptions;

        public AwsServiceClient(AWSCredentials credentials, AwsServiceConfig config, Action<AwsCallRecord>? observer)
            : base(credentials, config)
        {
            Service = config.Service;
            _callLog.Observer = observer;
            _queryOptions = new InvokeOptions { RequestMarshaller = new QueryMarshaller(Service), ResponseUnmarshaller = QueryUnmarshaller.Instance };
            _restJsonOptions = new InvokeOptions { RequestMarshaller = new RestJsonMarshaller(Service), ResponseUnmarshaller = RestJsonUnmarshaller.Instance };
        }

        public AwsService Service { get; }

        /// <summary>Calls a Query action and returns its <c>&lt;ActionResult&gt;</c> element.</summary>
        public async Task<XElement> QueryAsync(string action, QueryParameters parameters, CancellationToken cancellationToken)
        {
            RequireProtocol(AwsProtocol.Query);
            var response = await InvokeAsync<QueryResponse>(new QueryRequest(action, parameters), _queryOptions, cancellationToken).ConfigureAwait(false);
            return response.Result;
        }

        /// <summary>Calls a REST-JSON operation and returns its body.</summary>
        public async Task<JsonNode?> RestJsonAsync(RestJsonRequest request, CancellationToken cancellationToken)
        {
            RequireProtocol(AwsProtocol.RestJson);
            var response = await InvokeAsync<RestJsonResponse>(request, _restJsonOptions, cancellationToken).ConfigureAwait(false);
            return response.Body;
        }

        protected override IServiceMetadata ServiceMetadata => new Metadata(((AwsServiceConfig)Config).Service.ServiceId);

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            pipeline.RemoveHandler<EndpointResolver>();
            pipeline.AddHandlerAfter<Marshaller>(new AwsEndpointResolver());
            pipeline.AddHandlerAfter<Marshaller>(new AwsAuthSchemeHandler());
            var config = (AwsServiceConfig)Config;
            CallHandlers.AddTo(pipeline, _callLog, new OperationSpacingHandler(config.Service, config.AuthenticationRegion ?? config.RegionEndpoint?.SystemName ?? ""));
        }

        private void RequireProtocol(AwsProtocol protocol)
        {
            if (Service.Protocol != protocol)
                throw new InvalidOperationException($"{Service} speaks {Service.Protocol}, not {protocol}.");
        }

        private sealed class Metadata : IServiceMetadata
        {
            public Metadata(string serviceId) => ServiceId = serviceId;

            public string ServiceId { get; }

            public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>();
        }
    }
}
