using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Dns
{
    /// <summary>Export-DnsRecord -Path as a user sees it: a new file, -Force to overwrite, never a FIFO or device.</summary>
    public sealed class ExportDnsRecordCmdletTests : IDisposable
    {
        private const string Record = "$record = @{ Zone = 'example.org'; Name = 'www.example.org'; HostLabel = 'www'; Type = 'A'; Value = '192.0.2.1'; Ttl = 60 }; ";

        private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ocdsaws-export-" + Guid.NewGuid().ToString("N"))).FullName;

        [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
        private static extern int Mkfifo(string path, uint mode);

        private static Dictionary<string, object?> Vars(string file) => new() { ["file"] = file };

        [Fact]
        public void A_new_file_is_written_an_existing_one_is_kept_without_Force_and_replaced_with_it()
        {
            var file = Path.Combine(_dir, "example.org.zone");

            var first = PowerShellHost.Run(Record + "$record | Export-DnsRecord -Path $file", Vars(file));
            Assert.Empty(first.Errors);
            Assert.Empty(first.Output);
            Assert.Equal("www.example.org. 60 IN A 192.0.2.1\n", File.ReadAllText(file));

            // As Out-File -NoClobber: the file stays as it was and the error says what to do.
            File.WriteAllText(file, "; the user's own notes\n");
            var again = PowerShellHost.Run(Record + "$record | Export-DnsRecord -Path $file -Format Csv", Vars(file));
            var error = Assert.Single(again.Errors);
            Assert.StartsWith("OcdsAws.FileExists,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Contains("-Force", error.Exception.Message);
            Assert.Equal("; the user's own notes\n", File.ReadAllText(file));

            var forced = PowerShellHost.Run(Record + "$record | Export-DnsRecord -Path $file -Format Csv -Force", Vars(file));
            Assert.Empty(forced.Errors);
            Assert.StartsWith("Type,Host,Value", File.ReadAllText(file));
        }

        [Fact]
        public void WhatIf_writes_no_file_and_refuses_nothing_it_would_not_refuse()
        {
            var file = Path.Combine(_dir, "whatif.zone");
            var r = PowerShellHost.Run(Record + "$record | Export-DnsRecord -Path $file -WhatIf", Vars(file));
            Assert.Empty(r.Errors);
            Assert.False(File.Exists(file));
        }

        [Fact]
        public async Task A_fifo_is_refused_at_once_with_or_without_Force_and_through_a_symbolic_link()
        {
            if (OperatingSystem.IsWindows()) return;
            var fifo = Path.Combine(_dir, "fifo");
            Assert.Equal(0, Mkfifo(fifo, 0x1B6));
            var link = Path.Combine(_dir, "link-to-fifo");
            File.CreateSymbolicLink(link, fifo);

            foreach (var script in new[] { "$record | Export-DnsRecord -Path $file -Force", "$record | Export-DnsRecord -Path $file" })
            {
                foreach (var path in new[] { fifo, link })
                {
                    // Opening a FIFO no one reads blocks for ever: the run must end on its own, well within the wait.
                    var run = Task.Run(() => PowerShellHost.Run(Record + script, Vars(path)));
                    Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run, $"{script} on {path} hung");
                    var error = Assert.Single((await run).Errors);
                    Assert.StartsWith("OcdsAws.NotARegularFile,", error.FullyQualifiedErrorId);
                    Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                    Assert.Contains("named pipe", error.Exception.Message);
                }
            }
        }

        [Fact]
        public void A_symbolic_link_to_a_regular_file_is_written_through_with_Force()
        {
            if (OperatingSystem.IsWindows()) return;
            var target = Path.Combine(_dir, "real.zone");
            File.WriteAllText(target, "old\n");
            var link = Path.Combine(_dir, "link.zone");
            File.CreateSymbolicLink(link, target);

            var r = PowerShellHost.Run(Record + "$record | Export-DnsRecord -Path $file -Force", Vars(link));

            Assert.Empty(r.Errors);
            Assert.Equal("www.example.org. 60 IN A 192.0.2.1\n", File.ReadAllText(target));
            Assert.NotNull(new FileInfo(link).LinkTarget);
        }

        [Fact]
        public void A_bad_record_among_good_ones_writes_nothing_at_all()
        {
            var file = Path.Combine(_dir, "partial.zone");
            var r = PowerShellHost.Run(Record + "@($record, @{ Name = \"evil.example.org`n@ 60 IN NS ns.evil.example\"; Type = 'A'; Value = '192.0.2.2' }) | Export-DnsRecord -Path $file; Export-DnsRecord -InputObject $record, @{ Name = 'x.example.org'; Type = 'A'; Value = '192.0.2.3'; Ttl = -5 }", Vars(file));

            Assert.Equal(2, r.Errors.Count);
            Assert.All(r.Errors, e => Assert.StartsWith("OcdsAws.InvalidDnsRecord,", e.FullyQualifiedErrorId));
            Assert.Contains(r.Errors, e => e.Exception.Message.Contains("evil.example.org\\n@ 60 IN NS", StringComparison.Ordinal));
            Assert.Empty(r.Output);
            Assert.False(File.Exists(file));
        }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }
    }
}
