using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace OcdsAws.Aws
{
    /// <summary>Implemented by requests of the generic protocol layer so the call log can name the operation.</summary>
    internal interface IAwsOperationRequest
    {
        string Operation { get; }
    }

    /// <summary>One finished AWS call, after all of Core's retries.</summary>
    internal sealed class AwsCallRecord
    {
        public AwsCallRecord(string service, string operation, int? httpStatus, int attempts, long milliseconds, string? requestId, string? errorCode)
        {
            Service = service;
            Operation = operation;
            HttpStatus = httpStatus;
            Attempts = attempts;
            Milliseconds = milliseconds;
            RequestId = requestId;
            ErrorCode = errorCode;
        }

        public string Service { get; }
        public string Operation { get; }
        public int? HttpStatus { get; }
        public int Attempts { get; }
        public long Milliseconds { get; }
        public string? RequestId { get; }
        public string? ErrorCode { get; }

        /// <summary>The one-line Verbose form. Tests count calls by the "AWS call:" prefix.</summary>
        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "AWS call: {0} {1} -> HTTP {2}, {3} attempt{4}, {5} ms, request id {6}{7}",
            Service, Operation, HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "none", Attempts, Attempts == 1 ? "" : "s",
            Milliseconds, RequestId ?? "none", ErrorCode == null ? "" : ", error " + ErrorCode);
    }

    /// <summary>
    /// Outermost pipeline handler: it sees each call once, after the retry handler has finished, so it
    /// can report attempts, time, status and request id. Added to our protocol clients and to the
    /// subclassed SDK clients alike.
    /// </summary>
    internal sealed class CallLogHandler : PipelineHandler
    {
        /// <summary>The key under which a failed call's exception carries its number of attempts.</summary>
        public const string AttemptsKey = "OcdsAws.Attempts";

        /// <summary>The key under which a failed call's exception carries the endpoint host (and port) it was sent to.</summary>
        public const string HostKey = "OcdsAws.Host";

        /// <summary>The key under which a failed call's exception carries the region the call was made in.</summary>
        public const string RegionKey = "OcdsAws.Region";

        /// <summary>Set after construction: pipelines are built inside the base client constructor.</summary>
        public Action<AwsCallRecord>? Observer { get; set; }

        public override void InvokeSync(IExecutionContext executionContext)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                base.InvokeSync(executionContext);
                Report(executionContext, clock, null);
            }
            catch (Exception e)
            {
                Report(executionContext, clock, e);
                throw;
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var result = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
                Report(executionContext, clock, null);
                return result;
            }
            catch (Exception e)
            {
                Report(executionContext, clock, e);
                throw;
            }
        }

        private void Report(IExecutionContext context, Stopwatch clock, Exception? error)
        {
            var observer = Observer;
            if (observer == null) return;
            var request = context.RequestContext;
            var operation = AwsOperation.NameOf(request);
            var service = request.ServiceMetaData?.ServiceId ?? request.ClientConfig.ServiceId ?? "?";
            var serviceError = error as AmazonServiceException;
            int? status = serviceError != null ? (int)serviceError.StatusCode
                : error == null && context.ResponseContext?.HttpResponse != null ? (int)context.ResponseContext.HttpResponse.StatusCode
                : (int?)null;
            var requestId = serviceError?.RequestId ?? context.ResponseContext?.Response?.ResponseMetadata?.RequestId;
            var code = serviceError?.ErrorCode ?? (error == null ? null : error.GetType().Name);
            // The error record says how hard Core tried (AwsErrors.ToErrorRecord).
            if (error != null)
            {
                error.Data[AttemptsKey] = request.Retries + 1;
                // Where it went, for "could not reach <host>" and "not found in <region>": the host only, never a query or user info.
                var endpoint = request.Request?.Endpoint;
                if (endpoint != null) error.Data[HostKey] = endpoint.IsDefaultPort ? endpoint.Host : endpoint.Host + ":" + endpoint.Port;
                var region = request.ClientConfig.AuthenticationRegion ?? request.ClientConfig.RegionEndpoint?.SystemName;
                if (!string.IsNullOrEmpty(region)) error.Data[RegionKey] = region;
            }
            observer(new AwsCallRecord(service, operation, status, request.Retries + 1, clock.ElapsedMilliseconds,
                string.IsNullOrEmpty(requestId) ? null : requestId, code));
        }
    }
}
