using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OcdsAws.Aws.Services
{
    /// <summary>Lenient readers for REST-JSON bodies: AWS adds fields over time, so nothing here is strict.</summary>
    internal static class Json
    {
        public static string? Str(this JsonNode? node, string name)
            => node?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        public static bool? Bool(this JsonNode? node, string name)
            => node?[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : (bool?)null;

        public static long? Long(this JsonNode? node, string name)
            => node?[name] is JsonValue v && v.TryGetValue<long>(out var l) ? l : (long?)null;

        public static double? Double(this JsonNode? node, string name)
            => node?[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : (double?)null;

        /// <summary>REST-JSON timestamps are epoch seconds (possibly fractional) unless modelled otherwise.</summary>
        public static DateTime? Time(this JsonNode? node, string name)
        {
            if (!(node?[name] is JsonValue v)) return null;
            if (v.TryGetValue<double>(out var seconds)) return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)).UtcDateTime;
            if (v.TryGetValue<string>(out var text) && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t)) return t;
            return null;
        }

        public static IReadOnlyList<JsonNode> Items(this JsonNode? node, string name)
            => node?[name] is JsonArray a ? a.Where(i => i != null).Select(i => i!).ToList() : (IReadOnlyList<JsonNode>)Array.Empty<JsonNode>();

        public static IReadOnlyList<string> Strings(this JsonNode? node, string name)
            => node.Items(name).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).Where(s => s != null).Select(s => s!).ToList();

        /// <summary>A list of {Key, Value} tags as JSON.</summary>
        public static JsonArray Tags(IEnumerable<KeyValuePair<string, string>> tags)
            => new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray());

        /// <summary>Copies a node so it can be attached to another parent.</summary>
        public static JsonNode? Clone(this JsonNode? node) => node == null ? null : JsonNode.Parse(node.ToJsonString());

        public static string Compact(this JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
