using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace OcdsAws.Aws
{
    /// <summary>
    /// Operations AWS allows "no more than once per second". botocore's ses model (email-2010-12-01, the API
    /// reference text of each operation) says of these: "You can execute this operation no more than once per
    /// second." The list is every operation of that model whose documentation says so.
    /// </summary>
    internal static class OncePerSecond
    {
        /// <summary>
        /// A second plus 100 ms of margin: AWS counts arrivals, and timers and clocks on both sides are not exact (Task.Delay
        /// rounds down to whole milliseconds; AWS's own measure of "a second" is not documented). In a full test run on
        /// 2 cores one call spaced by exactly a second was still throttled by the test bed; the margin costs 0.1 s a call.
        /// </summary>
        public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1100);

        private static readonly HashSet<string> SesClassic = new HashSet<string>(StringComparer.Ordinal)
        {
            "CloneReceiptRuleSet", "CreateConfigurationSet", "CreateConfigurationSetEventDestination", "CreateCustomVerificationEmailTemplate",
            "CreateReceiptFilter", "CreateReceiptRule", "CreateReceiptRuleSet", "CreateTemplate", "DeleteConfigurationSet",
            "DeleteConfigurationSetEventDestination", "DeleteCustomVerificationEmailTemplate", "DeleteIdentity", "DeleteIdentityPolicy",
            "DeleteReceiptFilter", "DeleteReceiptRule", "DeleteReceiptRuleSet", "DeleteTemplate", "DescribeActiveReceiptRuleSet",
            "DescribeConfigurationSet", "DescribeReceiptRule", "DescribeReceiptRuleSet", "GetAccountSendingEnabled",
            "GetCustomVerificationEmailTemplate", "GetIdentityPolicies", "GetSendQuota", "GetSendStatistics", "GetTemplate",
            "ListConfigurationSets", "ListCustomVerificationEmailTemplates", "ListIdentities", "ListIdentityPolicies", "ListReceiptFilters",
            "ListReceiptRuleSets", "ListTemplates", "PutIdentityPolicy", "ReorderReceiptRuleSet", "SendBounce", "SendCustomVerificationEmail",
            "SetActiveReceiptRuleSet", "SetIdentityDkimEnabled", "SetIdentityFeedbackForwardingEnabled", "SetIdentityHeadersInNotificationsEnabled",
            "SetIdentityMailFromDomain", "SetIdentityNotificationTopic", "SetReceiptRulePosition", "TestRenderTemplate",
            "UpdateAccountSendingEnabled", "UpdateConfigurationSetEventDestination", "UpdateConfigurationSetReputationMetricsEnabled",
            "UpdateConfigurationSetSendingEnabled", "UpdateCustomVerificationEmailTemplate", "UpdateReceiptRule", "UpdateTemplate",
            "VerifyDomainDkim", "VerifyDomainIdentity", "VerifyEmailIdentity",
        };

        /// <summary>True when <paramref name="operation"/> of <paramref name="service"/> may run at most once per second.</summary>
        public static bool Applies(AwsService service, string operation) => service == AwsService.Ses && SesClassic.Contains(operation);
    }

    /// <summary>
    /// Keeps calls of one operation (per service and region) at least <see cref="OncePerSecond.Interval"/> apart, for the
    /// whole process: every session and runspace shares <see cref="Shared"/>, so two scripts in one process do not make
    /// AWS throttle each other. The interval runs from the END of the previous call: AWS counts the arrival of requests,
    /// and the previous request has surely arrived once its answer is back. Thread-safe (one gate per operation: calls
    /// of the same operation take turns); the wait is cancellable (Ctrl+C).
    /// </summary>
    internal sealed class OperationSpacing
    {
        private sealed class Slot
        {
            public readonly SemaphoreSlim Gate = new SemaphoreSlim(1, 1);
            public DateTimeOffset? LastDone;
        }

        private readonly ConcurrentDictionary<string, Slot> _slots = new ConcurrentDictionary<string, Slot>(StringComparer.Ordinal);
        private readonly TimeSpan _interval;

        public OperationSpacing(IClock clock, TimeSpan interval)
        {
            Clock = clock;
            _interval = interval;
        }

        /// <summary>The process-wide spacing on the real clock.</summary>
        public static OperationSpacing Shared { get; } = new OperationSpacing(SystemClock.Instance, OncePerSecond.Interval);

        public IClock Clock { get; }

        /// <summary>Runs <paramref name="call"/> once the previous call under <paramref name="key"/> ended at least the interval ago.</summary>
        public async Task<T> RunAsync<T>(string key, Func<Task<T>> call, CancellationToken ct)
        {
            var slot = _slots.GetOrAdd(key, _ => new Slot());
            await slot.Gate.WaitAsync(ct).ConfigureAwait(false);
            var called = false;
            try
            {
                if (slot.LastDone is DateTimeOffset last)
                {
                    var wait = last + _interval - Clock.UtcNow;
                    if (wait > TimeSpan.Zero) await Clock.DelayAsync(wait, ct).ConfigureAwait(false);
                }
                called = true;
                return await call().ConfigureAwait(false);
            }
            finally
            {
                if (called) slot.LastDone = Clock.UtcNow;
                slot.Gate.Release();
            }
        }
    }

    /// <summary>
    /// Pipeline handler for <see cref="OncePerSecond"/> operations, inside Core's retry loop (after the lost-answer
    /// handler, so a lookup it runs never waits behind this gate): every attempt, retries included, is spaced.
    /// </summary>
    internal sealed class OperationSpacingHandler : PipelineHandler
    {
        private readonly AwsService _service;
        private readonly string _region;

        public OperationSpacingHandler(AwsService service, string region)
        {
            _service = service;
            _region = region;
        }

        public override void InvokeSync(IExecutionContext executionContext)
            => InvokeAsync<AmazonWebServiceResponse>(executionContext).GetAwaiter().GetResult();

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            var operation = AwsOperation.NameOf(executionContext.RequestContext);
            if (!OncePerSecond.Applies(_service, operation)) return base.InvokeAsync<T>(executionContext);
            return OperationSpacing.Shared.RunAsync($"{_service.ServiceId}|{_region}|{operation}", () => base.InvokeAsync<T>(executionContext),
                executionContext.RequestContext.CancellationToken);
        }
    }
}
