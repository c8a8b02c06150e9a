using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Aws
{
    /// <summary>Core's retry handler, error mapping and cancellation, seen from a loopback server.</summary>
    public sealed class RetryAndErrorTests
    {
        private const string ListTopicsOk = "<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTopicsResult><Topics/></ListTopicsResult>"
            + "<ResponseMetadata><RequestId>ok-1</RequestId></ResponseMetadata></ListTopicsResponse>";

        private static string QueryError(string code, string message) =>
            $"<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>err-1</RequestId></ErrorResponse>";

        [Fact]
        public async Task Throttling_twice_then_success_succeeds_after_three_attempts()
        {
            using var server = new CaptureServer((_, i) => i < 2
                ? new CannedResponse(400, QueryError("Throttling", "Rate exceeded"))
                : new CannedResponse(200, ListTopicsOk));
            var records = new ConcurrentBag<AwsCallRecord>();
            using var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret", records.Add);

            var topics = await new SnsApi(clients.Get(AwsService.Sns)).ListTopicsAsync(CancellationToken.None);

            Assert.Empty(topics);
            Assert.Equal(3, server.Requests.Count);
            var record = Assert.Single(records);
            Assert.Equal(3, record.Attempts);
            Assert.Equal(200, record.HttpStatus);
            Assert.Equal("capture-2", record.RequestId); // Core prefers the x-amzn-RequestId header
            Assert.Equal("AWS call: SNS ListTopics -> HTTP 200, 3 attempts, " + record.Milliseconds + " ms, request id capture-2", record.ToString());
        }

        [Fact]
        public async Task Rest_json_throttling_is_retried_too()
        {
            using var server = new CaptureServer((_, i) => i < 1
                ? new CannedResponse(429, "{\"message\":\"Maximum sending rate exceeded.\"}", "application/json", new System.Collections.Generic.Dictionary<string, string> { ["x-amzn-ErrorType"] = "TooManyRequestsException" })
                : new CannedResponse(200, "{\"IdentityType\":\"DOMAIN\",\"VerifiedForSendingStatus\":true}", "application/json"));
            var records = new ConcurrentBag<AwsCallRecord>();
            using var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret", records.Add);

            var identity = await new SesV2Api(clients.Get(AwsService.SesV2)).GetEmailIdentityAsync("example.org", CancellationToken.None);

            Assert.True(identity.VerifiedForSending);
            Assert.Equal(2, Assert.Single(records).Attempts);
        }

        [Fact]
        public async Task Non_retryable_errors_surface_with_code_status_and_request_id()
        {
            using var server = new CaptureServer((_, _) => new CannedResponse(404, QueryError("NotFound", "Topic does not exist")));
            var records = new ConcurrentBag<AwsCallRecord>();
            using var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret", records.Add);

            var e = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => new SnsApi(clients.Get(AwsService.Sns)).ListTopicsAsync(CancellationToken.None));

            Assert.Equal("NotFound", e.ErrorCode);
            Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
            Assert.Equal("err-1", e.RequestId);
            Assert.Single(server.Requests);
            Assert.Equal("NotFound", Assert.Single(records).ErrorCode);
        }

        [Fact]
        public async Task Rest_json_errors_are_read_by_cores_json_error_reader()
        {
            using var server = new CaptureServer((_, _) => new CannedResponse(404, "{\"message\":\"Email identity example.org does not exist.\"}", "application/json",
                new System.Collections.Generic.Dictionary<string, string> { ["x-amzn-ErrorType"] = "NotFoundException:http://internal.amazon.com/coral/com.amazonaws.sesv2/" }));
            using var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret");

            var e = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => new SesV2Api(clients.Get(AwsService.SesV2)).GetEmailIdentityAsync("example.org", CancellationToken.None));

            Assert.Equal("NotFoundException", e.ErrorCode);
            Assert.Contains("does not exist", e.Message);
            Assert.Equal(ErrorCategory.ObjectNotFound, AwsErrors.Categorize(e.ErrorCode, e.StatusCode));
        }

        [Fact]
        public async Task Cancellation_stops_a_slow_call_promptly()
        {
            using var server = new CaptureServer((_, _) => new CannedResponse(200, ListTopicsOk, Delay: TimeSpan.FromSeconds(30)));
            using var clients = TestBed.ClientsFor(new Uri(server.Url), "eu-west-1", "AKIDEXAMPLE", "secret");
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SnsApi(clients.Get(AwsService.Sns)).ListTopicsAsync(cancel.Token));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }

        [Theory]
        [InlineData("SignatureDoesNotMatch", 403, ErrorCategory.SecurityError)]
        [InlineData("InvalidClientTokenId", 403, ErrorCategory.SecurityError)]
        [InlineData("UnrecognizedClientException", 403, ErrorCategory.SecurityError)]
        [InlineData("ExpiredToken", 403, ErrorCategory.SecurityError)]
        [InlineData("AccessDenied", 403, ErrorCategory.PermissionDenied)]
        [InlineData("AccessDeniedException", 403, ErrorCategory.PermissionDenied)]
        [InlineData("UnauthorizedOperation", 403, ErrorCategory.PermissionDenied)]
        [InlineData("NotFoundException", 404, ErrorCategory.ObjectNotFound)]
        [InlineData("NoSuchEntity", 404, ErrorCategory.ObjectNotFound)]
        [InlineData("DBClusterNotFoundFault", 404, ErrorCategory.ObjectNotFound)]
        [InlineData("NoSuchBucket", 404, ErrorCategory.ObjectNotFound)]
        [InlineData("AlreadyExistsException", 400, ErrorCategory.ResourceExists)]
        [InlineData("EntityAlreadyExists", 409, ErrorCategory.ResourceExists)]
        [InlineData("DBClusterAlreadyExistsFault", 400, ErrorCategory.ResourceExists)]
        [InlineData("BucketAlreadyOwnedByYou", 409, ErrorCategory.ResourceExists)]
        [InlineData("InvalidGroup.Duplicate", 400, ErrorCategory.ResourceExists)]
        [InlineData("Throttling", 400, ErrorCategory.LimitsExceeded)]
        [InlineData("TooManyRequestsException", 429, ErrorCategory.LimitsExceeded)]
        [InlineData("LimitExceeded", 409, ErrorCategory.LimitsExceeded)]
        [InlineData("ValidationError", 400, ErrorCategory.InvalidArgument)]
        [InlineData("BadRequestException", 400, ErrorCategory.InvalidArgument)]
        [InlineData("InvalidParameterValue", 400, ErrorCategory.InvalidArgument)]
        [InlineData("MalformedPolicyDocument", 400, ErrorCategory.InvalidArgument)]
        [InlineData("InvalidDBClusterStateFault", 400, ErrorCategory.ResourceBusy)]
        [InlineData("ConcurrentModificationException", 409, ErrorCategory.ResourceBusy)]
        [InlineData("InternalFailure", 500, ErrorCategory.ResourceUnavailable)]
        [InlineData("", 403, ErrorCategory.PermissionDenied)]
        public void Error_codes_map_to_fitting_categories(string code, int status, ErrorCategory expected)
            => Assert.Equal(expected, AwsErrors.Categorize(code, (HttpStatusCode)status));

        [Theory]
        [InlineData("Throttling", true)]
        [InlineData("ThrottlingException", true)]
        [InlineData("RequestLimitExceeded", true)]
        [InlineData("SlowDown", true)]
        [InlineData("TooManyRequestsException", true)]
        [InlineData("LimitExceeded", false)]   // a lasting limit (e.g. IAM's two access keys): sending again cannot help
        [InlineData("QuotaExceededException", false)]
        [InlineData("InternalFailure", false)]
        public void The_protocol_layer_tells_throttling_from_lasting_limits_without_PowerShell_categories(string code, bool throttling)
            => Assert.Equal(throttling, AwsErrorCodes.IsThrottling(code));

        [Theory]
        [InlineData("MayHaveHappened", ErrorCategory.OperationStopped)]
        [InlineData("NotFoundAfterLostAnswer", ErrorCategory.ResourceUnavailable)]
        [InlineData("IncompleteAnswer", ErrorCategory.InvalidResult)]
        public void Protocol_failures_get_their_category_at_the_cmdlet_boundary(string kind, ErrorCategory expected)
        {
            var failure = (AwsFailureKind)Enum.Parse(typeof(AwsFailureKind), kind);
            var record = AwsErrors.ToErrorRecord(new AwsProtocolException("LostAnswer", "m", failure), "target", text => text);
            Assert.Equal("OcdsAws.LostAnswer", record.FullyQualifiedErrorId);
            Assert.Equal(expected, record.CategoryInfo.Category);
        }

        [Fact]
        public void Error_records_carry_a_stable_id_and_scrubbed_details()
        {
            var e = new AmazonServiceException("The key s3cr3t is wrong", null, ErrorType.Sender, "SignatureDoesNotMatch", "rid", HttpStatusCode.Forbidden);
            var record = AwsErrors.ToErrorRecord(e, "target", text => text.Replace("s3cr3t", "********"));
            Assert.Equal("Aws.SignatureDoesNotMatch", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, record.CategoryInfo.Category);
            Assert.DoesNotContain("s3cr3t", record.ErrorDetails.Message);
            // DetailedView and $Error[0].Exception show the exception itself: it is a scrubbed copy of the same type.
            var shown = Assert.IsType<AmazonServiceException>(record.Exception);
            Assert.DoesNotContain("s3cr3t", shown.ToString());
            Assert.Equal(("SignatureDoesNotMatch", "rid", HttpStatusCode.Forbidden), (shown.ErrorCode, shown.RequestId, shown.StatusCode));
            Assert.Equal("target", record.TargetObject);
        }
    }
}
