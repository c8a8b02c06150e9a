using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Web;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    /// <summary>
    /// Every hand-written operation sends what botocore (AWS's own models) would send for the same
    /// parameters, and every response fixture passes botocore's parser and validator. Adding an
    /// operation is one case in <see cref="WireCases"/>.
    /// </summary>
    public sealed class WireConformanceTests
    {
        public static IEnumerable<object[]> Cases() => WireCases.All.Select(c => new object[] { c });

        [Theory]
        [MemberData(nameof(Cases))]
        public async System.Threading.Tasks.Task Request_matches_botocore_and_response_fixture_is_valid(WireCase wire)
        {
            using var server = new CaptureServer((_, _) => new CannedResponse(wire.Status, wire.Response, wire.ContentType));
            using var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

            var result = await wire.Invoke(clients, CancellationToken.None);
            var sent = Assert.Single(server.Requests);
            var expected = Oracle.Ask(new JsonObject
            {
                ["cmd"] = "serialize",
                ["service"] = wire.Service,
                ["operation"] = wire.Operation,
                ["params"] = JsonNode.Parse(wire.Params),
                ["region"] = "eu-west-1",
            });

            Assert.Equal((string)expected["method"]!, sent.Method);
            Assert.Equal((string)expected["path"]!, sent.RawPath);
            Assert.Equal(Normalize(expected["query"]), Normalize(QueryOf(sent.RawQuery)));
            AssertBody(expected, sent);
            AssertSigned(sent, wire.SigningName);

            var parsed = Oracle.Ask(new JsonObject
            {
                ["cmd"] = "parse",
                ["service"] = wire.Service,
                ["operation"] = wire.Operation,
                ["status"] = wire.Status,
                ["headers"] = new JsonObject { ["content-type"] = wire.ContentType, ["x-amzn-requestid"] = "fixture" },
                ["body"] = wire.Response,
            });
            Assert.True(parsed["error"] == null, "botocore read the fixture as an error: " + parsed.ToJsonString());
            Assert.Empty(parsed["validation_errors"]!.AsArray());
            wire.Check(result);
        }

        [Fact]
        public void Every_protocol_client_has_a_case()
        {
            var services = WireCases.All.Select(c => c.Service).Distinct().OrderBy(s => s);
            Assert.Equal(new[] { "iam", "rds", "rds-data", "ses", "sesv2", "sns" }, services);
        }

        private static void AssertBody(JsonNode expected, CapturedRequest sent)
        {
            var kind = (string)expected["body_kind"]!;
            switch (kind)
            {
                case "form":
                    Assert.Equal(Normalize(expected["body"]), Normalize(FormOf(sent.BodyText)));
                    Assert.StartsWith("application/x-www-form-urlencoded", sent.Headers["Content-Type"]);
                    break;
                case "json":
                    Assert.True(JsonEquals(expected["body"], JsonNode.Parse(sent.BodyText)),
                        $"JSON body differs.\nbotocore: {expected["body"]?.ToJsonString()}\nours:     {sent.BodyText}");
                    Assert.StartsWith("application/json", sent.Headers["Content-Type"]);
                    break;
                case "empty":
                    Assert.Empty(sent.Body);
                    break;
                default:
                    throw new InvalidOperationException("unexpected body kind " + kind);
            }
        }

        private static void AssertSigned(CapturedRequest sent, string signingName)
        {
            var authorization = sent.Headers["Authorization"];
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", authorization);
            Assert.Contains($"/eu-west-1/{signingName}/aws4_request", authorization);
            var signed = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
            Assert.Contains("host", signed);
            Assert.Contains("x-amz-date", signed);
            if (sent.Body.Length > 0) Assert.Contains("content-type", signed);
        }

        private static JsonObject QueryOf(string raw)
        {
            var query = new JsonObject();
            var parsed = HttpUtility.ParseQueryString(raw);
            foreach (var key in parsed.AllKeys.Where(k => k != null))
                query[key!] = new JsonArray(parsed.GetValues(key)!.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
            return query;
        }

        private static JsonObject FormOf(string raw)
        {
            var form = new JsonObject();
            var parsed = HttpUtility.ParseQueryString(raw);
            foreach (var key in parsed.AllKeys.Where(k => k != null)) form[key!] = parsed[key];
            return form;
        }

        /// <summary>Sorted keys, values as text: compares data, not formatting.</summary>
        private static string Normalize(JsonNode? node) => node switch
        {
            null => "null",
            JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Normalize(p.Value))) + "}",
            JsonArray a => "[" + string.Join(",", a.Select(Normalize)) + "]",
            JsonValue v => Scalar(v),
            _ => node.ToJsonString(),
        };

        private static string Scalar(JsonValue v)
        {
            if (v.TryGetValue<double>(out var d)) return d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (v.TryGetValue<bool>(out var b)) return b ? "true" : "false";
            return v.ToString();
        }

        private static bool JsonEquals(JsonNode? a, JsonNode? b) => Normalize(a) == Normalize(b);
    }
}
