using System;
using System.Management.Automation;
using System.Net;
using Amazon.Runtime;
using OcdsAws.Aws;

namespace OcdsAws
{
    /// <summary>Turns exceptions into ErrorRecords with stable ids and fitting categories.</summary>
    internal static class AwsErrors
    {
        /// <summary>The category users filter on, from the AWS error code (and HTTP status when the code says nothing).</summary>
        public static ErrorCategory Categorize(string? code, HttpStatusCode status)
        {
            if (AwsErrorCodes.IsAuthentication(code)) return ErrorCategory.SecurityError;
            if (AwsErrorCodes.IsPermission(code)) return ErrorCategory.PermissionDenied;
            if (AwsErrorCodes.IsLimit(code)) return ErrorCategory.LimitsExceeded;
            if (AwsErrorCodes.IsNotFound(code)) return ErrorCategory.ObjectNotFound;
            if (AwsErrorCodes.IsAlreadyExists(code)) return ErrorCategory.ResourceExists;
            if (AwsErrorCodes.IsInvalidInput(code)) return ErrorCategory.InvalidArgument;
            if (AwsErrorCodes.IsConflict(code)) return ErrorCategory.ResourceBusy;
            if (status == HttpStatusCode.Forbidden) return ErrorCategory.PermissionDenied;
            if (status == HttpStatusCode.NotFound) return ErrorCategory.ObjectNotFound;
            if ((int)status >= 500) return ErrorCategory.ResourceUnavailable;
            return ErrorCategory.InvalidOperation;
        }

        /// <summary>
        /// " (3 attempts …)" for a call Core retried, and for a passing fault (throttling, a server error, a lost
        /// connection) what to do about it: every mutating cmdlet finds what exists, so running it again is safe.
        /// </summary>
        private static string Attempts(Exception exception, bool passing)
        {
            var attempts = exception.Data.Contains(CallLogHandler.AttemptsKey) ? exception.Data[CallLogHandler.AttemptsKey] as int? : null;
            if (!passing) return attempts > 1 ? $" ({attempts} attempts)" : "";
            return $" ({(attempts > 1 ? $"gave up after {attempts} attempts" : "a passing fault")}: run the command again; it finds what was already done and finishes the job.)";
        }

        /// <summary>An ErrorRecord for anything a service call threw.</summary>
        public static ErrorRecord ToErrorRecord(Exception exception, object? target, Func<string, string> scrub)
        {
            switch (exception)
            {
                case AmazonServiceException service:
                {
                    var code = string.IsNullOrEmpty(service.ErrorCode) ? "Http" + (int)service.StatusCode : service.ErrorCode;
                    var category = Categorize(code, service.StatusCode);
                    // AWS errors can echo request parameters: a message that held a secret is replaced by a scrubbed
                    // copy of the same exception type, so not even $Error[0].Exception shows it.
                    var scrubbed = scrub(service.Message);
                    if (scrubbed != service.Message)
                    {
                        exception = new AmazonServiceException(scrubbed, null, service.ErrorType, service.ErrorCode, service.RequestId, service.StatusCode);
                        foreach (System.Collections.DictionaryEntry entry in service.Data) exception.Data[entry.Key] = entry.Value;
                    }
                    var record = new ErrorRecord(exception, "Aws." + code, category, target);
                    var passing = category == ErrorCategory.LimitsExceeded && !code.Contains("LimitExceeded") && !code.Contains("Quota") || (int)service.StatusCode >= 500;
                    record.ErrorDetails = new ErrorDetails(scrub($"AWS error {code} (HTTP {(int)service.StatusCode}): {service.Message}" + Attempts(exception, passing)));
                    return record;
                }
                case AwsSessionException session:
                {
                    var category = session.IsArgument ? ErrorCategory.InvalidArgument
                        : session.ErrorId == "NoCredentials" ? ErrorCategory.AuthenticationError : ErrorCategory.InvalidArgument;
                    return new ErrorRecord(exception, "OcdsAws." + session.ErrorId, category, target);
                }
                case OcdsAwsException known:
                    return new ErrorRecord(exception, "OcdsAws." + known.ErrorId, known.Category, target);
                case AwsProtocolException protocol:
                    return new ErrorRecord(exception, "OcdsAws." + protocol.ErrorId, protocol.Kind switch
                    {
                        AwsFailureKind.MayHaveHappened => ErrorCategory.OperationStopped,
                        AwsFailureKind.NotFoundAfterLostAnswer => ErrorCategory.ResourceUnavailable,
                        _ => ErrorCategory.InvalidResult,
                    }, target);
                case AmazonClientException client:
                {
                    var record = new ErrorRecord(exception, "Aws.ClientError", ErrorCategory.ConnectionError, target);
                    record.ErrorDetails = new ErrorDetails(scrub("AWS call failed before a response: " + client.GetBaseException().Message + Attempts(exception, true)));
                    return record;
                }
                case System.Net.Http.HttpRequestException _:
                case System.Net.Sockets.SocketException _:
                case System.IO.IOException _:
                {
                    var record = new ErrorRecord(exception, "Aws.ConnectionFailed", ErrorCategory.ConnectionError, target);
                    record.ErrorDetails = new ErrorDetails(scrub("Could not reach the AWS endpoint: " + exception.GetBaseException().Message + Attempts(exception, true)));
                    return record;
                }
                case TimeoutException _:
                    return new ErrorRecord(exception, "OcdsAws.Timeout", ErrorCategory.OperationTimeout, target);
                default:
                    return new ErrorRecord(exception, "OcdsAws." + exception.GetType().Name, ErrorCategory.NotSpecified, target);
            }
        }
    }

    /// <summary>A failure OcdsAws itself detected, with a stable error id and the category users filter on.</summary>
    internal class OcdsAwsException : Exception
    {
        public OcdsAwsException(string errorId, string message, ErrorCategory category)
            : base(message)
        {
            ErrorId = errorId;
            Category = category;
        }

        public string ErrorId { get; }

        public ErrorCategory Category { get; }
    }

    /// <summary>Bad input found before any AWS call.</summary>
    internal sealed class ValidationException : OcdsAwsException
    {
        public ValidationException(string errorId, string message, ErrorCategory category = ErrorCategory.InvalidArgument)
            : base(errorId, message, category)
        {
        }
    }
}
