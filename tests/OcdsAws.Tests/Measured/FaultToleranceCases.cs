using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using OcdsAws.Tests.Dns;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Measured
{
    /// <summary>
    /// The mutating runbook cmdlets as fault-tolerance cases: what each needs beforehand (made directly on moto), the
    /// script, the changes it sends (in order), its first read, and what boto3 must see once it is done.
    /// us-east-2 is used by no other test class: the account-level cases (production access, suppression) and the
    /// receipt rule set (one active per region) are ours there, and this class runs its cases one at a time.
    /// </summary>
    public sealed partial class FaultToleranceTests
    {
        private const string Region = "us-east-2";
        private const string Account = "123456789012";

        /// <summary>One case's names, DNS server and prerequisites; its variables for any endpoint.</summary>
        private sealed class Ctx : IDisposable
        {
            public Ctx(FaultCase c) => Case = c;

            public FaultCase Case { get; }
            public LoopbackDnsServer Dns { get; } = new LoopbackDnsServer();
            public Dictionary<string, object?> Values { get; } = new Dictionary<string, object?>();
            public string this[string key] => (string)Values[key]!;

            public Dictionary<string, object?> VarsFor(string endpoint)
            {
                var aws = new Hashtable { ["AccessKey"] = TestBed.AccessKey, ["SecretKey"] = TestBed.SecretKey, ["EndpointUrl"] = endpoint };
                if (!Case.Global) aws["Region"] = Region;
                var vars = new Dictionary<string, object?> { ["aws"] = aws, ["dnsServer"] = $"127.0.0.1:{Dns.Port}" };
                foreach (var (k, v) in Values) vars[k] = v;
                return vars;
            }

            /// <summary>Runs a prerequisite straight on moto; it must work.</summary>
            public PsResult Direct(string script)
            {
                var r = PowerShellHost.Run(script, VarsFor(TestBed.Endpoint));
                Assert.True(r.Errors.Count == 0 && r.Terminating == null, "prerequisite failed: " + string.Join("; ", r.Errors.Select(e => e.ToString())) + r.Terminating);
                return r;
            }

            public void Dispose() => Dns.Dispose();
        }

        /// <summary>
        /// A mutating cmdlet. <see cref="Changes"/>: its mutating operations in the order it sends them (distinct);
        /// <see cref="Made"/>: which of them boto3 can see done (for the interrupted runs).
        /// </summary>
        private sealed record FaultCase(string Name, string Script, string[] Changes, string? FirstRead, Action<Ctx> Prepare, Action<Ctx> AssertDone,
            bool Global = false, Func<Ctx, ISet<string>>? Made = null);

        private static JsonNode Call(string service, string method, JsonObject? p = null) => Witness.Call(service, method, p, Region);

        private static JsonArray Filtered(string method, string key, string filter, string value)
            => Ec2(method, key, Region, filter, value);

        private static void Control(string path, string json)
        {
            using var http = new HttpClient();
            http.PostAsync(TestBed.Endpoint.TrimEnd('/') + path, new StringContent(json, Encoding.UTF8, "application/json")).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }

        private static JsonNode Account2() => Call("sesv2", "get_account");

        private static int IdentitiesNamed(string identity) => Call("sesv2", "list_email_identities")["EmailIdentities"]!.AsArray().Count(i => (string)i!["IdentityName"]! == identity);

        /// <summary>No capture rule set in the region, whatever an earlier case left (one rule set per region, ours).</summary>
        private static void ResetCapture()
        {
            Call("ses", "set_active_receipt_rule_set");
            var set = Witness.TryCall("ses", "describe_receipt_rule_set", new JsonObject { ["RuleSetName"] = "ocdsaws-capture" }, Region)["result"];
            if (set == null) return;
            foreach (var rule in set["Rules"]!.AsArray())
                Call("ses", "delete_receipt_rule", new JsonObject { ["RuleSetName"] = "ocdsaws-capture", ["RuleName"] = (string)rule!["Name"]! });
            Call("ses", "delete_receipt_rule_set", new JsonObject { ["RuleSetName"] = "ocdsaws-capture" });
        }

        private static List<string> CaptureBuckets(string address)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            var hash = $"ocdsaws-capture-{Account}-{Region}-" + string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(address.ToLowerInvariant())).Take(4).Select(b => b.ToString("x2")));
            return Call("s3", "list_buckets")["Buckets"]!.AsArray().Select(b => (string)b!["Name"]!).Where(n => n == hash).ToList();
        }

        private static List<JsonNode> CaptureRules(string address)
        {
            var set = Witness.TryCall("ses", "describe_receipt_rule_set", new JsonObject { ["RuleSetName"] = "ocdsaws-capture" }, Region)["result"];
            return set == null ? new List<JsonNode>() : set["Rules"]!.AsArray().Where(r => r!["Recipients"]!.AsArray().Any(x => (string)x! == address)).Select(r => r!).ToList();
        }

        /// <summary>Exactly one bucket and one rule for the address, the bucket locked to SES, our rule set active.</summary>
        private static void AssertOneCapture(string address)
        {
            var bucket = Assert.Single(CaptureBuckets(address));
            var rule = Assert.Single(CaptureRules(address));
            Assert.Equal(bucket, (string)rule["Actions"]![0]!["S3Action"]!["BucketName"]!);
            Assert.Equal("ocdsaws-capture", (string)Call("ses", "describe_active_receipt_rule_set")["Metadata"]!["Name"]!);
            var block = Call("s3", "get_public_access_block", new JsonObject { ["Bucket"] = bucket })["PublicAccessBlockConfiguration"]!;
            Assert.All(new[] { "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets" }, k => Assert.True((bool)block[k]!));
            var policy = JsonNode.Parse((string)Call("s3", "get_bucket_policy", new JsonObject { ["Bucket"] = bucket })["Policy"]!)!;
            Assert.Equal("ses.amazonaws.com", (string)Assert.Single(policy["Statement"]!.AsArray())!["Principal"]!["Service"]!);
        }

        private static ISet<string> CaptureMade(string address)
        {
            var made = new HashSet<string>();
            var bucket = CaptureBuckets(address).SingleOrDefault();
            if (bucket != null)
            {
                made.Add("CreateBucket");
                if (Witness.TryCall("s3", "get_public_access_block", new JsonObject { ["Bucket"] = bucket }, Region)["result"] != null) made.Add("PutPublicAccessBlock");
                if (Witness.TryCall("s3", "get_bucket_policy", new JsonObject { ["Bucket"] = bucket }, Region)["result"] != null) made.Add("PutBucketPolicy");
                if (Witness.TryCall("s3", "get_bucket_tagging", new JsonObject { ["Bucket"] = bucket }, Region)["result"] != null) made.Add("PutBucketTagging");
            }
            if (Witness.TryCall("ses", "describe_receipt_rule_set", new JsonObject { ["RuleSetName"] = "ocdsaws-capture" }, Region)["result"] != null) made.Add("CreateReceiptRuleSet");
            if (CaptureRules(address).Count > 0) made.Add("CreateReceiptRule");
            if ((string?)Call("ses", "describe_active_receipt_rule_set")["Metadata"]?["Name"] == "ocdsaws-capture") made.Add("SetActiveReceiptRuleSet");
            return made;
        }

        private static JsonNode? Vpc(string name) => Filtered("describe_vpcs", "Vpcs", "tag:Name", name).SingleOrDefault();

        private static ISet<string> NetworkMade(string name)
        {
            var made = new HashSet<string>();
            var vpc = Vpc(name);
            if (vpc == null) return made;
            made.Add("CreateVpc");
            var vpcId = (string)vpc["VpcId"]!;
            if (Filtered("describe_subnets", "Subnets", "vpc-id", vpcId).Count > 0) made.Add("CreateSubnet");
            var group = Filtered("describe_security_groups", "SecurityGroups", "vpc-id", vpcId).FirstOrDefault(g => (string)g!["GroupName"]! != "default");
            if (group != null) made.Add("CreateSecurityGroup");
            if (group != null && group["IpPermissions"]!.AsArray().Count > 0) made.Add("AuthorizeSecurityGroupIngress");
            if (Witness.TryCall("rds", "describe_db_subnet_groups", new JsonObject { ["DBSubnetGroupName"] = name.ToLowerInvariant() }, Region)["result"] != null) made.Add("CreateDBSubnetGroup");
            return made;
        }

        private static JsonNode? Cluster(string id) => Witness.TryCall("rds", "describe_db_clusters", new JsonObject { ["DBClusterIdentifier"] = id }, Region)["result"]?["DBClusters"]![0];

        private static void AssertOneCluster(string id, string network)
        {
            Assert.Single(Call("rds", "describe_db_clusters")["DBClusters"]!.AsArray(), c => (string)c!["DBClusterIdentifier"]! == id);
            var c = Cluster(id)!;
            Assert.Equal(("aurora-postgresql", "common", true), ((string)c["Engine"]!, (string)c["DatabaseName"]!, (bool)c["HttpEndpointEnabled"]!));
            Assert.Equal(network.ToLowerInvariant(), (string)c["DBSubnetGroup"]!);
            Assert.Equal(0.0, (double)c["ServerlessV2ScalingConfiguration"]!["MinCapacity"]!);
            var instances = Call("rds", "describe_db_instances")["DBInstances"]!.AsArray().Where(i => (string?)i!["DBClusterIdentifier"] == id).ToList();
            Assert.Equal(id + "-1", (string)Assert.Single(instances)!["DBInstanceIdentifier"]!);
        }

        private static void AssertOneSmtpUser(string user)
        {
            Assert.Equal(user, (string)Witness.Call("iam", "get_user", new JsonObject { ["UserName"] = user })["User"]!["UserName"]!);
            Assert.Single(Witness.Call("iam", "list_access_keys", new JsonObject { ["UserName"] = user })["AccessKeyMetadata"]!.AsArray());
            Assert.Equal(new[] { "AmazonSesSendingAccess" }, Witness.Call("iam", "list_user_policies", new JsonObject { ["UserName"] = user })["PolicyNames"]!.AsArray().Select(p => (string)p!));
        }

        private static ISet<string> SmtpMade(string user)
        {
            var made = new HashSet<string>();
            if (Witness.TryCall("iam", "get_user", new JsonObject { ["UserName"] = user })["result"] == null) return made;
            made.Add("CreateUser");
            if (Witness.Call("iam", "list_user_policies", new JsonObject { ["UserName"] = user })["PolicyNames"]!.AsArray().Count > 0) made.Add("PutUserPolicy");
            if (Witness.Call("iam", "list_access_keys", new JsonObject { ["UserName"] = user })["AccessKeyMetadata"]!.AsArray().Count > 0) made.Add("CreateAccessKey");
            return made;
        }

        private static string TopicArn(string name) => $"arn:aws:sns:{Region}:{Account}:{name}";

        private static double SentLast24Hours() => (double)Account2()["SendQuota"]!["SentLast24Hours"]!;

        private static readonly string[] NetworkChangesInOrder = { "CreateVpc", "CreateSubnet", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "CreateDBSubnetGroup" };

        private static readonly FaultCase[] AllCases =
        {
            new FaultCase("New-SesDomainVerification", "New-SesDomainVerification -Domain $domain @aws -DnsServer $dnsServer",
                new[] { "CreateEmailIdentity" }, "GetEmailIdentity",
                x => x.Values["domain"] = TestBed.Unique("ft") + ".example",
                x =>
                {
                    Assert.Equal(1, IdentitiesNamed(x["domain"]));
                    Assert.Equal("RSA_2048_BIT", (string)Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = x["domain"] })["DkimAttributes"]!["NextSigningKeyLength"]!);
                }),
            new FaultCase("Set-SesMailFromDomain", "Set-SesMailFromDomain -Domain $domain -MailFromDomain ('bounce.' + $domain) -BehaviorOnMxFailure RejectMessage @aws -DnsServer $dnsServer",
                new[] { "PutEmailIdentityMailFromAttributes" }, "GetEmailIdentity",
                x =>
                {
                    x.Values["domain"] = TestBed.Unique("ftmf") + ".example";
                    x.Dns.AddZone(x["domain"]);
                    Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = x["domain"] });
                },
                x =>
                {
                    var attributes = Call("sesv2", "get_email_identity", new JsonObject { ["EmailIdentity"] = x["domain"] })["MailFromAttributes"]!;
                    Assert.Equal(("bounce." + x["domain"], "REJECT_MESSAGE"), ((string)attributes["MailFromDomain"]!, (string)attributes["BehaviorOnMxFailure"]!));
                }),
            new FaultCase("Request-SesProductionAccess", "Request-SesProductionAccess @aws -MailType Transactional -WebsiteUrl https://www.open-contracting.org -UseCaseDescription 'Notifications to registered users'",
                new[] { "PutAccountDetails" }, "GetAccount",
                _ => Control("/ocds-testbed/sesv2/account-review", $"{{\"account\":\"{Account}\",\"region\":\"{Region}\",\"status\":\"DENIED\"}}"),
                _ =>
                {
                    var account = Account2();
                    Assert.Equal(("TRANSACTIONAL", "https://www.open-contracting.org"), ((string)account["Details"]!["MailType"]!, (string)account["Details"]!["WebsiteURL"]!));
                    Assert.Equal("PENDING", (string)account["Details"]!["ReviewDetails"]!["Status"]!);
                }),
            new FaultCase("Disable-SesAccountSuppression", "Disable-SesAccountSuppression @aws -Force",
                new[] { "PutAccountSuppressionAttributes" }, "GetAccount",
                _ => Call("sesv2", "put_account_suppression_attributes", new JsonObject { ["SuppressedReasons"] = new JsonArray("BOUNCE", "COMPLAINT") }),
                _ => Assert.Empty(Account2()["SuppressionAttributes"]!["SuppressedReasons"]!.AsArray())),
            new FaultCase("Enable-SesAccountSuppression", "Enable-SesAccountSuppression @aws -Reason Bounce",
                new[] { "PutAccountSuppressionAttributes" }, "GetAccount",
                _ => Call("sesv2", "put_account_suppression_attributes", new JsonObject { ["SuppressedReasons"] = new JsonArray() }),
                _ => Assert.Equal(new[] { "BOUNCE" }, Account2()["SuppressionAttributes"]!["SuppressedReasons"]!.AsArray().Select(r => (string)r!))),
            new FaultCase("New-SesReceiptCapture", "New-SesReceiptCapture -EmailAddress $address @aws",
                new[] { "CreateBucket", "PutPublicAccessBlock", "PutBucketPolicy", "PutBucketTagging", "CreateReceiptRuleSet", "CreateReceiptRule", "SetActiveReceiptRuleSet" }, "GetCallerIdentity",
                x =>
                {
                    ResetCapture();
                    x.Values["address"] = TestBed.Unique("ftcap") + "@nomx.example";
                    TestBed.VerifiedDomain("nomx.example", Region); // SES receives only for verified domains
                },
                x => AssertOneCapture(x["address"]),
                Made: x => CaptureMade(x["address"])),
            new FaultCase("New-SesEmailVerification", "New-SesEmailVerification -EmailAddress $address -Capture Always @aws -DnsServer $dnsServer",
                new[] { "CreateBucket", "PutPublicAccessBlock", "PutBucketPolicy", "PutBucketTagging", "CreateReceiptRuleSet", "CreateReceiptRule", "SetActiveReceiptRuleSet", "CreateEmailIdentity" }, "GetEmailIdentity",
                x =>
                {
                    ResetCapture();
                    x.Values["address"] = TestBed.Unique("ftver") + "@nomx.example";
                    TestBed.VerifiedDomain("nomx.example", Region); // SES receives only for verified domains
                },
                x =>
                {
                    AssertOneCapture(x["address"]);
                    Assert.Equal(1, IdentitiesNamed(x["address"]));
                }),
            new FaultCase("Remove-SesReceiptCapture", "Remove-SesReceiptCapture -EmailAddress $address @aws -Force",
                new[] { "DeleteReceiptRule", "SetActiveReceiptRuleSet", "DeleteReceiptRuleSet", "DeleteObjects", "DeleteBucket" }, "GetCallerIdentity",
                x =>
                {
                    ResetCapture();
                    x.Values["address"] = TestBed.Unique("ftrm") + "@nomx.example";
                    TestBed.VerifiedDomain("nomx.example", Region); // SES receives only for verified domains
                    x.Direct("New-SesReceiptCapture -EmailAddress $address @aws");
                    Call("s3", "put_object", new JsonObject { ["Bucket"] = CaptureBuckets(x["address"]).Single(), ["Key"] = "mail/one", ["Body"] = "a mail" });
                },
                x =>
                {
                    Assert.Empty(CaptureBuckets(x["address"]));
                    Assert.Empty(CaptureRules(x["address"]));
                    Assert.Null(Call("ses", "describe_active_receipt_rule_set")["Metadata"]);
                }),
            new FaultCase("Get-SmtpCredential", "Get-SmtpCredential -UserName $user -Region eu-west-1 -Force @aws",
                new[] { "CreateUser", "PutUserPolicy", "CreateAccessKey" }, "GetUser",
                x => x.Values["user"] = TestBed.Unique("ft-smtp"),
                x => AssertOneSmtpUser(x["user"]),
                Global: true, Made: x => SmtpMade(x["user"])),
            new FaultCase("New-SesNotificationTopic", "New-SesNotificationTopic -Identity $identity -SubscribeEmail sysadmin@open-contracting.org,data@open-contracting.org @aws",
                new[] { "CreateTopic", "Subscribe" }, "GetCallerIdentity",
                x => x.Values["identity"] = TestBed.Unique("ftn") + "@open-contracting.org",
                x =>
                {
                    var name = x["identity"].Replace('@', '-').Replace('.', '-');
                    Assert.Single(Call("sns", "list_topics")["Topics"]!.AsArray(), t => (string)t!["TopicArn"]! == TopicArn(name));
                    var policy = JsonNode.Parse((string)Call("sns", "get_topic_attributes", new JsonObject { ["TopicArn"] = TopicArn(name) })["Attributes"]!["Policy"]!)!;
                    Assert.Single(policy["Statement"]!.AsArray(), s => s!["Principal"]?["Service"]?.ToString() == "ses.amazonaws.com");
                    var subscriptions = Call("sns", "list_subscriptions_by_topic", new JsonObject { ["TopicArn"] = TopicArn(name) })["Subscriptions"]!.AsArray();
                    Assert.Equal(new[] { "data@open-contracting.org", "sysadmin@open-contracting.org" }, subscriptions.Select(s => (string)s!["Endpoint"]!).OrderBy(e => e));
                },
                Made: x =>
                {
                    var arn = TopicArn(x["identity"].Replace('@', '-').Replace('.', '-'));
                    var made = new HashSet<string>();
                    if (Call("sns", "list_topics")["Topics"]!.AsArray().Any(t => (string)t!["TopicArn"]! == arn)) made.Add("CreateTopic");
                    if (made.Count > 0 && Call("sns", "list_subscriptions_by_topic", new JsonObject { ["TopicArn"] = arn })["Subscriptions"]!.AsArray().Count > 0) made.Add("Subscribe");
                    return made;
                }),
            new FaultCase("Set-SesIdentityNotification", "Set-SesIdentityNotification -Identity $identity -TopicArn $arn @aws",
                new[] { "SetTopicAttributes", "SetIdentityNotificationTopic", "SetIdentityHeadersInNotificationsEnabled" }, "GetIdentityNotificationAttributes",
                x =>
                {
                    x.Values["identity"] = TestBed.Unique("ftsn") + "@open-contracting.org";
                    Call("ses", "verify_email_identity", new JsonObject { ["EmailAddress"] = x["identity"] });
                    x.Values["arn"] = (string)Call("sns", "create_topic", new JsonObject { ["Name"] = TestBed.Unique("ftsn") })["TopicArn"]!;
                },
                x =>
                {
                    var w = Call("ses", "get_identity_notification_attributes", new JsonObject { ["Identities"] = new JsonArray(x["identity"]) })["NotificationAttributes"]![x["identity"]]!;
                    Assert.Equal((x["arn"], x["arn"]), ((string)w["BounceTopic"]!, (string)w["ComplaintTopic"]!));
                    Assert.True((bool)w["HeadersInBounceNotificationsEnabled"]! && (bool)w["HeadersInComplaintNotificationsEnabled"]!);
                    Assert.Null(w["DeliveryTopic"]);
                    var policy = JsonNode.Parse((string)Call("sns", "get_topic_attributes", new JsonObject { ["TopicArn"] = x["arn"] })["Attributes"]!["Policy"]!)!;
                    var ses = Assert.Single(policy["Statement"]!.AsArray(), s => s!["Principal"]?["Service"]?.ToString() == "ses.amazonaws.com")!;
                    Assert.Equal($"arn:aws:ses:{Region}:{Account}:identity/{x["identity"]}", (string)ses["Condition"]!["StringEquals"]!["AWS:SourceArn"]!);
                }),
            new FaultCase("Send-SesTestEmail", "Send-SesTestEmail -From ('data@' + $domain) -To check@example.net, ops@example.net -Subject 'fault test' @aws",
                new[] { "SendEmail" }, null,
                x =>
                {
                    x.Values["domain"] = TestBed.Unique("ftsend") + ".example";
                    Call("sesv2", "create_email_identity", new JsonObject { ["EmailIdentity"] = x["domain"] });
                    x.Values["sentBefore"] = SentLast24Hours();
                },
                x => Assert.Equal((double)x.Values["sentBefore"]! + Recipients, SentLast24Hours())),
            new FaultCase("New-AuroraNetwork", "New-AuroraNetwork -Name $name @aws",
                NetworkChangesInOrder, "DescribeVpcs",
                x => x.Values["name"] = TestBed.Unique("ft-net"),
                x => AssertOneNetwork(Region, x["name"]),
                Made: x => NetworkMade(x["name"])),
            // A new cluster gets the Data API from CreateDBCluster itself: no EnableHttpEndpoint call to fault.
            new FaultCase("New-AuroraServerlessCluster", "Get-Variable -ValueOnly net | New-AuroraServerlessCluster -DBClusterIdentifier $cluster @aws",
                new[] { "CreateDBCluster", "CreateDBInstance" }, "DescribeDBClusters",
                x =>
                {
                    x.Values["name"] = TestBed.Unique("ft-cl");
                    x.Values["cluster"] = TestBed.Unique("ftcl");
                    x.Values["net"] = x.Direct("New-AuroraNetwork -Name $name @aws").Output.Single().BaseObject;
                },
                x => AssertOneCluster(x["cluster"], x["name"]),
                Made: x => ClusterMade(x["cluster"])),
            // The separate EnableHttpEndpoint call: an existing cluster made with -NoDataApi gets the Data API on a re-run.
            new FaultCase("New-AuroraServerlessCluster on a cluster without the Data API", "New-AuroraServerlessCluster -DBClusterIdentifier $cluster @aws",
                new[] { "EnableHttpEndpoint" }, "DescribeDBClusters",
                x =>
                {
                    x.Values["name"] = TestBed.Unique("ft-api");
                    x.Values["cluster"] = TestBed.Unique("ftapi");
                    x.Direct("New-AuroraNetwork -Name $name @aws | New-AuroraServerlessCluster -DBClusterIdentifier $cluster -NoDataApi @aws");
                },
                x => AssertOneCluster(x["cluster"], x["name"]),
                Made: x => (bool?)Cluster(x["cluster"])?["HttpEndpointEnabled"] == true ? new HashSet<string> { "EnableHttpEndpoint" } : new HashSet<string>()),
            new FaultCase("New-AuroraBastion", "New-AuroraBastion -Name $name -AllowedSshCidr 203.0.113.7/32 -KeyName ops @aws",
                new[] { "CreateInternetGateway", "AttachInternetGateway", "CreateSubnet", "ModifySubnetAttribute", "CreateRouteTable", "CreateRoute", "AssociateRouteTable", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "RunInstances" },
                "DescribeVpcs",
                x =>
                {
                    x.Values["name"] = TestBed.Unique("ft-bst");
                    x.Direct("New-AuroraNetwork -Name $name @aws");
                },
                x => AssertOneBastion(x["name"]),
                Made: x => BastionMade(x["name"] + "-bastion")),
            new FaultCase("Remove-AuroraServerlessCluster", "Remove-AuroraServerlessCluster $cluster -SkipFinalSnapshot -Wait -Force @aws",
                new[] { "ModifyDBCluster", "DeleteDBInstance", "DeleteDBCluster" }, "DescribeDBClusters",
                x =>
                {
                    x.Values["name"] = TestBed.Unique("ft-rmc");
                    x.Values["cluster"] = TestBed.Unique("ftrmc");
                    x.Direct("New-AuroraNetwork -Name $name @aws | New-AuroraServerlessCluster -DBClusterIdentifier $cluster @aws");
                },
                x =>
                {
                    Assert.Null(Cluster(x["cluster"]));
                    Assert.DoesNotContain(Call("rds", "describe_db_instances")["DBInstances"]!.AsArray(), i => (string?)i!["DBClusterIdentifier"] == x["cluster"]);
                }),
            new FaultCase("Remove-AuroraNetwork", "Remove-AuroraNetwork -Name $name -Force @aws",
                new[] { "DeleteDBSubnetGroup", "DeleteSecurityGroup", "DeleteSubnet", "DeleteVpc" }, "DescribeVpcs",
                x =>
                {
                    x.Values["name"] = TestBed.Unique("ft-rmn");
                    x.Direct("New-AuroraNetwork -Name $name @aws");
                },
                x =>
                {
                    Assert.Null(Vpc(x["name"]));
                    Assert.Equal("error", Witness.TryCall("rds", "describe_db_subnet_groups", new JsonObject { ["DBSubnetGroupName"] = x["name"].ToLowerInvariant() }, Region).AsObject().Single().Key);
                }),
        };

        private const int Recipients = 2;

        private static ISet<string> ClusterMade(string id)
        {
            var made = new HashSet<string>();
            var cluster = Cluster(id);
            if (cluster == null) return made;
            made.Add("CreateDBCluster");
            if (Call("rds", "describe_db_instances")["DBInstances"]!.AsArray().Any(i => (string?)i!["DBClusterIdentifier"] == id)) made.Add("CreateDBInstance");
            return made;
        }

        private static ISet<string> BastionMade(string name)
        {
            var made = new HashSet<string>();
            var gateway = Filtered("describe_internet_gateways", "InternetGateways", "tag:Name", name).SingleOrDefault();
            if (gateway != null) made.Add("CreateInternetGateway");
            if (gateway != null && gateway["Attachments"]!.AsArray().Count > 0) made.Add("AttachInternetGateway");
            var subnet = Filtered("describe_subnets", "Subnets", "tag:Name", name).SingleOrDefault();
            if (subnet != null) made.Add("CreateSubnet");
            if (subnet != null && (bool)subnet["MapPublicIpOnLaunch"]!) made.Add("ModifySubnetAttribute");
            var table = Filtered("describe_route_tables", "RouteTables", "tag:Name", name).SingleOrDefault();
            if (table != null) made.Add("CreateRouteTable");
            if (table != null && table["Routes"]!.AsArray().Any(r => ((string?)r!["GatewayId"])?.StartsWith("igw-") == true)) made.Add("CreateRoute");
            if (table != null && table["Associations"]!.AsArray().Any(a => a!["SubnetId"] != null)) made.Add("AssociateRouteTable");
            var group = Filtered("describe_security_groups", "SecurityGroups", "tag:Name", name).SingleOrDefault();
            if (group != null) made.Add("CreateSecurityGroup");
            if (group != null && group["IpPermissions"]!.AsArray().Count > 0) made.Add("AuthorizeSecurityGroupIngress");
            if (Filtered("describe_instances", "Reservations", "tag:Name", name).SelectMany(r => r!["Instances"]!.AsArray()).Any(i => (string)i!["State"]!["Name"]! != "terminated"))
                made.Add("RunInstances");
            return made;
        }

        private static void AssertOneBastion(string network)
        {
            // Everything the bastion makes is tagged Name=<network>-bastion: count those region-wide, so an orphan
            // (made by an attempt whose answer was lost, never attached) counts too.
            var name = network + "-bastion";
            var vpcId = (string)Vpc(network)!["VpcId"]!;
            var gateway = Assert.Single(Filtered("describe_internet_gateways", "InternetGateways", "tag:Name", name))!;
            Assert.Equal(vpcId, (string)Assert.Single(gateway["Attachments"]!.AsArray())!["VpcId"]!);
            var subnet = Assert.Single(Filtered("describe_subnets", "Subnets", "tag:Name", name))!;
            Assert.Equal(("10.0.0.0/24", vpcId), ((string)subnet["CidrBlock"]!, (string)subnet["VpcId"]!));
            Assert.True((bool)subnet["MapPublicIpOnLaunch"]!);
            Assert.Equal(new[] { "10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24" }, Filtered("describe_subnets", "Subnets", "vpc-id", vpcId).Select(s => (string)s!["CidrBlock"]!).OrderBy(c => c));
            var table = Assert.Single(Filtered("describe_route_tables", "RouteTables", "tag:Name", name))!;
            Assert.Single(table["Routes"]!.AsArray(), r => (string?)r!["GatewayId"] == (string)gateway["InternetGatewayId"]!);
            Assert.Equal((string)subnet["SubnetId"]!, (string)Assert.Single(table["Associations"]!.AsArray(), a => a!["SubnetId"] != null)!["SubnetId"]!);
            var ssh = Assert.Single(Filtered("describe_security_groups", "SecurityGroups", "tag:Name", name))!;
            Assert.Equal("203.0.113.7/32", (string)Assert.Single(Assert.Single(ssh["IpPermissions"]!.AsArray())!["IpRanges"]!.AsArray())!["CidrIp"]!);
            Assert.Equal(2, Filtered("describe_security_groups", "SecurityGroups", "vpc-id", vpcId).Count(g => (string)g!["GroupName"]! != "default"));
            var instances = Filtered("describe_instances", "Reservations", "tag:Name", name).SelectMany(r => r!["Instances"]!.AsArray())
                .Where(i => (string)i!["State"]!["Name"]! != "terminated").ToList();
            Assert.Equal(("ops", (string)subnet["SubnetId"]!), ((string)Assert.Single(instances)!["KeyName"]!, (string)instances[0]!["SubnetId"]!));
        }

        public static TheoryData<string> Names => new TheoryData<string>(AllCases.Select(c => c.Name));

        private static FaultCase CaseNamed(string name) => AllCases.Single(c => c.Name == name);
    }
}
