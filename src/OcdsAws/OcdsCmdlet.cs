using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;

namespace OcdsAws
{
    /// <summary>
    /// Base of every OcdsAws cmdlet: the message pump that writes service messages on the pipeline
    /// thread, error helpers, ShouldProcess with -Force, and a cancellation token that Ctrl+C
    /// (StopProcessing) cancels.
    /// </summary>
    public abstract class OcdsCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>Writes service messages on the pipeline thread and scrubs secrets out of them.</summary>
        internal PipelineMessagePump Messages { get; }

        /// <summary>Sets up the message pump.</summary>
        protected OcdsCmdlet() => Messages = new PipelineMessagePump(() => VerboseAsDebug);

        /// <summary>Cancelled by Ctrl+C.</summary>
        protected CancellationToken CancellationToken => _stopping.Token;

        /// <summary>
        /// True for -Debug without -Verbose. PowerShell then sets a compiled cmdlet's Verbose preference to
        /// Inquire: every Verbose line would prompt, and fail in a non-interactive job (CI). The user asked for
        /// the detail, so the Verbose lines go to the Debug stream instead, which -Debug sets to Continue.
        /// </summary>
        internal bool VerboseAsDebug
            => MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && LanguagePrimitives.IsTrue(debug)
                && !MyInvocation.BoundParameters.ContainsKey("Verbose");

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            Messages.Stop();
            _stopping.Cancel();
        }

        /// <summary>Runs service work, writing its messages as they come; Ctrl+C cancels it.</summary>
        internal T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            try
            {
                return Messages.Run(this, work, CancellationToken);
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
            _stopping.Dispose();
        }

        /// <summary>Derived cmdlets release their resources here.</summary>
        protected virtual void Dispose(bool disposing)
        {
        }
    }
}
