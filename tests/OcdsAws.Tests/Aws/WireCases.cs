using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    /// <summary>
    /// The wire cases: one per hand-written operation. Responses follow AWS's documented shapes. Each
    /// runbook area keeps its cases in its own file (a partial of this class); <see cref="All"/> joins them.
    /// </summary>
    public static partial class WireCases
    {
        public static IReadOnlyList<WireCase> All => Foundation.Concat(SmtpCredentials).Concat(Notifications).Concat(ReceiptCapture).Concat(Aurora).Concat(Deliverability).ToList();

        private const string Json = "application/json";
        private const string ClusterArn = "arn:aws:rds:eu-west-1:123456789012:cluster:ocds";
        private const string SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1a2b3c-AbCdEf";

        private static string QueryXml(string action, string ns, string result) =>
            $"<{action}Response xmlns=\"{ns}\"><{action}Result>{result}</{action}Result>"
            + $"<ResponseMetadata><RequestId>7f2b3c1e-1111-2222-3333-444455556666</RequestId></ResponseMetadata></{action}Response>";

        private static async Task<object?> Box<T>(Task<T> task) => await task.ConfigureAwait(false);

        private static async Task<object?> Done(Task task)
        {
            await task.ConfigureAwait(false);
            return null;
        }

        private static readonly IReadOnlyList<WireCase> Foundation = new List<WireCase>
        {
            new WireCase
            {
                Service = "sesv2", Operation = "CreateEmailIdentity", SigningName = "ses",
                Params = """{"EmailIdentity":"example.org","Tags":[{"Key":"runbook","Value":"ses-domain"}],"DkimSigningAttributes":{"NextSigningKeyLength":"RSA_2048_BIT"}}""",
                Invoke = (c, ct) => Box(new SesV2Api(c.Get(AwsService.SesV2)).CreateEmailIdentityAsync("example.org", "RSA_2048_BIT", null,
                    new[] { new KeyValuePair<string, string>("runbook", "ses-domain") }, ct)),
                ContentType = Json,
                Response = """{"IdentityType":"DOMAIN","VerifiedForSendingStatus":false,"DkimAttributes":{"SigningEnabled":true,"Status":"PENDING","Tokens":["vvjuipp74whm76gqoni7qmwwn4w4qusjiainivf6sf","3frqe7jn4obpuxjpwpolz6ipb3k5nvt2nhjpik2oy","wrqplteh7oodxnad7hsl4mixg2uavzneazxv5sxi2"],"SigningAttributesOrigin":"AWS_SES","NextSigningKeyLength":"RSA_2048_BIT","CurrentSigningKeyLength":"RSA_2048_BIT","LastKeyGenerationTimestamp":1764400000}}""",
                Check = r =>
                {
                    var state = Assert.IsType<EmailIdentityState>(r);
                    Assert.Equal(3, state.DkimTokens.Count);
                    Assert.Equal("PENDING", state.DkimStatus);
                    Assert.Equal("DOMAIN", state.IdentityType);
                },
            },
            new WireCase
            {
                Service = "sesv2", Operation = "GetEmailIdentity", SigningName = "ses",
                Params = """{"EmailIdentity":"data@example.org"}""",
                Invoke = (c, ct) => Box(new SesV2Api(c.Get(AwsService.SesV2)).GetEmailIdentityAsync("data@example.org", ct)),
                ContentType = Json,
                Response = """{"IdentityType":"EMAIL_ADDRESS","FeedbackForwardingStatus":true,"VerifiedForSendingStatus":true,"VerificationStatus":"SUCCESS","DkimAttributes":{"SigningEnabled":false,"Status":"NOT_STARTED","SigningAttributesOrigin":"AWS_SES"},"MailFromAttributes":{"MailFromDomain":"bounce.example.org","MailFromDomainStatus":"SUCCESS","BehaviorOnMxFailure":"USE_DEFAULT_VALUE"},"Policies":{},"Tags":[]}""",
                Check = r =>
                {
                    var state = Assert.IsType<EmailIdentityState>(r);
                    Assert.True(state.VerifiedForSending);
                    Assert.Equal("SUCCESS", state.VerificationStatus);
                    Assert.Equal("bounce.example.org", state.MailFromDomain);
                },
            },
            new WireCase
            {
                Service = "sesv2", Operation = "ListEmailIdentities", SigningName = "ses",
                Params = """{"PageSize":1000}""",
                Invoke = (c, ct) => Box(new SesV2Api(c.Get(AwsService.SesV2)).ListEmailIdentitiesAsync(ct)),
                ContentType = Json,
                Response = """{"EmailIdentities":[{"IdentityType":"DOMAIN","IdentityName":"open-contracting.org","SendingEnabled":true,"VerificationStatus":"SUCCESS"},{"IdentityType":"EMAIL_ADDRESS","IdentityName":"data@open-contracting.org","SendingEnabled":false,"VerificationStatus":"PENDING"}]}""",
                Check = r => Assert.Equal(new[] { "open-contracting.org", "data@open-contracting.org" },
                    System.Linq.Enumerable.Select(Assert.IsAssignableFrom<IReadOnlyList<(string Name, string? Type)>>(r), i => i.Name)),
            },
            new WireCase
            {
                Service = "sesv2", Operation = "PutEmailIdentityMailFromAttributes", SigningName = "ses",
                Params = """{"EmailIdentity":"example.org","MailFromDomain":"bounce.example.org","BehaviorOnMxFailure":"REJECT_MESSAGE"}""",
                Invoke = (c, ct) => Done(new SesV2Api(c.Get(AwsService.SesV2)).PutEmailIdentityMailFromAttributesAsync("example.org", "bounce.example.org", "REJECT_MESSAGE", ct)),
                ContentType = Json,
                Response = "{}",
            },
            new WireCase
            {
                Service = "sesv2", Operation = "GetAccount", SigningName = "ses",
                Params = "{}",
                Invoke = (c, ct) => Box(new SesV2Api(c.Get(AwsService.SesV2)).GetAccountAsync(ct)),
                ContentType = Json,
                Response = """{"DedicatedIpAutoWarmupEnabled":false,"EnforcementStatus":"HEALTHY","ProductionAccessEnabled":false,"SendQuota":{"Max24HourSend":200.0,"MaxSendRate":1.0,"SentLast24Hours":3.0},"SendingEnabled":true,"SuppressionAttributes":{"SuppressedReasons":["BOUNCE","COMPLAINT"]},"Details":{"MailType":"TRANSACTIONAL","WebsiteURL":"https://www.open-contracting.org","ContactLanguage":"EN","UseCaseDescription":"Account notifications for data.open-contracting.org","AdditionalContactEmailAddresses":["sysadmin@open-contracting.org"],"ReviewDetails":{"Status":"PENDING","CaseId":"17000000001"}}}""",
                Check = r =>
                {
                    var account = Assert.IsType<SesAccountState>(r);
                    Assert.False(account.ProductionAccessEnabled);
                    Assert.Equal(200.0, account.Max24HourSend);
                    Assert.Equal(new[] { "BOUNCE", "COMPLAINT" }, account.SuppressedReasons);
                    Assert.Equal("PENDING", account.ReviewStatus);
                    Assert.Equal("17000000001", account.ReviewCaseId);
                },
            },
            new WireCase
            {
                Service = "sesv2", Operation = "PutAccountDetails", SigningName = "ses",
                Params = """{"MailType":"TRANSACTIONAL","WebsiteURL":"https://www.open-contracting.org","UseCaseDescription":"Notifications to registered users","AdditionalContactEmailAddresses":["sysadmin@open-contracting.org"],"ContactLanguage":"EN","ProductionAccessEnabled":true}""",
                Invoke = (c, ct) => Done(new SesV2Api(c.Get(AwsService.SesV2)).PutAccountDetailsAsync("TRANSACTIONAL", "https://www.open-contracting.org",
                    "Notifications to registered users", new[] { "sysadmin@open-contracting.org" }, "EN", true, ct)),
                ContentType = Json,
                Response = "{}",
            },
            new WireCase
            {
                Service = "sesv2", Operation = "PutAccountSuppressionAttributes", SigningName = "ses",
                Params = """{"SuppressedReasons":[]}""",
                Invoke = (c, ct) => Done(new SesV2Api(c.Get(AwsService.SesV2)).PutAccountSuppressionAttributesAsync(new string[0], ct)),
                ContentType = Json,
                Response = "{}",
            },
            new WireCase
            {
                Service = "ses", Operation = "VerifyEmailIdentity", SigningName = "ses",
                Params = """{"EmailAddress":"data@example.org"}""",
                Invoke = (c, ct) => Done(new SesClassicApi(c.Get(AwsService.Ses)).VerifyEmailIdentityAsync("data@example.org", ct)),
                Response = QueryXml("VerifyEmailIdentity", "http://ses.amazonaws.com/doc/2010-12-01/", ""),
            },
            new WireCase
            {
                Service = "ses", Operation = "GetIdentityVerificationAttributes", SigningName = "ses",
                Params = """{"Identities":["example.org","data@example.org"]}""",
                Invoke = (c, ct) => Box(new SesClassicApi(c.Get(AwsService.Ses)).GetIdentityVerificationAttributesAsync(new[] { "example.org", "data@example.org" }, ct)),
                Response = QueryXml("GetIdentityVerificationAttributes", "http://ses.amazonaws.com/doc/2010-12-01/",
                    "<VerificationAttributes><entry><key>example.org</key><value><VerificationStatus>Pending</VerificationStatus><VerificationToken>QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=</VerificationToken></value></entry>"
                    + "<entry><key>data@example.org</key><value><VerificationStatus>Success</VerificationStatus></value></entry></VerificationAttributes>"),
                Check = r =>
                {
                    var map = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(r);
                    Assert.Equal("Pending", map["example.org"]);
                    Assert.Equal("Success", map["data@example.org"]);
                },
            },
            new WireCase
            {
                Service = "sns", Operation = "CreateTopic", SigningName = "sns",
                Params = """{"Name":"data-example-org","Attributes":{"DisplayName":"Data"}}""",
                Invoke = (c, ct) => Box(new SnsApi(c.Get(AwsService.Sns)).CreateTopicAsync("data-example-org",
                    new[] { new KeyValuePair<string, string>("DisplayName", "Data") }, ct)),
                Response = QueryXml("CreateTopic", "http://sns.amazonaws.com/doc/2010-03-31/",
                    "<TopicArn>arn:aws:sns:eu-west-1:123456789012:data-example-org</TopicArn>"),
                Check = r => Assert.Equal("arn:aws:sns:eu-west-1:123456789012:data-example-org", r),
            },
            new WireCase
            {
                Service = "sns", Operation = "ListTopics", SigningName = "sns",
                Params = "{}",
                Invoke = (c, ct) => Box(new SnsApi(c.Get(AwsService.Sns)).ListTopicsAsync(ct)),
                Response = QueryXml("ListTopics", "http://sns.amazonaws.com/doc/2010-03-31/",
                    "<Topics><member><TopicArn>arn:aws:sns:eu-west-1:123456789012:a</TopicArn></member><member><TopicArn>arn:aws:sns:eu-west-1:123456789012:b</TopicArn></member></Topics>"),
                Check = r => Assert.Equal(new[] { "arn:aws:sns:eu-west-1:123456789012:a", "arn:aws:sns:eu-west-1:123456789012:b" }, Assert.IsAssignableFrom<IReadOnlyList<string>>(r)),
            },
            new WireCase
            {
                Service = "iam", Operation = "GetUser", SigningName = "iam",
                Params = """{"UserName":"ses-smtp-user"}""",
                Invoke = (c, ct) => Box(new IamApi(c.Get(AwsService.Iam)).GetUserAsync("ses-smtp-user", ct)),
                Response = QueryXml("GetUser", "https://iam.amazonaws.com/doc/2010-05-08/",
                    "<User><Path>/</Path><UserName>ses-smtp-user</UserName><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Arn>arn:aws:iam::123456789012:user/ses-smtp-user</Arn><CreateDate>2026-11-29T10:00:00Z</CreateDate></User>"),
                Check = r => Assert.Equal("arn:aws:iam::123456789012:user/ses-smtp-user", Assert.IsType<IamUser>(r).Arn),
            },
            new WireCase
            {
                Service = "rds", Operation = "DescribeDBClusters", SigningName = "rds",
                Params = """{"DBClusterIdentifier":"ocds"}""",
                Invoke = (c, ct) => Box(new RdsApi(c.Get(AwsService.Rds)).DescribeDBClustersAsync("ocds", ct)),
                Response = QueryXml("DescribeDBClusters", "http://rds.amazonaws.com/doc/2014-10-31/",
                    "<DBClusters><DBCluster><DBClusterIdentifier>ocds</DBClusterIdentifier><Status>available</Status><Engine>aurora-postgresql</Engine>"
                    + "<EngineVersion>16.4</EngineVersion><Endpoint>ocds.cluster-abc.eu-west-1.rds.amazonaws.com</Endpoint><ReaderEndpoint>ocds.cluster-ro-abc.eu-west-1.rds.amazonaws.com</ReaderEndpoint>"
                    + "<Port>5432</Port><DatabaseName>common</DatabaseName><DBClusterArn>" + ClusterArn + "</DBClusterArn><BackupRetentionPeriod>1</BackupRetentionPeriod>"
                    + "<HttpEndpointEnabled>true</HttpEndpointEnabled><EngineMode>provisioned</EngineMode>"
                    + "<ServerlessV2ScalingConfiguration><MinCapacity>0.0</MinCapacity><MaxCapacity>2.0</MaxCapacity><SecondsUntilAutoPause>3600</SecondsUntilAutoPause></ServerlessV2ScalingConfiguration>"
                    + "<MasterUserSecret><SecretArn>" + SecretArn + "</SecretArn><SecretStatus>active</SecretStatus></MasterUserSecret>"
                    + "<DBClusterMembers><DBClusterMember><DBInstanceIdentifier>ocds-1</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter></DBClusterMember></DBClusterMembers>"
                    + "</DBCluster></DBClusters>"),
                Check = r =>
                {
                    var cluster = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<RdsCluster>>(r));
                    Assert.Equal(0.0, cluster.MinCapacity);
                    Assert.Equal(2.0, cluster.MaxCapacity);
                    Assert.Equal(3600, cluster.SecondsUntilAutoPause);
                    Assert.True(cluster.HttpEndpointEnabled);
                    Assert.Equal(SecretArn, cluster.MasterUserSecretArn);
                    Assert.Equal(new[] { "ocds-1" }, cluster.MemberInstances);
                },
            },
            new WireCase
            {
                Service = "rds", Operation = "DescribeDBEngineVersions", SigningName = "rds",
                Params = """{"Engine":"aurora-postgresql"}""",
                Invoke = (c, ct) => Box(new RdsApi(c.Get(AwsService.Rds)).DescribeDBEngineVersionsAsync("aurora-postgresql", ct)),
                Response = QueryXml("DescribeDBEngineVersions", "http://rds.amazonaws.com/doc/2014-10-31/",
                    "<DBEngineVersions><DBEngineVersion><Engine>aurora-postgresql</Engine><EngineVersion>16.4</EngineVersion><DBParameterGroupFamily>aurora-postgresql16</DBParameterGroupFamily>"
                    + "<SupportedEngineModes><member>provisioned</member></SupportedEngineModes><ServerlessV2FeaturesSupport><MinCapacity>0.0</MinCapacity><MaxCapacity>256.0</MaxCapacity></ServerlessV2FeaturesSupport></DBEngineVersion>"
                    + "<DBEngineVersion><Engine>aurora-postgresql</Engine><EngineVersion>13.12</EngineVersion><DBParameterGroupFamily>aurora-postgresql13</DBParameterGroupFamily>"
                    + "<SupportedEngineModes><member>provisioned</member></SupportedEngineModes><ServerlessV2FeaturesSupport><MinCapacity>0.5</MinCapacity><MaxCapacity>256.0</MaxCapacity></ServerlessV2FeaturesSupport></DBEngineVersion></DBEngineVersions>"),
                Check = r =>
                {
                    var versions = Assert.IsAssignableFrom<IReadOnlyList<RdsEngineVersion>>(r);
                    Assert.Equal(new[] { "16.4", "13.12" }, System.Linq.Enumerable.Select(versions, v => v.EngineVersion));
                    Assert.Equal(0.0, versions[0].ServerlessV2MinCapacity);
                    Assert.Equal(new[] { "provisioned" }, versions[0].SupportedEngineModes);
                },
            },
            new WireCase
            {
                Service = "rds-data", Operation = "ExecuteStatement", SigningName = "rds-data",
                Params = "{\"resourceArn\":\"" + ClusterArn + "\",\"secretArn\":\"" + SecretArn + "\",\"sql\":\"select :n as n, 'x' as s\",\"database\":\"common\",\"includeResultMetadata\":true,\"parameters\":[{\"name\":\"n\",\"value\":{\"longValue\":42}},"
                    + "{\"name\":\"t\",\"value\":{\"stringValue\":\"2026-12-03 12:05:06.789\"},\"typeHint\":\"TIMESTAMP\"},"
                    + "{\"name\":\"m\",\"value\":{\"stringValue\":\"1234.50\"},\"typeHint\":\"DECIMAL\"},"
                    + "{\"name\":\"u\",\"value\":{\"stringValue\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"},\"typeHint\":\"UUID\"}]}",
                Invoke = (c, ct) => Box(new RdsDataApi(c.Get(AwsService.RdsData)).ExecuteStatementAsync(ClusterArn, SecretArn, "select :n as n, 'x' as s", "common",
                    new[]
                    {
                        new KeyValuePair<string, object?>("n", 42L),
                        new KeyValuePair<string, object?>("t", new System.DateTimeOffset(2026, 12, 3, 14, 5, 6, 789, System.TimeSpan.FromHours(2))),
                        new KeyValuePair<string, object?>("m", 1234.50m),
                        new KeyValuePair<string, object?>("u", new System.Guid("0f8fad5b-d9cb-469f-a165-70867728950e")),
                    }, ct)),
                ContentType = Json,
                Response = """{"columnMetadata":[{"name":"n","label":"n","typeName":"int8"},{"name":"s","label":"s","typeName":"text"}],"records":[[{"longValue":42},{"stringValue":"x"}]],"numberOfRecordsUpdated":0}""",
                Check = r =>
                {
                    var sql = Assert.IsType<SqlResult>(r);
                    Assert.Equal(new[] { "n", "s" }, sql.Columns);
                    Assert.Equal(new object?[] { 42L, "x" }, Assert.Single(sql.Rows));
                },
            },
        };
    }
}
