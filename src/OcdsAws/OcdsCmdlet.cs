using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;
using OcdsAws.Dns;

namespace OcdsAws
{
    /// <summary>
    /// Base of every OcdsAws cmdlet, and its template (after PowerShell's web cmdlets):
    /// <list type="number">
    /// <item>BeginProcessing (sealed) prepares the session on the pipeline thread: the AWS session for
    /// <see cref="OcdsAwsCmdlet"/>, the DNS resolver of -DnsServer for an <see cref="IDnsCmdlet"/>;</item>
    /// <item>then <see cref="ValidateParameters"/> checks what applies to the whole call: a
    /// <see cref="ValidationException"/> there stops the cmdlet before any call;</item>
    /// <item>ProcessRecord (sealed) prepares the item (OcdsAwsCmdlet: the piped object's region) and calls
    /// <see cref="ProcessItem"/>, where <see cref="TryRead{T}"/> turns one item's bad input into a
    /// non-terminating error and <see cref="ForItem"/> one item's failure;</item>
    /// <item>Ctrl+C (StopProcessing) cancels <see cref="CancellationToken"/>, which every service call takes.</item>
    /// </list>
    /// Services never see the cmdlet: their messages go through <see cref="Messages"/>, written on the
    /// pipeline thread.
    /// </summary>
    public abstract class OcdsCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private CancellationTokenSource? _deadline;
        private TimeSpan _deadlineLength;
        private DnsResolver? _dns;

        /// <summary>Writes service messages on the pipeline thread and scrubs secrets out of them.</summary>
        internal PipelineMessagePump Messages { get; }

        /// <summary>Sets up the message pump.</summary>
        protected OcdsCmdlet() => Messages = new PipelineMessagePump(() => VerboseAsDebug);

        /// <summary>Cancelled by Ctrl+C.</summary>
        protected CancellationToken CancellationToken => _deadline?.Token ?? _stopping.Token;

        /// <summary>
        /// True for -Debug without -Verbose. PowerShell then sets a compiled cmdlet's Verbose preference to
        /// Inquire: every Verbose line would prompt, and fail in a non-interactive job (CI). The user asked for
        /// the detail, so the Verbose lines go to the Debug stream instead, which -Debug sets to Continue.
        /// </summary>
        internal bool VerboseAsDebug
            => MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && LanguagePrimitives.IsTrue(debug)
                && !MyInvocation.BoundParameters.ContainsKey("Verbose");

        /// <summary>The resolver of -DnsServer (the system's resolvers without it), for an <see cref="IDnsCmdlet"/>.</summary>
        internal DnsResolver Dns => _dns ?? throw new InvalidOperationException(GetType().Name + " does not implement IDnsCmdlet.");

        /// <summary>Prepares the session, then checks the whole call's parameters; both stop the cmdlet on a problem.</summary>
        protected sealed override void BeginProcessing()
        {
            PrepareSession();
            if (this is IDnsCmdlet dns) _dns = ResolverFor(dns.DnsServer);
            if (this is IDeadlineCmdlet limited) StartDeadline(limited.Timeout);
            try
            {
                ValidateParameters();
            }
            catch (ValidationException e)
            {
                Fail(e);
            }
        }

        /// <summary>Prepares the item, then processes it.</summary>
        protected sealed override void ProcessRecord()
        {
            if (PrepareItem()) ProcessItem();
        }

        /// <summary>Resolves what every call of the cmdlet uses; here, on the pipeline thread, it may write and fail.</summary>
        private protected virtual void PrepareSession()
        {
        }

        /// <summary>
        /// Checks the parameters that apply to the whole call (not to one pipeline item) and keeps what they
        /// yield. Throw a <see cref="ValidationException"/>: it stops the cmdlet before any call.
        /// </summary>
        protected virtual void ValidateParameters()
        {
        }

        /// <summary>Prepares one pipeline item; false: it was reported as an error and is skipped.</summary>
        private protected virtual bool PrepareItem() => true;

        /// <summary>Processes one pipeline item (or the one call without pipeline input).</summary>
        protected virtual void ProcessItem()
        {
        }

        /// <summary>
        /// Reads one item's input with <paramref name="read"/> (a check of the Input classes): a bad value becomes a
        /// non-terminating error for <paramref name="target"/>, false is returned and no call follows.
        /// </summary>
        internal bool TryRead<T>(Func<T> read, object? target, out T value)
        {
            try
            {
                value = read();
                return true;
            }
            catch (ValidationException e)
            {
                WriteFailure(e, target);
                value = default!;
                return false;
            }
        }

