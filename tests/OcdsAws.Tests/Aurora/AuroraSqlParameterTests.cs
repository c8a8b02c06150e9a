using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aurora
{
    /// <summary>
    /// Typed SQL parameters as the Data API takes them (botocore rds-data model, SqlParameter.typeHint: TIMESTAMP
    /// "YYYY-MM-DD HH:MM:SS[.FFF]", DATE "YYYY-MM-DD", TIME "HH:MM:SS[.FFF]", DECIMAL, UUID), whatever the culture.
    /// </summary>
    public sealed class AuroraSqlParameterTests
    {
        private const string ClusterArn = "arn:aws:rds:eu-west-1:123456789012:cluster:ocds";
        private const string SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1a2b3c-AbCdEf";

        /// <summary>The parameters ExecuteStatement sent, read from the request a loopback server received.</summary>
        private static async Task<JsonArray> Sent(CultureInfo culture, params (string Name, object? Value)[] parameters)
        {
            using var server = new CaptureServer((_, _) => new CannedResponse(200, "{\"numberOfRecordsUpdated\":0}", "application/json"));
            using var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret");
            var saved = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
                await new RdsDataApi(clients.Get(AwsService.RdsData)).ExecuteStatementAsync(ClusterArn, SecretArn, "select 1", null,
                    parameters.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToList(), CancellationToken.None);
            }
            finally
            {
                (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = saved;
            }
            return JsonNode.Parse(Assert.Single(server.Requests).BodyText)!["parameters"]!.AsArray();
        }

        [Fact]
        public async Task Dates_decimals_and_guids_go_typed_in_the_invariant_formats_under_a_german_culture()
        {
            var sent = await Sent(CultureInfo.GetCultureInfo("de-DE"),
                ("ts", new DateTime(2026, 12, 3, 14, 5, 6, 789, DateTimeKind.Unspecified)),
                ("utc", new DateTimeOffset(2026, 12, 3, 14, 5, 6, 7, TimeSpan.FromHours(-5))),
                ("amount", 1234567.891m),
                ("id", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e")),
                ("day", new DateOnly(2026, 2, 28)),
                ("at", new TimeOnly(7, 8, 9, 120)),
                ("ratio", 0.25),
                ("big", 9_000_000_000L),
                ("flag", true),
                ("none", null),
                ("text", "x"));

            string Json(string name) => sent.Single(p => (string)p!["name"]! == name)!.ToJsonString();
            Assert.Equal("""{"name":"ts","value":{"stringValue":"2026-12-03 14:05:06.789"},"typeHint":"TIMESTAMP"}""", Json("ts"));
            Assert.Equal("""{"name":"utc","value":{"stringValue":"2026-12-03 19:05:06.007"},"typeHint":"TIMESTAMP"}""", Json("utc"));
            Assert.Equal("""{"name":"amount","value":{"stringValue":"1234567.891"},"typeHint":"DECIMAL"}""", Json("amount"));
            Assert.Equal("""{"name":"id","value":{"stringValue":"0f8fad5b-d9cb-469f-a165-70867728950e"},"typeHint":"UUID"}""", Json("id"));
            Assert.Equal("""{"name":"day","value":{"stringValue":"2026-02-28"},"typeHint":"DATE"}""", Json("day"));
            Assert.Equal("""{"name":"at","value":{"stringValue":"07:08:09.120"},"typeHint":"TIME"}""", Json("at"));
            Assert.Equal("""{"name":"ratio","value":{"doubleValue":0.25}}""", Json("ratio"));
            Assert.Equal("""{"name":"big","value":{"longValue":9000000000}}""", Json("big"));
            Assert.Equal("""{"name":"flag","value":{"booleanValue":true}}""", Json("flag"));
            Assert.Equal("""{"name":"none","value":{"isNull":true}}""", Json("none"));
            Assert.Equal("""{"name":"text","value":{"stringValue":"x"}}""", Json("text"));
        }

        [Fact]
        public async Task A_local_datetime_goes_as_its_utc_time()
        {
            var local = new DateTime(2026, 7, 1, 12, 0, 0, DateTimeKind.Local);
            var sent = await Sent(CultureInfo.GetCultureInfo("de-DE"), ("t", local));
            Assert.Equal(local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), (string)sent[0]!["value"]!["stringValue"]!);
        }

        [Theory]
        [InlineData("@{ h = @{ a = 1 } }", "Hashtable")]
        [InlineData("@{ list = 1, 2 }", "Object[]")]
        [InlineData("@{ span = [timespan]'01:00:00' }", "TimeSpan")]
        [InlineData("@{ nan = [double]::NaN }", "NaN")]
        [InlineData("@{ day = [DayOfWeek]::Monday }", "DayOfWeek")]
        public void A_value_the_data_api_cannot_type_is_refused_before_any_call(string parameter, string named)
        {
            var vars = new Dictionary<string, object?>
            {
                ["aws"] = new System.Collections.Hashtable { ["AccessKey"] = "AKIDEXAMPLE", ["SecretKey"] = "secret", ["EndpointUrl"] = "http://127.0.0.1:9/", ["Region"] = "eu-west-1" },
                ["arn"] = ClusterArn,
                ["secret"] = SecretArn,
            };

            var r = PowerShellHost.Run($"Invoke-AuroraSql 'select :x' -Parameter {parameter} -ResourceArn $arn -SecretArn $secret @aws -Verbose", vars);

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.UnsupportedParameterType", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(named, error.Exception.Message);
            Assert.Equal(0, r.AwsCalls);
        }
    }
}
