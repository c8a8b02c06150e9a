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
        private static string Attempts(Exception exception, bool passing, bool changesAws)
        {
            var attempts = exception.Data.Contains(CallLogHandler.AttemptsKey) ? exception.Data[CallLogHandler.AttemptsKey] as int? : null;
            if (!passing) return attempts > 1 ? $" ({attempts} attempts)" : "";
            var again = changesAws ? "run the command again; it finds what was already done and finishes the job."
                : "check the network and the endpoint, then run the command again.";
            return $" ({(attempts > 1 ? $"gave up after {attempts} attempts" : "a passing fault")}: {again})";
        }

        /// <summary>" https://host" from the call log, for messages about an endpoint that could not be reached.</summary>
        private static string Host(Exception exception)
            => exception.Data.Contains(CallLogHandler.HostKey) && exception.Data[CallLogHandler.HostKey] is string host ? " " + host : "";

        /// <summary>The region a failed call went to (the call log records it), or null.</summary>
        public static string? RegionOf(Exception exception)
            => exception.Data.Contains(CallLogHandler.RegionKey) ? exception.Data[CallLogHandler.RegionKey] as string : null;

        /// <summary>
        /// An ErrorRecord for anything a service call threw. <paramref name="changesAws"/>: the cmdlet changes AWS, so a
        /// re-run after a passing fault finishes the job; a read-only cmdlet's advice says only to try again.
        /// </summary>
        public static ErrorRecord ToErrorRecord(Exception exception, object? target, Func<string, string> scrub, bool changesAws = true)
        {
            var record = Build(exception, target, scrub, changesAws);
            // One rule for every message: an input quoted in full (10,000 characters) is cut to its ends.
            if (record.ErrorDetails != null) record.ErrorDetails = new ErrorDetails(ErrorText.CutLongQuotes(record.ErrorDetails.Message));
            return record;
        }

        private static ErrorRecord Build(Exception exception, object? target, Func<string, string> scrub, bool changesAws)
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
                    record.ErrorDetails = new ErrorDetails(scrub($"AWS error {code} (HTTP {(int)service.StatusCode}): {service.Message}" + Attempts(exception, passing, changesAws)));
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
                case CredentialObjectException credentials:
                    return new ErrorRecord(credentials, "OcdsAws." + ErrorIds.CredentialObjectFailed, ErrorCategory.AuthenticationError, target);
                case ProcessAWSCredentialException process:
                {
                    // The SDK puts the helper's whole stderr into its message, and a credential helper may print secrets there
                    // (AWS SDK for .NET Developer Guide, "Load temporary credentials from an external process": make sure the
                    // tool does not write secret information to StdErr; SDKs and the CLI can capture and log it). Only the exit
                    // code is kept.
                    var exit = System.Text.RegularExpressions.Regex.Match(process.Message, @"exit value (-?\d+)");
                    var what = exit.Success ? $"exited with code {exit.Groups[1].Value}" : "did not return credentials as JSON (Version 1, AccessKeyId, SecretAccessKey…)";
                    var record = new ErrorRecord(new OcdsAwsException(ErrorIds.CredentialProcessFailed,
                        $"The profile's credential_process helper {what}. Its error output is not shown, as it may hold secrets: run the helper yourself to see it, fix it, then run the command again.",
                        ErrorCategory.AuthenticationError), "OcdsAws." + ErrorIds.CredentialProcessFailed, ErrorCategory.AuthenticationError, target);
                    return record;
                }
                case AmazonClientException client:
                {
                    var record = new ErrorRecord(exception, "Aws.ClientError", ErrorCategory.ConnectionError, target);
                    record.ErrorDetails = new ErrorDetails(scrub("AWS call failed before a response" + (Host(exception).Length > 0 ? " from" + Host(exception) : "") + ": "
                        + client.GetBaseException().Message + Attempts(exception, true, changesAws)));
                    return record;
                }
                case System.Net.Http.HttpRequestException _:
                case System.Net.Sockets.SocketException _:
                case System.IO.IOException _:
                {
                    var record = new ErrorRecord(exception, "Aws.ConnectionFailed", ErrorCategory.ConnectionError, target);
                    record.ErrorDetails = new ErrorDetails(scrub("Could not reach the AWS endpoint" + Host(exception) + ": " + exception.GetBaseException().Message + Attempts(exception, true, changesAws)));
                    return record;
                }
                case TimeoutException _:
                    return new ErrorRecord(exception, "OcdsAws." + ErrorIds.Timeout, ErrorCategory.OperationTimeout, target);
                default:
                    return new ErrorRecord(exception, "OcdsAws." + exception.GetType().Name, ErrorCategory.NotSpecified, target);
            }
        }
    }

    /// <summary>Message text rules shared by every error.</summary>
    internal static class ErrorText
    {
        /// <summary>Quoted inputs longer than this are cut to their ends.</summary>
        public const int MaxQuoted = 80;

        private static readonly System.Text.RegularExpressions.Regex LongQuote =
            new System.Text.RegularExpressions.Regex(@"(?<=^|[\s(=\[])'([^'\r\n]{" + (MaxQuoted + 1) + @",}?)'(?=$|[\s).,:;\]])", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// "'aaaa…aaaa' (10000 characters)" for a quoted input of 10,000 characters: a message must fit on a screen and still
        /// show which input it means. Messages quote inputs in single quotes (an opening quote after a space or bracket, a
        /// closing one before a space or punctuation, so the text between two quoted inputs is never taken for one);
        /// anything else still long is cut at 2,000.
        /// </summary>
        public static string CutLongQuotes(string message)
        {
            var cut = LongQuote.Replace(message, m =>
            {
                var v = m.Groups[1].Value;
                return $"'{v.Substring(0, 40)}…{v.Substring(v.Length - 20)}' ({v.Length} characters)";
            });
            return cut.Length <= 2000 ? cut : cut.Substring(0, 1500) + $"… ({cut.Length} characters in all) …" + cut.Substring(cut.Length - 300);
        }
    }

    /// <summary>A failure OcdsAws itself detected, with a stable error id and the category users filter on.</summary>
    internal class OcdsAwsException : Exception
    {
        public OcdsAwsException(string errorId, string message, ErrorCategory category)
            : base(ErrorText.CutLongQuotes(message))
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