        private DnsResolver ResolverFor(string? server)
        {
            try
            {
                return server == null ? new DnsResolver(null) : new DnsResolver(new[] { DnsServerAddress.Parse(server) });
            }
            catch (ValidationException e)
            {
                Fail(e, server);
                throw; // not reached: Fail throws
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            Messages.Stop();
            _stopping.Cancel();
        }

        /// <summary>The whole command's deadline (-Timeout of an <see cref="IDeadlineCmdlet"/>): it starts here, before any item.</summary>
        private void StartDeadline(TimeSpan length)
        {
            try
            {
                InputRules.Positive(length, "-Timeout");
            }
            catch (ValidationException e)
            {
                Fail(e);
            }
            _deadlineLength = length;
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            _deadline.CancelAfter(length);
        }

        /// <summary>Runs service work, writing its messages as they come; Ctrl+C cancels it, and so does the command's deadline.</summary>
        internal T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            try
            {
                return Messages.Run(this, work, CancellationToken);
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested && !_stopping.IsCancellationRequested)
            {
                // The deadline, not Ctrl+C: the whole command stops with an error that says what to do.
                Messages.CompleteOpenActivities(this);
                Fail(new OcdsAwsException(ErrorIds.DeadlineExceeded,
                    $"{MyInvocation.MyCommand.Name} did not finish within -Timeout {_deadlineLength}: the DNS servers asked did not answer in time. "
                    + "Check -DnsServer (or the network), or give a longer -Timeout.", ErrorCategory.OperationTimeout));
                throw; // not reached: Fail throws
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                Messages.CompleteOpenActivities(this);
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// ShouldProcess with AWS.Tools' -Force: -Force skips the confirmation prompt of a high-impact
        /// change but never bypasses -WhatIf.
        /// </summary>
        internal bool ShouldChange(string target, string action, bool force)
        {
            var whatIf = (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent)
                || LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
            return force && !whatIf ? true : ShouldProcess(target, action);
        }

        /// <summary>Runs one pipeline item: its failure becomes a non-terminating error and the pipeline goes on.</summary>
        internal void ForItem(object? target, Action action)
        {
            try
            {
                action();
            }
            catch (Exception e) when (!(e is AwsSessionException) && !(e is RuntimeException))
            {
                // RuntimeExceptions are PowerShell's own (Ctrl+C, ThrowTerminatingError): they must pass.
                WriteFailure(e, target);
            }
        }

        /// <summary>Stops the cmdlet with an ErrorRecord for <paramref name="exception"/>.</summary>
        internal void Fail(Exception exception, object? target = null)
        {
            Messages.Drain(this);
            ThrowTerminatingError(ToErrorRecord(exception, target));
        }

        /// <summary>Writes a non-terminating ErrorRecord (one failed pipeline item).</summary>
        internal void WriteFailure(Exception exception, object? target = null)
        {
            Messages.Drain(this);
            WriteError(ToErrorRecord(exception, target));
        }

        private ErrorRecord ToErrorRecord(Exception exception, object? target)
            => AddContext(AwsErrors.ToErrorRecord(exception, target, Messages.Scrub, ChangesAws), exception);

        /// <summary>Derived cmdlets add what only they know to an error (the region a lookup went to).</summary>
        internal virtual ErrorRecord AddContext(ErrorRecord record, Exception exception) => record;

        /// <summary>
        /// True for a cmdlet that changes AWS (it supports ShouldProcess): after a passing fault its re-run finds what the
        /// first run did. A read-only cmdlet's advice is only to try again.
        /// </summary>
        private bool ChangesAws
            => GetType().GetCustomAttributes(typeof(CmdletAttribute), true) is object[] attributes && attributes.Length > 0
                && ((CmdletAttribute)attributes[0]).SupportsShouldProcess;

        /// <summary>Disposes what the cmdlet holds.</summary>
        public void Dispose()
        {
            Dispose(true);
            _deadline?.Dispose();
            _stopping.Dispose();
        }

        /// <summary>Derived cmdlets release their resources here.</summary>
        protected virtual void Dispose(bool disposing)
        {
        }
    }
}
