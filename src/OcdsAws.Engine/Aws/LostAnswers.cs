using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace OcdsAws.Aws
{
    /// <summary>
    /// A change whose answer was lost. Core retries a call that failed with HTTP 500, a reset connection or a
    /// timeout; for a change that failure may have come after AWS made it, so the retry would make a second VPC,
    /// access key or message, or fail with "already exists" although the first attempt worked. This handler sits
    /// inside Core's retry loop and sees every attempt: before re-sending a change whose earlier attempt may have
    /// worked it runs the caller's lookup (<see cref="LostAnswers.CreateOnceAsync"/>); an "already exists" answer to
    /// such a retry sends the caller to its lookup too, and a "not found" answer to a retried delete means it is done.
    /// Core still owns retrying: its budget, back-off and token bucket.
    /// </summary>
    internal sealed class LostAnswerHandler : PipelineHandler
    {
        private sealed class CallState
        {
            /// <summary>An earlier attempt of this call failed in a way that may have left its change done.</summary>
            public bool MayBeDone;
        }

        // One request context per call, the same object across its attempts.
        private static readonly ConditionalWeakTable<IRequestContext, CallState> States = new ConditionalWeakTable<IRequestContext, CallState>();

        public override void InvokeSync(IExecutionContext executionContext)
            => InvokeAsync<AmazonWebServiceResponse>(executionContext).GetAwaiter().GetResult();

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var request = executionContext.RequestContext;
            var operation = AwsOperation.NameOf(request);
            var state = States.GetOrCreateValue(request);
            var guard = LostAnswers.GuardFor(operation);
            if (state.MayBeDone)
            {
                if (LostAnswers.CannotBeRepeated(operation))
                    throw new LostAnswerException(operation, $"{operation} failed after the request was sent: it may have taken effect, so it was not sent again. Check before running it again.");
                if (guard != null && await guard(request.CancellationToken).ConfigureAwait(false) is object found)
                    throw new EarlierAttemptSucceededException(operation, found, null);
            }
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (state.MayBeDone && LostAnswers.MeansDone(operation, e.ErrorCode) && (guard != null || LostAnswers.IsDelete(operation)))
            {
                // The earlier attempt made (or removed) it. A caller that needs the result looks it up; a delete is
                // simply done. Other creates get AWS's own "already exists", which their callers handle as a re-run would.
                if (guard != null) throw new EarlierAttemptSucceededException(operation, null, e);
                var done = new T { HttpStatusCode = HttpStatusCode.OK };
                executionContext.ResponseContext.Response = done;
                return done;
            }
            catch (Exception e)
            {
                state.MayBeDone |= MayHaveTakenEffect(e, request.CancellationToken);
                throw;
            }
        }

        /// <summary>
        /// True when the failure may have come after AWS acted: a server error, a timeout, a connection lost after
        /// connecting. Throttling, 503 and connect failures mean the request was turned away.
        /// </summary>
        internal static bool MayHaveTakenEffect(Exception e, CancellationToken callerToken)
        {
            switch (e)
            {
                case AmazonServiceException service when service.StatusCode != 0:
                {
                    var status = (int)service.StatusCode;
                    if (status == 503 || status == 429 || AwsErrorCodes.IsThrottling(service.ErrorCode)) return false;
                    if (status >= 500) return true;
                    return service.ErrorCode == "RequestTimeout" || service.ErrorCode == "RequestTimeoutException";
                }
                case OperationCanceledException _:
                    return !callerToken.IsCancellationRequested; // an HTTP timeout, not Ctrl+C
            }
            for (var inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socket)
                    return socket.SocketErrorCode != SocketError.ConnectionRefused && socket.SocketErrorCode != SocketError.HostNotFound
                        && socket.SocketErrorCode != SocketError.HostUnreachable && socket.SocketErrorCode != SocketError.NetworkUnreachable
                        && socket.SocketErrorCode != SocketError.TryAgain;
                if (inner is IOException || inner is WebException) return true;
            }
            return e is System.Net.Http.HttpRequestException || (e is AmazonServiceException s && s.InnerException != null && MayHaveTakenEffect(s.InnerException, callerToken));
        }
    }

    /// <summary>An earlier attempt of a change worked, though its answer was lost.</summary>
    internal sealed class EarlierAttemptSucceededException : Exception
    {
        public EarlierAttemptSucceededException(string operation, object? found, AmazonServiceException? answer)
            : base($"An earlier attempt of {operation} worked but its answer was lost" + (answer == null ? "." : $"; the retry answered {answer.ErrorCode}."), answer)
        {
            Operation = operation;
            Found = found;
        }

        public string Operation { get; }

        /// <summary>What the caller's lookup found, if it ran before the retry.</summary>
        public object? Found { get; }
    }

    /// <summary>A change that cannot be repeated safely failed after it was sent: it may or may not have happened.</summary>
    internal sealed class LostAnswerException : AwsProtocolException
    {
        public LostAnswerException(string operation, string message)
            : base(ErrorIds.LostAnswer, message, AwsFailureKind.MayHaveHappened)
        {
            Operation = operation;
        }

        public string Operation { get; }
    }

    /// <summary>How services make a change whose answer may be lost without doing it twice.</summary>
    internal static class LostAnswers
    {
        private sealed class Guard
        {
            public Guard(string operation, Func<CancellationToken, Task<object?>> check, Guard? outer)
            {
                Operation = operation;
                Check = check;
                Outer = outer;
            }

            public string Operation { get; }
            public Func<CancellationToken, Task<object?>> Check { get; }
            public Guard? Outer { get; }
        }

        private static readonly AsyncLocal<Guard?> Current = new AsyncLocal<Guard?>();

        /// <summary>The caller's check for <paramref name="operation"/>, if the current flow set one.</summary>
        internal static Func<CancellationToken, Task<object?>>? GuardFor(string operation)
        {
            for (var g = Current.Value; g != null; g = g.Outer)
                if (g.Operation == operation) return g.Check;
            return null;
        }

        /// <summary>
        /// Runs <paramref name="create"/>; if Core must retry it after a failure that may have come after AWS made the
        /// thing, <paramref name="find"/> runs first and what it finds is the result (no second one is made). Also
        /// used for calls that must do something else before a retry (delete an access key whose secret was lost).
        /// </summary>
        public static async Task<T> CreateOnceAsync<T>(string operation, Func<CancellationToken, Task<T>> create, Func<CancellationToken, Task<T?>> find, CancellationToken ct)
            where T : class
        {
            var outer = Current.Value;
            Current.Value = new Guard(operation, async c => await find(c).ConfigureAwait(false), outer);
            try
            {
                return await create(ct).ConfigureAwait(false);
            }
            catch (EarlierAttemptSucceededException e) when (e.Operation == operation)
            {
                return e.Found as T ?? await find(ct).ConfigureAwait(false)
                    ?? throw new AwsProtocolException(ErrorIds.LostAnswer, $"{e.Message} Yet it cannot be found now: run the command again.", AwsFailureKind.NotFoundAfterLostAnswer);
            }
            finally
            {
                Current.Value = outer;
            }
        }

        /// <summary>Runs <paramref name="call"/> with <paramref name="beforeRetry"/> run before any retry that may repeat a change.</summary>
        public static async Task<T> BeforeRetryAsync<T>(string operation, Func<CancellationToken, Task> beforeRetry, Func<CancellationToken, Task<T>> call, CancellationToken ct)
        {
            var outer = Current.Value;
            Current.Value = new Guard(operation, async c => { await beforeRetry(c).ConfigureAwait(false); return null; }, outer);
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            finally
            {
                Current.Value = outer;
            }
        }

        /// <summary>Changes no lookup can find again: a retry after a failure that may have come after AWS acted would repeat them.</summary>
        internal static bool CannotBeRepeated(string operation)
            => operation == "SendEmail" || operation == "SendRawEmail" || operation == "ExecuteStatement" || operation == "BatchExecuteStatement";

        private static readonly string[] CreatePrefixes = { "Create", "Put", "Attach", "Authorize", "Associate", "Verify", "Run", "Allocate" };
        private static readonly string[] DeletePrefixes = { "Delete", "Detach", "Disassociate", "Revoke", "Terminate", "Release" };

        internal static bool IsDelete(string operation) => DeletePrefixes.Any(p => operation.StartsWith(p, StringComparison.Ordinal));

        /// <summary>Whether <paramref name="errorCode"/>, answering a retry of <paramref name="operation"/>, says the change is already done.</summary>
        internal static bool MeansDone(string operation, string? errorCode)
        {
            var code = errorCode ?? "";
            bool Has(string part) => code.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
            if (CreatePrefixes.Any(p => operation.StartsWith(p, StringComparison.Ordinal)))
                return Has("AlreadyExists") || Has("Duplicate") || Has("AlreadyAssociated") || Has("AlreadyOwnedByYou") || code == "InvalidSubnet.Conflict";
            if (IsDelete(operation))
                return Has("NotFound") || Has("NoSuch") || Has("DoesNotExist") || Has("NotAttached");
            return false;
        }
    }

    /// <summary>The name of the operation a pipeline is running (our generic requests, or an SDK request type).</summary>
    internal static class AwsOperation
    {
        public static string NameOf(IRequestContext request)
        {
            if (request.OriginalRequest is IAwsOperationRequest op) return op.Operation;
            var name = request.OriginalRequest?.GetType().Name ?? request.RequestName ?? "?";
            return name.EndsWith("Request", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Request".Length) : name;
        }
    }
}
