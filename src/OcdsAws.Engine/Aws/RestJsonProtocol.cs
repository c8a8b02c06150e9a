using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;
using Amazon.Runtime.Internal.Util;

namespace OcdsAws.Aws
{
    /// <summary>One REST-JSON call: method, path template with <c>{Label}</c> resources, query, JSON body.</summary>
    internal sealed class RestJsonRequest : AmazonWebServiceRequest, IAwsOperationRequest
    {
        public RestJsonRequest(string operation, string method, string pathTemplate)
        {
            Operation = operation;
            Method = method;
            PathTemplate = pathTemplate;
        }

        public string Operation { get; }

        public string Method { get; }

        public string PathTemplate { get; }

        public Dictionary<string, string> PathParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public Dictionary<string, string> QueryParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The JSON body; null sends none (botocore sends none when no body member is modelled).</summary>
        public JsonObject? Body { get; set; }

        public RestJsonRequest WithPath(string label, string value)
        {
            PathParameters[label] = value;
            return this;
        }

        public RestJsonRequest WithQuery(string name, string? value)
        {
            if (value != null) QueryParameters[name] = value;
            return this;
        }

        public RestJsonRequest WithBody(JsonObject body)
        {
            Body = body;
            return this;
        }
    }

    /// <summary>A REST-JSON response body (null when the service sent none).</summary>
    internal sealed class RestJsonResponse : AmazonWebServiceResponse
    {
        public JsonNode? Body { get; set; }
    }

    /// <summary>The one REST-JSON marshaller; Core encodes the path resources and signs.</summary>
    internal sealed class RestJsonMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        private readonly AwsService _service;

        public RestJsonMarshaller(AwsService service) => _service = service;

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var call = (RestJsonRequest)input;
            var request = new DefaultRequest(call, "OcdsAws." + _service.ServiceId)
            {
                HttpMethod = call.Method,
                ResourcePath = call.PathTemplate,
            };
            foreach (var label in call.PathParameters)
                request.AddPathResource("{" + label.Key + "}", StringUtils.FromString(label.Value));
            if (call.QueryParameters.Count > 0)
            {
                foreach (var item in call.QueryParameters) request.Parameters.Add(item.Key, item.Value);
                request.UseQueryString = true;
            }
            if (call.Body != null)
            {
                request.Content = Encoding.UTF8.GetBytes(call.Body.ToJsonString());
                request.Headers["Content-Type"] = "application/json";
            }
            return request;
        }
    }

    /// <summary>The one REST-JSON unmarshaller; errors through Core's own JSON error reader.</summary>
    internal sealed class RestJsonUnmarshaller : JsonResponseUnmarshaller
    {
        public static readonly RestJsonUnmarshaller Instance = new RestJsonUnmarshaller();

        public override AmazonWebServiceResponse Unmarshall(JsonUnmarshallerContext context)
        {
            string text;
            using (var reader = new StreamReader(context.Stream, Encoding.UTF8))
                text = reader.ReadToEnd();
            return new RestJsonResponse
            {
                Body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text),
                ResponseMetadata = new ResponseMetadata
                {
                    RequestId = context.ResponseData.GetHeaderValue("x-amzn-RequestId"),
                },
            };
        }

        public override AmazonServiceException UnmarshallException(JsonUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            var reader = new StreamingUtf8JsonReader(context.Stream);
            var error = JsonErrorResponseUnmarshaller.GetInstance().Unmarshall(context, ref reader);
            return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
        }
    }
}
