using System;
using System.Linq;
using OcdsAws.Tests.Dns;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ses
{
    /// <summary>#15 item 12: the SPF-alignment warning is given once per identity and PowerShell session, not on every Get.</summary>
    public sealed class SpfAlignmentWarningTests
    {
        [Fact]
        public void The_spf_alignment_warning_comes_once_per_identity_and_session()
        {
            var first = TestBed.Unique("once") + ".example";
            var second = TestBed.Unique("once") + ".example";
            using var dns = new LoopbackDnsServer().AddZone(first).AddZone(second);
            var vars = ScriptVariables.For("eu-west-1", dns, ("first", first), ("second", second));

            var r = PowerShellHost.Run(
                "New-SesDomainVerification $first @aws -DnsServer $dnsServer | Out-Null; " +
                "1..3 | ForEach-Object { Get-SesDomainVerification $first @aws -DnsServer $dnsServer | Out-Null }; " +
                "New-SesDomainVerification $second @aws -DnsServer $dnsServer | Get-SesDomainVerification @aws -DnsServer $dnsServer | Out-Null", vars);

            Assert.Empty(r.Errors);
            var alignment = r.Warnings.Where(w => w.Contains("does not align", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, alignment.Count);
            Assert.Single(alignment, w => w.Contains(first, StringComparison.Ordinal));
            Assert.Single(alignment, w => w.Contains(second, StringComparison.Ordinal));

            // Another session (a new runspace) is told again.
            var next = PowerShellHost.Run("Get-SesDomainVerification $first @aws -DnsServer $dnsServer | Out-Null", vars);
            Assert.Single(next.Warnings, w => w.Contains("does not align", StringComparison.Ordinal) && w.Contains(first, StringComparison.Ordinal));
        }
    }
}
