using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Transform;

namespace OcdsAws.Aws
{
    /// <summary>
    /// The parameters of one AWS Query call, flattened the way the Query protocol wants them.
    /// List and map naming differs per service (SNS/IAM/SES <c>X.member.N</c>, RDS
    /// <c>SubnetIds.SubnetIdentifier.N</c>, SNS maps <c>Attributes.entry.N.key</c>), so callers
    /// pass the full prefix from the service model.
    /// </summary>
    internal sealed class QueryParameters
    {
        private readonly List<KeyValuePair<string, string>> _items = new List<KeyValuePair<string, string>>();

        public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

        /// <summary>Adds a scalar; null values are omitted as the SDK omits unset members.</summary>
        public QueryParameters Add(string name, string? value)
        {
            if (value != null) _items.Add(new KeyValuePair<string, string>(name, value));
            return this;
        }

        public QueryParameters Add(string name, bool? value) => Add(name, value?.ToString().ToLowerInvariant());

        public QueryParameters Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

        public QueryParameters Add(string name, double? value) => Add(name, value?.ToString("R", CultureInfo.InvariantCulture));

        /// <summary>Adds <c>prefix.1</c>, <c>prefix.2</c>… for a list of scalars.</summary>
        public QueryParameters AddList(string prefix, IEnumerable<string>? values)
        {
            if (values == null) return this;
            var i = 0;
            foreach (var value in values) Add($"{prefix}.{++i}", value);
            return this;
        }

        /// <summary>Adds <c>prefix.N.field</c> members for a list of structures.</summary>
        public QueryParameters AddList<T>(string prefix, IEnumerable<T>? values, Action<QueryParameters, string, T> addMembers)
        {
            if (values == null) return this;
            var i = 0;
            foreach (var value in values) addMembers(this, $"{prefix}.{++i}", value);
            return this;
        }

        /// <summary>Adds <c>prefix.N.key</c> / <c>prefix.N.value</c> pairs for a map.</summary>
        public QueryParameters AddMap(string prefix, IEnumerable<KeyValuePair<string, string>>? map, string keyName = "key", string valueName = "value")
        {
            if (map == null) return this;
            var i = 0;
            foreach (var pair in map)
            {
                i++;
                Add($"{prefix}.{i}.{keyName}", pair.Key);
                Add($"{prefix}.{i}.{valueName}", pair.Value);
            }
            return this;
        }
    }

    /// <summary>One AWS Query call as Core sees it.</summary>
    internal sealed class QueryRequest : AmazonWebServiceRequest, IAwsOperationRequest
    {
        public QueryRequest(string action, QueryParameters parameters)
        {
            Operation = action;
            Parameters = parameters;
        }

        public string Operation { get; }

        public QueryParameters Parameters { get; }
    }

    /// <summary>The <c>&lt;ActionResult&gt;</c> element of a Query response, with namespaces stripped.</summary>
    internal sealed class QueryResponse : AmazonWebServiceResponse
    {
        public XElement Result { get; set; } = new XElement("Result");
    }

    /// <summary>The one Query marshaller: Action, Version and the flattened parameters; Core writes the form body.</summary>
    internal sealed class QueryMarshaller : IMarshaller<IRequest, AmazonWebServiceRequest>
    {
        private readonly AwsService _service;

        public QueryMarshaller(AwsService service) => _service = service;

        public IRequest Marshall(AmazonWebServiceRequest input)
        {
            var query = (QueryRequest)input;
            var request = new DefaultRequest(query, "OcdsAws." + _service.ServiceId)
            {
                HttpMethod = "POST",
                ResourcePath = "/",
            };
            request.Parameters.Add("Action", query.Operation);
            request.Parameters.Add("Version", _service.ApiVersion);
            foreach (var item in query.Parameters.Items) request.Parameters.Add(item.Key, item.Value);
            return request;
        }
    }

    /// <summary>The one Query unmarshaller: the result element as XML; errors through Core's own XML error reader.</summary>
    internal sealed class QueryUnmarshaller : XmlResponseUnmarshaller
    {
        public static readonly QueryUnmarshaller Instance = new QueryUnmarshaller();

        public override AmazonWebServiceResponse Unmarshall(XmlUnmarshallerContext context)
        {
            var root = StripNamespaces(XDocument.Load(context.Stream).Root ?? new XElement("Empty"));
            var response = new QueryResponse
            {
                Result = root.Elements().FirstOrDefault(e => e.Name.LocalName.EndsWith("Result", StringComparison.Ordinal))
                    ?? new XElement("Result"),
                ResponseMetadata = new ResponseMetadata
                {
                    RequestId = (string?)root.Element("ResponseMetadata")?.Element("RequestId"),
                },
            };
            return response;
        }

        public override AmazonServiceException UnmarshallException(XmlUnmarshallerContext context, Exception innerException, HttpStatusCode statusCode)
        {
            var error = XmlErrorResponseUnmarshaller.GetInstance().Unmarshall(context);
            return new AmazonServiceException(error.Message, innerException, error.Type, error.Code, error.RequestId, statusCode);
        }

        private static XElement StripNamespaces(XElement element) => new XElement(
            element.Name.LocalName,
            element.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => new XAttribute(a.Name.LocalName, a.Value)),
            element.Nodes().Select(n => n is XElement child ? StripNamespaces(child) : n));
    }

    /// <summary>Reading helpers for Query results.</summary>
    internal static class QueryXml
    {
        public static string? Text(this XElement element, string name) => (string?)element.Element(name);

        public static bool? Bool(this XElement element, string name)
            => element.Element(name) is XElement e ? string.Equals(e.Value, "true", StringComparison.OrdinalIgnoreCase) : (bool?)null;

        public static int? Int(this XElement element, string name)
            => element.Element(name) is XElement e && int.TryParse(e.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (int?)null;

        public static double? Double(this XElement element, string name)
            => element.Element(name) is XElement e && double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null;

        public static DateTime? Time(this XElement element, string name)
            => element.Element(name) is XElement e && DateTime.TryParse(e.Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var v) ? v : (DateTime?)null;

        /// <summary>The items of a list member: <c>&lt;Name&gt;&lt;member/&gt;…&lt;/Name&gt;</c> (or another item name).</summary>
        public static IEnumerable<XElement> List(this XElement element, string name, string item = "member")
            => element.Element(name)?.Elements(item) ?? Enumerable.Empty<XElement>();

        /// <summary>The entries of a map member: <c>&lt;entry&gt;&lt;key/&gt;&lt;value/&gt;&lt;/entry&gt;</c>.</summary>
        public static Dictionary<string, XElement> Map(this XElement element, string name, string key = "key", string value = "value")
            => (element.Element(name)?.Elements("entry") ?? Enumerable.Empty<XElement>())
                .ToDictionary(e => (string?)e.Element(key) ?? "", e => e.Element(value) ?? new XElement(value), StringComparer.Ordinal);
    }
}
