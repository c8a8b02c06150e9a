using System;

namespace OcdsAws.Aws
{
    /// <summary>
    /// What an AWS error code says, for the protocol layer's own decisions (retry, lost answers) and for the cmdlet
    /// boundary, which alone turns these into PowerShell's ErrorCategory (<see cref="OcdsAws.AwsErrors"/>). Codes are
    /// matched by part because each service names them its own way (Throttling, ThrottlingException,
    /// RequestLimitExceeded, SlowDown…; botocore's _retry.json lists the throttling ones).
    /// </summary>
    internal static class AwsErrorCodes
    {
        private static bool Has(string? code, string part) => (code ?? "").IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>The credentials or the signature were refused.</summary>
        public static bool IsAuthentication(string? code)
            => Has(code, "Signature") || Has(code, "InvalidClientTokenId") || Has(code, "UnrecognizedClient") || Has(code, "ExpiredToken")
                || Has(code, "MissingAuthenticationToken") || Has(code, "AuthFailure") || Has(code, "InvalidAccessKeyId");

        /// <summary>The caller may not do this.</summary>
        public static bool IsPermission(string? code)
            => Has(code, "AccessDenied") || Has(code, "Unauthorized") || Has(code, "NotAuthorized") || Has(code, "Forbidden");

        /// <summary>A rate or quota limit: throttling (passing) or a limit exceeded (lasting).</summary>
        public static bool IsLimit(string? code)
            => IsThrottling(code) || Has(code, "LimitExceeded") || Has(code, "QuotaExceeded");

        /// <summary>The request was turned away for its rate: it did nothing, and may be sent again.</summary>
        public static bool IsThrottling(string? code)
            => Has(code, "Throttl") || Has(code, "TooManyRequests") || Has(code, "RequestLimitExceeded") || Has(code, "SlowDown");

        public static bool IsNotFound(string? code) => Has(code, "NotFound") || Has(code, "NoSuch") || Has(code, "DoesNotExist");

        public static bool IsAlreadyExists(string? code) => Has(code, "AlreadyExists") || Has(code, "AlreadyOwnedByYou") || Has(code, "Duplicate");

        public static bool IsInvalidInput(string? code)
            => Has(code, "Validation") || Has(code, "InvalidParameter") || Has(code, "BadRequest") || Has(code, "Malformed")
                || Has(code, "InvalidInput") || Has(code, "MissingParameter") || Has(code, "InvalidArgument");

        public static bool IsConflict(string? code) => Has(code, "Conflict") || Has(code, "ConcurrentModification") || Has(code, "State");
    }

    /// <summary>How a protocol-layer failure of OcdsAws's own should read; the cmdlet boundary maps it to a category.</summary>
    internal enum AwsFailureKind
    {
        /// <summary>A change failed after it was sent and cannot be repeated safely: it may or may not have happened.</summary>
        MayHaveHappened,

        /// <summary>An earlier attempt made the resource, yet it cannot be found now.</summary>
        NotFoundAfterLostAnswer,

        /// <summary>AWS answered without what the operation must return.</summary>
        IncompleteAnswer,
    }

    /// <summary>A failure the protocol layer detected itself, with a stable error id and no PowerShell type in it.</summary>
    internal class AwsProtocolException : Exception
    {
        public AwsProtocolException(string errorId, string message, AwsFailureKind kind)
            : base(message)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        public string ErrorId { get; }

        public AwsFailureKind Kind { get; }
    }
}
