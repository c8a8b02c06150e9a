using System.Collections.Generic;

namespace OcdsAws.Tests.Aws
{
    public static partial class WireCases
    {
        /// <summary>The operations of this runbook area (none yet).</summary>
        private static readonly IReadOnlyList<WireCase> ReceiptCapture = new List<WireCase>();
    }
}
