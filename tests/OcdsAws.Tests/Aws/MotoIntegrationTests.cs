using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Amazon.EC2.Model;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Context;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    /// <summary>
    /// Every client against moto (+ companion) with signature checking on; boto3 reads the state back.
    /// </summary>
    public sealed class MotoIntegrationTests
    {
        private static readonly CancellationToken None = CancellationToken.None;

        [Fact]
        public async Task SesV2_creates_a_domain_identity_whose_dkim_tokens_boto3_reads_back()
        {
            var domain = TestBed.Unique("dkim") + ".example.org";
            using var clients = TestBed.Clients();
            var api = new SesV2Api(clients.Get(AwsService.SesV2));

            var created = await api.CreateEmailIdentityAsync(domain, "RSA_2048_BIT", null, null, None);
            var witness = Witness.Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = domain });

            Assert.Equal(3, created.DkimTokens.Count);
            Assert.Equal(witness["DkimAttributes"]!["Tokens"]!.AsArray().Select(t => (string)t!), created.DkimTokens);
            Assert.Equal("RSA_2048_BIT", (string)witness["DkimAttributes"]!["NextSigningKeyLength"]!);
            var read = await api.GetEmailIdentityAsync(domain, None);   // a body-less GET, signed
            Assert.Equal(created.DkimTokens, read.DkimTokens);
            Assert.Equal("DOMAIN", read.IdentityType);

            var again = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => api.CreateEmailIdentityAsync(domain, null, null, null, None));
            Assert.Equal("AlreadyExistsException", again.ErrorCode);
        }

        [Fact]
        public async Task Ses_classic_verifies_an_address_that_boto3_lists()
        {
            var address = TestBed.Unique("sender") + "@example.org";
            using var clients = TestBed.Clients();
            var api = new SesClassicApi(clients.Get(AwsService.Ses));

            await api.VerifyEmailIdentityAsync(address, None);

            var identities = Witness.Call("ses", "list_identities")["Identities"]!.AsArray().Select(i => (string)i!);
            Assert.Contains(address, identities);
            var status = await api.GetIdentityVerificationAttributesAsync(new[] { address }, None);
            Assert.True(status.ContainsKey(address));
        }

        [Fact]
        public async Task Sns_creates_topics_boto3_sees_and_lists_topics_boto3_made()
        {
            var ours = TestBed.Unique("ours");
            var theirs = TestBed.Unique("theirs");
            using var clients = TestBed.Clients();
            var api = new SnsApi(clients.Get(AwsService.Sns));

            var arn = await api.CreateTopicAsync(ours, new[] { new System.Collections.Generic.KeyValuePair<string, string>("DisplayName", "Ours") }, None);
            var theirArn = (string)Witness.Call("sns", "create_topic", new JsonObject { ["Name"] = theirs })["TopicArn"]!;

            Assert.Equal($"arn:aws:sns:us-east-1:123456789012:{ours}", arn);
            var attributes = Witness.Call("sns", "get_topic_attributes", new JsonObject { ["TopicArn"] = arn })["Attributes"]!;
            Assert.Equal("Ours", (string)attributes["DisplayName"]!);
            Assert.Contains(theirArn, await api.ListTopicsAsync(None));
        }

        [Fact]
        public async Task Iam_reads_the_test_user_through_the_global_endpoint()
        {
            using var clients = TestBed.Clients("eu-west-1");
            var user = await new IamApi(clients.Get(AwsService.Iam)).GetUserAsync("ocdsaws-test", None);
            var witness = Witness.Call("iam", "get_user", new JsonObject { ["UserName"] = "ocdsaws-test" })["User"]!;
            Assert.Equal((string)witness["Arn"]!, user.Arn);
            Assert.Equal((string)witness["UserId"]!, user.UserId);
        }

        [Fact]
        public async Task Rds_describes_a_serverless_v2_cluster_boto3_created_and_the_data_api_runs_sql()
        {
            var id = TestBed.Unique("ocds");
            var created = Witness.Call("rds", "create_db_cluster", new JsonObject
            {
                ["DBClusterIdentifier"] = id,
                ["Engine"] = "aurora-postgresql",
                ["EngineVersion"] = "16.4",
                ["MasterUsername"] = "postgres",
                ["ManageMasterUserPassword"] = true,
                ["DatabaseName"] = "common",
                ["BackupRetentionPeriod"] = 1,
                ["ServerlessV2ScalingConfiguration"] = new JsonObject { ["MinCapacity"] = 0, ["MaxCapacity"] = 2, ["SecondsUntilAutoPause"] = 3600 },
            }, "eu-west-1")["DBCluster"]!;
            using var clients = TestBed.Clients("eu-west-1");

            var cluster = Assert.Single(await new RdsApi(clients.Get(AwsService.Rds)).DescribeDBClustersAsync(id, None));

            Assert.Equal((string)created["DBClusterArn"]!, cluster.DBClusterArn);
            Assert.Equal("common", cluster.DatabaseName);
            Assert.Equal(0.0, cluster.MinCapacity);
            Assert.Equal(2.0, cluster.MaxCapacity);
            Assert.Equal(3600, cluster.SecondsUntilAutoPause);
            Assert.Equal(1, cluster.BackupRetentionPeriod);
            Assert.NotNull(cluster.MasterUserSecretArn);

            var result = await new RdsDataApi(clients.Get(AwsService.RdsData)).ExecuteStatementAsync(cluster.DBClusterArn!, cluster.MasterUserSecretArn!, "select 1", "common", null, None);
            Assert.NotNull(result);
        }

        [Fact]
        public async Task Rds_engine_versions_come_from_the_companion()
        {
            using var clients = TestBed.Clients("eu-west-1");
            var versions = await new RdsApi(clients.Get(AwsService.Rds)).DescribeDBEngineVersionsAsync("aurora-postgresql", None);
            var witness = Witness.Call("rds", "describe_db_engine_versions", new JsonObject { ["Engine"] = "aurora-postgresql" }, "eu-west-1");
            Assert.Equal(witness["DBEngineVersions"]!.AsArray().Select(v => (string)v!["EngineVersion"]!), versions.Select(v => v.EngineVersion));
            Assert.Contains(versions, v => v.ServerlessV2MinCapacity == 0);
        }

        [Fact]
        public async Task The_sdk_package_clients_work_and_report_their_calls()
        {
            var records = new ConcurrentBag<AwsCallRecord>();
            using var clients = TestBed.Clients("eu-west-1", observer: records.Add);

            var context = await new AwsContextService(clients).GetAsync(None);
            await clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest(), None);
            await clients.S3.ListBucketsAsync(None);

            Assert.Equal("123456789012", context.Account);
            Assert.EndsWith(":user/ocdsaws-test", context.Arn);
            Assert.Equal(new[] { "EC2 DescribeVpcs", "S3 ListBuckets", "STS GetCallerIdentity" },
                records.Select(r => r.Service + " " + r.Operation).OrderBy(s => s));
            Assert.All(records, r => Assert.Equal(200, r.HttpStatus));
        }

        [Theory]
        [InlineData("query")]
        [InlineData("rest-json-get")]
        [InlineData("rest-json-post")]
        [InlineData("sdk")]
        public async Task A_wrong_secret_key_fails_the_signature_check(string kind)
        {
            using var clients = TestBed.Clients(secretKey: "not-the-secret-key");
            Task call = kind switch
            {
                "query" => new SnsApi(clients.Get(AwsService.Sns)).ListTopicsAsync(None),
                "rest-json-get" => new SesV2Api(clients.Get(AwsService.SesV2)).GetEmailIdentityAsync("example.org", None),
                "rest-json-post" => new SesV2Api(clients.Get(AwsService.SesV2)).CreateEmailIdentityAsync(TestBed.Unique("sig") + ".example.org", null, null, null, None),
                _ => clients.Sts.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest(), None),
            };
            var e = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => call);
            Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }
    }
}
