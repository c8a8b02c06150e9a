using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace OcdsAws.Aws.Services
{
    /// <summary>The result of ExecuteStatement: column names and rows of plain values.</summary>
    internal sealed class SqlResult
    {
        public IReadOnlyList<string> Columns { get; set; } = new string[0];
        public IReadOnlyList<object?[]> Rows { get; set; } = new object?[0][];
        public long? NumberOfRecordsUpdated { get; set; }
    }

    /// <summary>RDS Data API (REST-JSON).</summary>
    internal sealed class RdsDataApi
    {
        private readonly AwsServiceClient _client;

        public RdsDataApi(AwsServiceClient client) => _client = client;

        public async Task<SqlResult> ExecuteStatementAsync(string resourceArn, string secretArn, string sql, string? database,
            IEnumerable<KeyValuePair<string, object?>>? parameters, CancellationToken ct)
        {
            var body = new JsonObject
            {
                ["resourceArn"] = resourceArn,
                ["secretArn"] = secretArn,
                ["sql"] = sql,
                ["includeResultMetadata"] = true,
            };
            if (database != null) body["database"] = database;
            if (parameters != null) body["parameters"] = new JsonArray(parameters.Select(p => (JsonNode)new JsonObject { ["name"] = p.Key, ["value"] = Field(p.Value) }).ToArray());
            var response = await _client.RestJsonAsync(new RestJsonRequest("ExecuteStatement", "POST", "/Execute").WithBody(body), ct).ConfigureAwait(false);
            return new SqlResult
            {
                Columns = response.Items("columnMetadata").Select(c => c.Str("label") ?? c.Str("name") ?? "").ToList(),
                Rows = response.Items("records").OfType<JsonArray>().Select(r => r.Select(Value).ToArray()).ToList(),
                NumberOfRecordsUpdated = response.Long("numberOfRecordsUpdated"),
            };
        }

        /// <summary>A Data API Field union for a .NET value.</summary>
        private static JsonObject Field(object? value) => value switch
        {
            null => new JsonObject { ["isNull"] = true },
            bool b => new JsonObject { ["booleanValue"] = b },
            int i => new JsonObject { ["longValue"] = i },
            long l => new JsonObject { ["longValue"] = l },
            double d => new JsonObject { ["doubleValue"] = d },
            float f => new JsonObject { ["doubleValue"] = f },
            decimal m => new JsonObject { ["stringValue"] = m.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            byte[] bytes => new JsonObject { ["blobValue"] = System.Convert.ToBase64String(bytes) },
            _ => new JsonObject { ["stringValue"] = System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) },
        };

        /// <summary>The .NET value of a Data API Field union.</summary>
        private static object? Value(JsonNode? field)
        {
            if (field == null || field.Bool("isNull") == true) return null;
            if (field["stringValue"] != null) return field.Str("stringValue");
            if (field["longValue"] != null) return field.Long("longValue");
            if (field["doubleValue"] != null) return field.Double("doubleValue");
            if (field["booleanValue"] != null) return field.Bool("booleanValue");
            if (field["blobValue"] != null) return System.Convert.FromBase64String(field.Str("blobValue") ?? "");
            if (field["arrayValue"] is JsonNode array) return array.ToJsonString();
            return field.ToJsonString();
        }
    }
}
