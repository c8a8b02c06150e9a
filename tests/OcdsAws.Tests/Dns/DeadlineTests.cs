using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Dns
{
    /// <summary>
    /// Issue #16 item 9: DNS questions to a server that never answers must not add up without limit. The DNS cmdlets have
    /// one deadline for the whole command (-Timeout); when it passes they stop with OcdsAws.DeadlineExceeded.
    /// </summary>
    public sealed class DeadlineTests
    {
        private static Dictionary<string, object?> Vars(HostileDnsServer dns) => new Dictionary<string, object?> { ["dnsServer"] = dns.Address };

        private static ErrorRecord OnlyError(PsResult r)
            => Assert.Single(r.Errors.Concat(r.Terminating is IContainsErrorRecord t ? new[] { t.ErrorRecord } : new ErrorRecord[0]));

        [Fact]
        public void Twenty_records_against_a_silent_server_stop_at_the_commands_deadline()
        {
            using var dns = new HostileDnsServer(_ => Enumerable.Empty<byte[]>());   // never answers
            var clock = Stopwatch.StartNew();
            var r = PowerShellHost.Run(
                "1..20 | ForEach-Object { [OcdsAws.Dns.DnsRecord]@{ Name = \"r$_.example.org\"; Type = 'TXT'; Value = 'x' } } | Test-DnsRecord -DnsServer $dnsServer -Timeout 00:00:02",
                Vars(dns));
            var error = OnlyError(r);
            Assert.StartsWith("OcdsAws.DeadlineExceeded,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
            Assert.Contains("did not finish within -Timeout 00:00:02", error.ToString());
            // 20 records x 2 tries x 1.5 s would be a minute: the deadline ended it long before (the bound is loose: no hang).
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        }

        [Fact]
        public void The_deadline_covers_every_piped_domain_together()
        {
            using var dns = new HostileDnsServer(_ => Enumerable.Empty<byte[]>());
            var r = PowerShellHost.Run(
                "'a.example.org', 'b.example.org', 'c.example.org', 'd.example.org' | Get-DmarcRecord -DnsServer $dnsServer -Timeout 00:00:02",
                Vars(dns));
            var error = OnlyError(r);
            Assert.StartsWith("OcdsAws.DeadlineExceeded,", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void A_deadline_that_is_not_positive_is_refused_before_any_question()
        {
            using var dns = new HostileDnsServer(_ => Enumerable.Empty<byte[]>());
            var r = PowerShellHost.Run("Get-DmarcRecord example.org -DnsServer $dnsServer -Timeout 0", Vars(dns));
            Assert.StartsWith("OcdsAws.InvalidTimeout,", OnlyError(r).FullyQualifiedErrorId);
            Assert.Empty(dns.Queries);
        }
    }
}
