using System;

namespace OcdsAws
{
    /// <summary>
    /// A cmdlet with one deadline for the whole command (-Timeout): the template cancels its work when it passes and stops
    /// with OcdsAws.DeadlineExceeded (issue #16 item 9: many DNS questions to a dead server must not add up to minutes).
    /// </summary>
    internal interface IDeadlineCmdlet
    {
        /// <summary>How long the whole command may take.</summary>
        TimeSpan Timeout { get; }
    }
}
