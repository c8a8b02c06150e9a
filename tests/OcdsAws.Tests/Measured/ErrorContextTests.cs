using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OcdsAws.Tests.Dns;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Measured
{
    /// <summary>
    /// #15 item 10 ("errors without context") and #16 items 1 and 10 as users meet them: what an error names (region,
    /// host, profile), what it advises, what it never shows (a helper's stderr), and files that would hang a reader.
    /// </summary>
    public sealed class ErrorContextTests
    {
        /// <summary>Runs a script that must come back: a FIFO or a self-referencing object used to hang for good.</summary>
        private static PsResult RunWithin(TimeSpan limit, string script, System.Collections.Generic.IDictionary<string, object?> vars)
        {
            var task = Task.Run(() => PowerShellHost.Run(script, vars));
            Assert.True(task.Wait(limit), $"'{script}' did not come back within {limit.TotalSeconds} s");
            return task.Result;
        }

        private static string Message(ErrorRecord e) => e.ErrorDetails?.Message ?? e.Exception.Message;

        [Fact]
        public void A_missing_identity_names_the_region_it_was_looked_for_in()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org");
            var domain = TestBed.Unique("nowhere") + ".example.org";
            var r = PowerShellHost.Run("Get-SesDomainVerification $domain @aws -DnsServer $dnsServer", ScriptVariables.For("eu-west-2", dns, ("domain", domain)));
            var error = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("looked in region eu-west-2; if it was made in another region, pass that -Region", Message(error));
        }

        [Fact]
        public void A_missing_identity_says_which_other_region_of_the_session_holds_it()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org");
            var domain = TestBed.Unique("elsewhere") + ".example.org";
            var vars = ScriptVariables.For("eu-west-1", dns, ("domain", domain));
            Assert.Empty(PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", vars).Errors);

            // $StoredAWSRegion says eu-west-1, the command asks eu-west-2: the one cheap look is eu-west-1.
            var r = PowerShellHost.Run("$StoredAWSRegion = 'eu-west-1'; Get-SesDomainVerification $domain @aws -Region eu-west-2 -DnsServer $dnsServer -Verbose", vars);
            var error = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.StartsWith("Aws.NotFoundException,", error.FullyQualifiedErrorId);
            Assert.Contains("looked in region eu-west-2; it exists in: eu-west-1: pass -Region eu-west-1", Message(error));
            Assert.Equal(2, r.Verbose.Count(v => v.Contains("GetEmailIdentity", StringComparison.Ordinal)));
        }

        [Fact]
        public void An_unreachable_endpoint_is_named_and_read_only_cmdlets_do_not_promise_to_finish_a_job()
        {
            // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
            var vars = ScriptVariables.For("eu-west-1", null, ("ak", TestBed.AccessKey), ("sk", TestBed.SecretKey));
            var read = PowerShellHost.Run("Get-SesAccount -AccessKey $ak -SecretKey $sk -Region eu-west-1 -EndpointUrl http://127.0.0.1:9", vars);
            var error = Assert.Single(read.Errors);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("Could not reach the AWS endpoint 127.0.0.1:9", Message(error));
            Assert.DoesNotContain("finds what was already done", Message(error));
            Assert.Contains("check the network and the endpoint, then run the command again", Message(error));

            var change = PowerShellHost.Run("Disable-SesAccountSuppression -Force -AccessKey $ak -SecretKey $sk -Region eu-west-1 -EndpointUrl http://127.0.0.1:9 -WarningAction SilentlyContinue", vars);
            var changeError = Assert.Single(change.Errors);
            Assert.Contains("127.0.0.1:9", Message(changeError));
            Assert.Contains("it finds what was already done and finishes the job", Message(changeError));
        }

        [Fact]
        public void A_credential_process_helper_stderr_is_never_echoed()
        {
            var dir = Directory.CreateTempSubdirectory("ocdsaws-cp-").FullName;
            var file = Path.Combine(dir, "credentials");
            File.WriteAllText(file, "[cp]\ncredential_process = sh -c \"echo SECRET-ON-STDERR-4f1c >&2; exit 3\"\n");
            var r = PowerShellHost.Run("Get-SesAccount -ProfileName cp -ProfileLocation $file -Region eu-west-1 -EndpointUrl http://127.0.0.1:9",
                ScriptVariables.For("eu-west-1", null, ("file", file)));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.CredentialProcessFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("exited with code 3", Message(error));
            Assert.Contains("run the helper yourself", Message(error));
            Assert.DoesNotContain("SECRET-ON-STDERR-4f1c", r.AllText());
        }

        [Fact]
        public void A_domain_that_does_not_exist_in_dns_is_warned_about_at_verification()
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org");
            var typo = TestBed.Unique("exmaple") + ".org";
            var r = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", ScriptVariables.For("eu-west-1", dns, ("domain", typo)));
            Assert.Empty(r.Errors);
            Assert.Contains(r.Warnings, w => w.StartsWith(typo + " does not exist in DNS", StringComparison.Ordinal) && w.Contains("check the spelling"));

            // A new name inside a zone that exists is normal (the DKIM records will make it): no such warning.
            var fresh = PowerShellHost.Run("New-SesDomainVerification $domain @aws -DnsServer $dnsServer", ScriptVariables.For("eu-west-1", dns, ("domain", TestBed.Unique("new") + ".example.org")));
            Assert.Empty(fresh.Errors);
            Assert.DoesNotContain(fresh.Warnings, w => w.Contains("does not exist in DNS"));
        }

        [Theory]
        [InlineData("Test-DmarcCompliance -DnsServer $dnsServer -Path $fifo", "OcdsAws.NotAMessage")]
        [InlineData("Get-DmarcRecord -DnsServer $dnsServer -Domain example.org -PublicSuffixListPath $fifo", "OcdsAws.NotAFile")]
        [InlineData("ConvertFrom-SesNotification -Path $fifo", "OcdsAws.NotAFile")]
        [InlineData("Get-OcdsAwsContext -ProfileName ci -ProfileLocation $fifo -Region eu-west-1", "OcdsAws.NotAFile")]
        public void A_fifo_is_refused_at_once_instead_of_blocking_for_good(string script, string id)
        {
            var fifo = SpecialFiles.Fifo();
            try
            {
                var r = RunWithin(TimeSpan.FromSeconds(20), script, ScriptVariables.For("eu-west-1", null, ("fifo", fifo)));
                var error = Assert.Single(r.Errors);
                Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                Assert.Contains("is a named pipe (FIFO), not a regular file", Message(error));
            }
            finally
            {
                File.Delete(fifo);
            }
        }

        [Fact]
        public void A_file_over_the_documented_cap_is_refused_before_it_is_read()
        {
            var dir = Directory.CreateTempSubdirectory("ocdsaws-cap-").FullName;
            var psl = Path.Combine(dir, "huge.dat");
            using (var f = File.Create(psl)) f.SetLength(17L * 1024 * 1024); // sparse: 17 MB of zeros, above the 16 MB cap
            var r = PowerShellHost.Run("Get-DmarcRecord -DnsServer $dnsServer -Domain example.org -PublicSuffixListPath $psl", ScriptVariables.For("eu-west-1", null, ("psl", psl)));
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.FileTooLarge,", error.FullyQualifiedErrorId);
            Assert.Contains("at most 16,777,216 bytes", Message(error));
        }

        [Theory]
        [InlineData("New-SesDomainVerification @aws -DnsServer $dnsServer -Domain ('a' * 10000 + '.org')")]
        [InlineData("Get-OcdsAwsContext @aws -Region ('x' * 10000)")]
        [InlineData("Send-SesTestEmail @aws -From data@example.org -To ('r' * 10000 + '@example.org')")]
        [InlineData("Test-DnsBlocklist -DnsServer $dnsServer -IPAddress ('1' * 10000)")]
        public void A_ten_thousand_character_input_is_quoted_cut(string script)
        {
            var r = PowerShellHost.Run(script, ScriptVariables.For("eu-west-1"));
            var error = Assert.Single(r.Errors);
            var message = Message(error);
            Assert.True(message.Length < 600, $"{message.Length} characters: {message.Substring(0, Math.Min(200, message.Length))}");
            Assert.Contains("characters", message);
        }
    }
}
