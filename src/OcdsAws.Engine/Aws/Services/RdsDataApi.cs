using System;
using System.Collections.Generic;
using System.Globalization;
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
            if (parameters != null) body["parameters"] = new JsonArray(parameters.Select(p => (JsonNode)SqlParameters.ToJson(p.Key, p.Value)).ToArray());
            var response = await _client.RestJsonAsync(new RestJsonRequest("ExecuteStatement", "POST", "/Execute").WithBody(body), ct).ConfigureAwait(false);
            return new SqlResult
            {
                Columns = response.Items("columnMetadata").Select(c => c.Str("label") ?? c.Str("name") ?? "").ToList(),
                Rows = response.Items("records").OfType<JsonArray>().Select(r => r.Select(Value).ToArray()).ToList(),
                NumberOfRecordsUpdated = response.Long("numberOfRecordsUpdated"),
            };
        }

        /// <summary>The .NET value of a Data API Field union.</summary>
        private static object? Value(JsonNode? field)
        {
            if (field == null || field.Bool("isNull") == true) return null;
            if (field["stringValue"] != null) return field.Str("stringValue");
            if (field["longValue"] != null) return field.Long("longValue");
            if (field["doubleValue"] != null) return field.Double("doubleValue");
            if (field["booleanValue"] != null) return field.Bool("booleanValue");
            if (field["blobValue"] != null) return Convert.FromBase64String(field.Str("blobValue") ?? "");
            if (field["arrayValue"] is JsonNode array) return array.ToJsonString();
            return field.ToJsonString();
        }
    }

    /// <summary>
    /// .NET values as Data API SqlParameters. The Data API takes dates, times, decimals and UUIDs as strings with a
    /// typeHint (botocore rds-data model, SqlParameter.typeHint: DATE "YYYY-MM-DD", TIME "HH:MM:SS[.FFF]", TIMESTAMP
    /// "YYYY-MM-DD HH:MM:SS[.FFF]", DECIMAL, UUID, JSON); without the hint PostgreSQL gets text, which it refuses for
    /// timestamp, numeric and uuid columns. Formats are invariant, whatever the caller's culture. A value it cannot type
    /// is refused (issue #16), never turned into its ToString().
    /// </summary>
    internal static class SqlParameters
    {
        private const string Timestamp = "yyyy-MM-dd HH:mm:ss.fff";

        /// <summary>{"name":…, "value":{…}, "typeHint":…} for one parameter; throws ValidationException for a value it cannot type.</summary>
        public static JsonObject ToJson(string name, object? value)
        {
            var (field, hint) = Field(name, value);
            var parameter = new JsonObject { ["name"] = name, ["value"] = field };
            if (hint != null) parameter["typeHint"] = hint;
            return parameter;
        }

        private static (JsonObject Field, string? TypeHint) Field(string name, object? value)
        {
            static (JsonObject, string?) Text(string text, string? hint = null) => (new JsonObject { ["stringValue"] = text }, hint);
            switch (value)
            {
                case null:
                case DBNull _:
                    return (new JsonObject { ["isNull"] = true }, null);
                case bool b: return (new JsonObject { ["booleanValue"] = b }, null);
                case string text: return Text(text);
                case char c: return Text(c.ToString());
                case sbyte _: case byte _: case short _: case ushort _: case int _: case uint _: case long _:
                    return (new JsonObject { ["longValue"] = Convert.ToInt64(value, CultureInfo.InvariantCulture) }, null);
                case ulong u when u <= long.MaxValue: return (new JsonObject { ["longValue"] = (long)u }, null);
                case ulong u: return Text(u.ToString(CultureInfo.InvariantCulture), "DECIMAL");
                case float f when !float.IsNaN(f) && !float.IsInfinity(f): return (new JsonObject { ["doubleValue"] = f }, null);
                case double d when !double.IsNaN(d) && !double.IsInfinity(d): return (new JsonObject { ["doubleValue"] = d }, null);
                case decimal m: return Text(m.ToString(CultureInfo.InvariantCulture), "DECIMAL");
                case Guid g: return Text(g.ToString("D"), "UUID");
                // A Local time (Get-Date) is sent as the UTC instant it names, as DateTimeOffset is; Utc and Unspecified as they are.
                // [.FFF]: the Data API takes milliseconds, so finer ticks are cut.
                case DateTime t: return Text((t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).ToString(Timestamp, CultureInfo.InvariantCulture), "TIMESTAMP");
                case DateTimeOffset o: return Text(o.UtcDateTime.ToString(Timestamp, CultureInfo.InvariantCulture), "TIMESTAMP");
                case byte[] bytes: return (new JsonObject { ["blobValue"] = Convert.ToBase64String(bytes) }, null);
            }
            // DateOnly and TimeOnly exist on .NET 6+ only (this assembly is netstandard2.0): known by name, formatted through IFormattable.
            var type = value.GetType().FullName;
            if (type == "System.DateOnly" && value is IFormattable day) return Text(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "DATE");
            if (type == "System.TimeOnly" && value is IFormattable time) return Text(time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), "TIME");
            var what = value is double || value is float ? Convert.ToString(value, CultureInfo.InvariantCulture) + " (not a finite number)"
                : value is TimeSpan ? "a TimeSpan (a time of day or an interval? use [TimeOnly] or a string cast in SQL, e.g. :x::interval)"
                : "a " + value.GetType().Name;
            throw new ValidationException(ErrorIds.UnsupportedParameterType,
                $"-Parameter '{name}' is {what}, which the Data API cannot take as a typed value. Use text, whole or decimal numbers, "
                + "[bool], [datetime]/[datetimeoffset] (TIMESTAMP), [DateOnly], [TimeOnly], [guid], [byte[]] or $null; for JSON, pass "
                + "ConvertTo-Json's text and cast it in SQL (:x::jsonb); for an array, pass its items as separate parameters.");
        }
    }
}
