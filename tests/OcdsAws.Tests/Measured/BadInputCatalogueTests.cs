using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OcdsAws.Tests.Dns;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Measured
{
    /// <summary>
    /// Issue 8, "Bad input catalogue": one table of invalid inputs across every exported cmdlet. Each must give
    /// exactly one ErrorRecord with a fitting category and an id that names the problem, a message that says what
    /// is wrong, no AWS call and no DNS question. A null id means PowerShell's own parameter binding refuses the
    /// input (ValidateSet, types, parameter sets, mandatory values), before the cmdlet runs.
    /// </summary>
    public sealed class BadInputCatalogueTests
    {
        /// <summary>
        /// Bad inputs the module lets through to AWS (or otherwise does not refuse up front); kept out of the
        /// table on purpose so the table is never weakened. Each: cmdlet, input, what happens.
        /// </summary>
        /// <summary>Bad inputs that still reach AWS, as found by this catalogue (none open: each became a row below).</summary>
        public static readonly string[] KnownGaps = { };

        private static readonly string Files = CreateFiles();

        private static string CreateFiles()
        {
            var dir = Path.Combine(Path.GetTempPath(), "ocdsaws-badinput-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(dir, "folder"));
            File.WriteAllText(Path.Combine(dir, "notmail.eml"), "just some words\nand more words without any header\n");
            File.WriteAllText(Path.Combine(dir, "notpsl.dat"), "// only a comment, no rules\n\n// another comment\n");
            File.WriteAllText(Path.Combine(dir, "records.zone"), "; an earlier export\n");
            SpecialFiles.Fifo(Path.Combine(dir, "fifo"));
            File.WriteAllText(Path.Combine(dir, "credentials"), "[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci-secret\n");
            File.WriteAllText(Path.Combine(dir, "token-profile"), "[profile oidc]\nrole_arn = arn:aws:iam::123456789012:role/ci\nweb_identity_token_file = " + Path.Combine(dir, "fifo") + "\n");
            return dir;
        }

        /// <summary>The ids PowerShell's binder gives when it refuses a value before the cmdlet runs.</summary>
        private static readonly string[] BindingIds =
        {
            "ParameterArgumentValidationError", "ParameterBindingFailed", "AmbiguousParameterSet", "CannotConvertArgument",
            "ParameterArgumentTransformationError", "MissingMandatoryParameter", "NamedParameterNotFound", "PositionalParameterNotFound",
            "ParameterAlreadyBound", "MissingArgument", "MismatchedPSTypeName",
        };

        private static void Add(TheoryData<string, string?, ErrorCategory, string> data, string script, string? id, ErrorCategory category, string fragment)
            => data.Add(script, id, category, fragment);

        public static TheoryData<string, string?, ErrorCategory, string> Catalogue()
        {
            var d = new TheoryData<string, string?, ErrorCategory, string>();
            const ErrorCategory Arg = ErrorCategory.InvalidArgument;
            const ErrorCategory Data = ErrorCategory.InvalidData;
            const ErrorCategory NotFound = ErrorCategory.ObjectNotFound;

            // ---- Get-OcdsAwsContext and the common parameters (region, endpoint, credentials) ----
            Add(d, "Get-OcdsAwsContext @aws -Region 'eu-west'", "OcdsAws.InvalidRegion", Arg, "is not an AWS region name");
            Add(d, "Get-OcdsAwsContext @aws -Region 'EU-WEST-1'", "OcdsAws.InvalidRegion", Arg, "is not an AWS region name");
            Add(d, "Get-OcdsAwsContext @aws -Region 'Ireland'", "OcdsAws.InvalidRegion", Arg, "is not an AWS region name");
            Add(d, "Get-OcdsAwsContext @aws -EndpointUrl 'ftp://127.0.0.1:5350'", "OcdsAws.InvalidEndpointUrl", Arg, "is not an absolute http or https URL");
            Add(d, "Get-OcdsAwsContext @aws -EndpointUrl '127.0.0.1:5350'", "OcdsAws.InvalidEndpointUrl", Arg, "is not an absolute http or https URL");
            Add(d, "Get-OcdsAwsContext -AccessKey AKIAIOSFODNN7EXAMPLE -Region eu-west-1 -EndpointUrl http://127.0.0.1:9", "OcdsAws.IncompleteAccessKey", Arg, "must be given together");
            Add(d, "Get-OcdsAwsContext @aws -Credential 'not a credential object'", null, Arg, "PSTypeNames of the argument do not match");
            Add(d, "Get-SesAccount @aws -Region 'us east 1'", "OcdsAws.InvalidRegion", Arg, "is not an AWS region name");
            Add(d, "Enable-SesAccountSuppression @aws -Region 'eu-west-1a'", "OcdsAws.InvalidRegion", Arg, "is not an AWS region name");
            Add(d, "Disable-SesAccountSuppression @aws -Force -Region 'nowhere'", "OcdsAws.InvalidRegion", Arg, "is not an AWS region name");

            // ---- New-SesDomainVerification: names, IDNs gone wrong, tags, DNS servers ----
            const string NewDomain = "New-SesDomainVerification @aws -DnsServer $dnsServer -Domain ";
            Add(d, NewDomain + "'bad_domain.example'", "OcdsAws.InvalidDomainName", Arg, "an underscore");
            Add(d, NewDomain + "'example'", "OcdsAws.InvalidDomainName", Arg, "is a single label");
            Add(d, NewDomain + "'example..org'", "OcdsAws.InvalidDomainName", Arg, "has an empty label");
            Add(d, NewDomain + "'.example.org'", "OcdsAws.InvalidDomainName", Arg, "has an empty label");
            Add(d, NewDomain + "'-example.org'", "OcdsAws.InvalidDomainName", Arg, "starts with a hyphen");
            Add(d, NewDomain + "'example-.org'", "OcdsAws.InvalidDomainName", Arg, "ends with a hyphen");
            Add(d, NewDomain + "'192.168.1.1'", "OcdsAws.InvalidDomainName", Arg, "is an IP address, not a domain name");
            Add(d, NewDomain + "'data@example.org'", "OcdsAws.InvalidDomainName", Arg, "is an email address, not a domain");
            Add(d, NewDomain + "'exa mple.org'", "OcdsAws.InvalidDomainName", Arg, "a space");
            Add(d, NewDomain + "'exam!ple.org'", "OcdsAws.InvalidDomainName", Arg, "the character '!'");
            Add(d, NewDomain + "('a' * 64 + '.org')", "OcdsAws.InvalidDomainName", Arg, "a label can have at most 63");
            Add(d, NewDomain + "((('abcdefghij' * 6) + '.') * 5 + 'org')", "OcdsAws.InvalidDomainName", Arg, "a domain name can have at most 253");
            Add(d, NewDomain + "\"b$([char]0xFC)_cher.example\"", "OcdsAws.InvalidDomainName", Arg, "not a valid internationalised domain label");
            Add(d, NewDomain + "\"$([char]0xFC)-.example\"", "OcdsAws.InvalidDomainName", Arg, "not a valid internationalised domain label");
            Add(d, NewDomain + "\"b$([char]0xFC)cher$([char]0x3002)$([char]0x3002)example\"", "OcdsAws.InvalidDomainName", Arg, "has an empty label");
            Add(d, NewDomain + "(([string][char]0xFC) * 60 + '.example')", "OcdsAws.InvalidDomainName", Arg, "not a valid internationalised domain label");
            Add(d, NewDomain + "''", null, Data, "empty string");
            Add(d, NewDomain + "example.org -DkimKeyLength 4096", null, Data, "4096");
            Add(d, NewDomain + "example.org -InboundMx Sometimes", null, Arg, "Sometimes");
            Add(d, NewDomain + "example.org -Tag @{ '' = 'x' }", "OcdsAws.InvalidTag", Arg, "use 1 to 128 letters");
            Add(d, NewDomain + "example.org -Tag @{ k = ('v' * 257) }", "OcdsAws.InvalidTag", Arg, "use up to 256 letters");
            // Issue #16 item 5: one tag rule for every cmdlet (aws: prefix, control characters, values that are not text).
            Add(d, NewDomain + "example.org -Tag @{ 'aws:owner' = 'x' }", "OcdsAws.InvalidTag", Arg, "not starting with aws:");
            Add(d, NewDomain + "example.org -Tag @{ k = \"a`r`nb\" }", "OcdsAws.InvalidTag", Arg, "of key 'k' is not valid");
            Add(d, NewDomain + "example.org -Tag @{ k = \"a`0b\" }", "OcdsAws.InvalidTag", Arg, "of key 'k' is not valid");
            Add(d, NewDomain + "example.org -Tag @{ k = @(1, 2) }", "OcdsAws.InvalidTag", Arg, "-Tag value of key 'k' is a Object[]");
            Add(d, NewDomain + "example.org -Tag @{ k = @{ a = 1 } }", "OcdsAws.InvalidTag", Arg, "-Tag value of key 'k' is a Hashtable");
            const string DomainWithDns = "New-SesDomainVerification @aws -Domain example.org -DnsServer ";
            Add(d, DomainWithDns + "'127.0.0.1:99999'", "OcdsAws.InvalidDnsServer", Arg, "is not a number from 1 to 65535");
            Add(d, DomainWithDns + "'127.0.0.1:0'", "OcdsAws.InvalidDnsServer", Arg, "is not a number from 1 to 65535");
            Add(d, DomainWithDns + "'[::1'", "OcdsAws.InvalidDnsServer", Arg, "has no closing ']'");
            Add(d, DomainWithDns + "'[::1]x'", "OcdsAws.InvalidDnsServer", Arg, "only ':port' may follow ']'");
            Add(d, DomainWithDns + "'[1.2.3.4]:53'", "OcdsAws.InvalidDnsServer", Arg, "is not an IPv6 address");
            Add(d, DomainWithDns + "'1.2.3'", "OcdsAws.InvalidDnsServer", Arg, "is not an IPv4 address");
            Add(d, DomainWithDns + "'::1:53:zz'", "OcdsAws.InvalidDnsServer", Arg, "is not an IPv6 address");
            Add(d, DomainWithDns + "''", "OcdsAws.InvalidDnsServer", Arg, "it is empty");
            Add(d, DomainWithDns + "':53'", "OcdsAws.InvalidDnsServer", Arg, "the host is missing");
            Add(d, DomainWithDns + "'dns_server.example'", "OcdsAws.InvalidDnsServer", Arg, "is neither an IP address nor a host name");

            // ---- Get- and Wait-SesDomainVerification, Test-DnsRecord, Export-DnsRecord, Set-SesMailFromDomain ----
            Add(d, "Get-SesDomainVerification @aws -DnsServer $dnsServer -Domain 'example'", "OcdsAws.InvalidDomainName", Arg, "is a single label");
            Add(d, "Get-SesDomainVerification @aws -DnsServer $dnsServer -Domain 'data@example.org'", "OcdsAws.InvalidDomainName", Arg, "is an email address");
            Add(d, "Get-SesDomainVerification @aws -DnsServer $dnsServer -Domain example.org -InboundMx Maybe", null, Arg, "Maybe");
            Add(d, "Get-SesDomainVerification @aws -DnsServer $dnsServer -Domain example.org -DmarcReportAddress 'reports at example.org'", "OcdsAws.InvalidEmailAddress", Arg, "-DmarcReportAddress 'reports at example.org' is not an email address");
            Add(d, NewDomain + "example.org -DmarcReportAddress 'dmarc@example.org', 'mailto:dmarc@example.org'", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "Wait-SesDomainVerification @aws -DnsServer $dnsServer -Domain example.org -Timeout 0", "OcdsAws.InvalidTimeout", Arg, "-Timeout must be positive");
            Add(d, "Wait-SesDomainVerification @aws -DnsServer $dnsServer -Domain example.org -Timeout '-00:05:00'", "OcdsAws.InvalidTimeout", Arg, "-Timeout must be positive");
            Add(d, "Wait-SesDomainVerification @aws -DnsServer $dnsServer -Domain example.org -Timeout 'soon'", null, Arg, "soon");
            Add(d, "Wait-SesDomainVerification @aws -DnsServer $dnsServer -Domain 'bad..example'", "OcdsAws.InvalidDomainName", Arg, "has an empty label");
            Add(d, "Wait-SesDomainVerification @aws -Domain example.org -DnsServer '10.0.0.1:dns'", "OcdsAws.InvalidDnsServer", Arg, "is not a number from 1 to 65535");
            Add(d, "Test-DnsRecord -DnsServer '[::1]:70000' -InputObject @{ Name = 'www.example.org'; Type = 'A'; Value = '192.0.2.1' }", "OcdsAws.InvalidDnsServer", Arg, "is not a number from 1 to 65535");
            Add(d, "Test-DnsRecord -DnsServer $dnsServer -InputObject 'www.example.org A 192.0.2.1'", null, Arg, "DnsRecord");
            Add(d, "Export-DnsRecord -InputObject @{ Name = 'www.example.org'; Type = 'A'; Value = '192.0.2.1' } -Format Xml", null, Arg, "Xml");
            Add(d, "Export-DnsRecord -InputObject 42", null, Arg, "DnsRecord");
            // #16 item 6: no zone-file line from an unchecked field.
            const string Export = "Export-DnsRecord -InputObject ";
            const string GoodRecord = "@{ Name = 'www.example.org'; Type = 'A'; Value = '192.0.2.1' }";
            Add(d, Export + "@{ Name = \"www.example.org`nexample.org. 60 IN TXT injected\"; Type = 'A'; Value = '192.0.2.1' }", "OcdsAws.InvalidDnsRecord", Arg, "which is not a DNS name");
            Add(d, Export + "@{ Name = 'www.example.org'; Type = 'CNAME'; Value = \"x.example.net`n@ 60 IN NS evil.example\" }", "OcdsAws.InvalidDnsRecord", Arg, "which is not a host name");
            Add(d, Export + "@{ Name = 'www.example.org'; Type = \"A`nexample.org. 60 IN A\"; Value = '192.0.2.1' }", "OcdsAws.InvalidDnsRecord", Arg, "which Export-DnsRecord does not write");
            Add(d, Export + "@{ Name = 'www.example.org'; Type = 'A'; Value = \"192.0.2.1`nwww.example.org. 60 IN A 203.0.113.9\" }", "OcdsAws.InvalidDnsRecord", Arg, "is not an IPv4 address");
            Add(d, Export + "@{ Name = ''; Type = 'TXT'; Value = 'x' }", "OcdsAws.InvalidDnsRecord", Arg, "has no Name");
            Add(d, Export + "@{ Name = 'example.org'; Type = ''; Value = 'x' }", "OcdsAws.InvalidDnsRecord", Arg, "has no Type");
            Add(d, Export + "@{ Name = 'example.org'; Type = 'TXT'; Value = '' } -Format Csv", "OcdsAws.InvalidDnsRecord", Arg, "has no Value");
            Add(d, Export + "@{ Name = 'example.org'; Type = 'TXT'; Value = 'x'; Ttl = -1 } -Format Json", "OcdsAws.InvalidDnsRecord", Arg, "a TTL is 0 to");
            Add(d, Export + "@{ Name = 'example.org'; Type = 'MX'; Value = 'mx.example.org'; Priority = -10 }", "OcdsAws.InvalidDnsRecord", Arg, "an MX priority is 0 to 65535");
            Add(d, Export + "@{ Name = 'example.org'; Type = 'SRV'; Value = '0 5 5060 sip.example.org' }", "OcdsAws.InvalidDnsRecord", Arg, "does not write");
            Add(d, Export + "@{ Zone = 'example.org'; Name = 'www.example.org'; HostLabel = \"www`r`nevil\"; Type = 'A'; Value = '192.0.2.1' } -Format Csv", "OcdsAws.InvalidDnsRecord", Arg, "HostLabel");
            // -Path: a new file, or with -Force an existing regular file; never a directory, FIFO or device (#15 item 12, #16 item 1).
            Add(d, Export + GoodRecord + " -Path (Join-Path $files 'records.zone')", "OcdsAws.FileExists", ErrorCategory.ResourceExists, "Add -Force to overwrite it");
            Add(d, Export + GoodRecord + " -Path (Join-Path $files 'folder') -Force", "OcdsAws.NotARegularFile", Arg, "is a directory, not a regular file");
            Add(d, Export + GoodRecord + " -Path (Join-Path $files 'fifo') -Force", "OcdsAws.NotARegularFile", Arg, "is a named pipe (FIFO), not a regular file");
            Add(d, Export + GoodRecord + " -Path (Join-Path $files 'fifo')", "OcdsAws.NotARegularFile", Arg, "is a named pipe (FIFO)");
            Add(d, Export + GoodRecord + " -Path /dev/zero -Force", "OcdsAws.NotARegularFile", Arg, "is a character device, not a regular file");
            Add(d, Export + GoodRecord + " -Path (Join-Path $files 'missing/records.zone')", "OcdsAws.DirectoryNotFound", NotFound, "does not exist");
            Add(d, Export + GoodRecord + " -Path 'variable:records'", "OcdsAws.InvalidPath", Arg, "not the file system");
            Add(d, "Set-SesMailFromDomain @aws -DnsServer $dnsServer -Domain example.org -MailFromDomain example.org", "OcdsAws.MailFromOutsideIdentity", Arg, "must be a subdomain of example.org");
            Add(d, "Set-SesMailFromDomain @aws -DnsServer $dnsServer -Domain example.org -MailFromDomain bounce.example.net", "OcdsAws.MailFromOutsideIdentity", Arg, "must be a subdomain of example.org");
            Add(d, "Set-SesMailFromDomain @aws -DnsServer $dnsServer -Domain example.org -MailFromDomain 'bounce_1.example.org'", "OcdsAws.InvalidDomainName", Arg, "an underscore");
            Add(d, "Set-SesMailFromDomain @aws -DnsServer $dnsServer -Domain 'example' -MailFromDomain bounce.example.org", "OcdsAws.InvalidDomainName", Arg, "is a single label");
            Add(d, "Set-SesMailFromDomain @aws -DnsServer $dnsServer -Domain example.org -MailFromDomain bounce.example.org -BehaviorOnMxFailure Bounce", null, Data, "Bounce");

            // ---- SES account ----
            const string Production = "Request-SesProductionAccess @aws -MailType Transactional ";
            Add(d, Production + "-WebsiteUrl 'example.org' -UseCaseDescription 'OCDS data notices'", "OcdsAws.InvalidWebsiteUrl", Arg, "is not an absolute http(s) URL");
            Add(d, Production + "-WebsiteUrl 'ftp://example.org' -UseCaseDescription 'OCDS data notices'", "OcdsAws.InvalidWebsiteUrl", Arg, "is not an absolute http(s) URL");
            Add(d, Production + "-WebsiteUrl 'https://example.org' -UseCaseDescription ' '", "OcdsAws.InvalidUseCaseDescription", Arg, "must be 1 to 5000 characters");
            Add(d, Production + "-WebsiteUrl 'https://example.org' -UseCaseDescription ('x' * 5001)", "OcdsAws.InvalidUseCaseDescription", Arg, "must be 1 to 5000 characters");
            Add(d, Production + "-WebsiteUrl 'https://example.org' -UseCaseDescription 'OCDS' -AdditionalContactEmailAddress a@example.org, b@example.org, c@example.org, d@example.org, e@example.org",
                "OcdsAws.TooManyContacts", Arg, "takes at most 4 addresses");
            Add(d, Production + "-WebsiteUrl 'https://example.org' -UseCaseDescription 'OCDS' -AdditionalContactEmailAddress 'not-an-address'", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, Production + "-WebsiteUrl 'https://example.org' -UseCaseDescription 'OCDS' -ContactLanguage FR", null, Data, "FR");
            Add(d, "Request-SesProductionAccess @aws -MailType Spam -WebsiteUrl 'https://example.org' -UseCaseDescription 'OCDS'", null, Data, "Spam");
            Add(d, "Enable-SesAccountSuppression @aws -Reason Spam", null, Data, "Spam");

            // ---- Email verification and receipt capture: addresses, buckets, links, timeouts ----
            const string NewEmail = "New-SesEmailVerification @aws -DnsServer $dnsServer ";
            Add(d, NewEmail + "-EmailAddress 'not an address'", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, NewEmail + "-EmailAddress 'data@@example.org'", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, NewEmail + "-EmailAddress 'data@example'", "OcdsAws.InvalidDomainName", Arg, "'example'");
            Add(d, NewEmail + "-EmailAddress ' data@example.org'", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, NewEmail + "-EmailAddress 'example.org'", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, NewEmail + "-EmailAddress 'data@-bad.example'", "OcdsAws.InvalidDomainName", Arg, "starts with a hyphen");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName Bad_Bucket", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName 192.168.1.1", "OcdsAws.InvalidBucketName", Arg, "not like an IP address");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName ab", "OcdsAws.InvalidBucketName", Arg, "3-63 lowercase letters");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName ('b' * 64)", "OcdsAws.InvalidBucketName", Arg, "3-63 lowercase letters");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName 'my..bucket'", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName 'xn--bucket'", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName 'capture-s3alias'", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName 'bucket-'", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            Add(d, NewEmail + "-EmailAddress data@example.org -Capture Sometimes", null, Arg, "Sometimes");
            Add(d, "Get-SesEmailVerification @aws -EmailAddress nobody", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "Get-SesEmailVerification @aws -EmailAddress 'data@exa_mple.org'", "OcdsAws.InvalidDomainName", Arg, "an underscore");
            Add(d, "Wait-SesEmailVerification @aws -EmailAddress data@example.org -Timeout 0", "OcdsAws.InvalidTimeout", Arg, "-Timeout must be positive");
            Add(d, "Wait-SesEmailVerification @aws -EmailAddress 'nobody'", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "New-SesReceiptCapture @aws -EmailAddress nobody", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "New-SesReceiptCapture @aws -EmailAddress data@example.org -BucketName UPPERCASE", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            Add(d, "Get-SesVerificationLink @aws -EmailAddress nobody -Wait", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "Get-SesVerificationLink @aws -EmailAddress data@example.org -BucketName 'a_b_c'", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            Add(d, "Get-SesVerificationLink @aws -EmailAddress data@example.org -Wait -Timeout 'later'", null, Arg, "later");
            Add(d, "Remove-SesReceiptCapture @aws -Force -EmailAddress nobody", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "Remove-SesReceiptCapture @aws -Force -EmailAddress data@example.org -BucketName 'sthree-bucket'", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            const string Confirm = "Confirm-SesEmailVerification @aws -Link ";
            Add(d, Confirm + "'http://email-verification.eu-west-1.amazonaws.com/?Context=1'", "OcdsAws.InvalidVerificationLink", Arg, "Only https links are followed");
            Add(d, Confirm + "'https://email-verification.eu-west-1.amazonaws.com.evil.example/?Context=1'", "OcdsAws.InvalidVerificationLink", Arg, "Only AWS's email-verification hosts");
            Add(d, Confirm + "'https://example.org/?Context=1'", "OcdsAws.InvalidVerificationLink", Arg, "Only AWS's email-verification hosts");
            Add(d, Confirm + "'https://user@email-verification.eu-west-1.amazonaws.com/'", "OcdsAws.InvalidVerificationLink", Arg, "Only AWS's email-verification hosts");
            Add(d, Confirm + "'not a link'", "OcdsAws.InvalidVerificationLink", Arg, "is not a link");
            Add(d, Confirm + "'mailto:data@example.org'", "OcdsAws.InvalidVerificationLink", Arg, "Only https links are followed");

            // ---- Notifications: identities, topic names and ARNs, subscriptions ----
            Add(d, "New-SesNotificationTopic @aws -Identity 'bad_domain.example'", "OcdsAws.InvalidDomainName", Arg, "an underscore");
            Add(d, "New-SesNotificationTopic @aws -Identity 'a@b@example.org'", "OcdsAws.InvalidIdentity", Arg, "is not a valid email address");
            Add(d, "New-SesNotificationTopic @aws -Identity example.org -Name 'ses-events.fifo'", "OcdsAws.InvalidTopicName", Arg, "is a FIFO topic name");
            Add(d, "New-SesNotificationTopic @aws -Identity example.org -Name 'ses events'", "OcdsAws.InvalidTopicName", Arg, "contains ' '");
            Add(d, "New-SesNotificationTopic @aws -Identity example.org -Name ('t' * 257)", "OcdsAws.InvalidTopicName", Arg, "has 257 characters");
            Add(d, "New-SesNotificationTopic @aws -Identity example.org -Name ''", "OcdsAws.InvalidTopicName", Arg, "is empty");
            Add(d, "New-SesNotificationTopic @aws -Identity example.org -SubscribeEmail 'ops'", "OcdsAws.InvalidEmailAddress", Arg, "-SubscribeEmail 'ops' is not an email address");
            Add(d, "New-SesNotificationTopic @aws -Identity ''", null, Data, "empty string");
            const string SetNotification = "Set-SesIdentityNotification @aws -Identity example.org -TopicArn ";
            Add(d, SetNotification + "'not-an-arn'", "OcdsAws.InvalidTopicArn", Arg, "is not an SNS topic ARN");
            Add(d, SetNotification + "'arn:aws:sns:eu-west-1:1234:ses-events'", "OcdsAws.InvalidTopicArn", Arg, "is not an SNS topic ARN");
            Add(d, SetNotification + "'arn:aws:sqs:eu-west-1:123456789012:ses-events'", "OcdsAws.InvalidTopicArn", Arg, "is not an SNS topic ARN");
            Add(d, SetNotification + "'arn:aws:sns:us-east-1:123456789012:ses-events'", "OcdsAws.TopicInOtherRegion", Arg, "can only go to a topic in eu-west-1");
            Add(d, SetNotification + "'arn:aws:sns:eu-west-1:123456789012:ses-events' -NotificationType Open", null, Data, "Open");
            Add(d, SetNotification + "'arn:aws:sns:eu-west-1:123456789012:ses-events' -IncludeOriginalHeaders 'maybe'", null, Arg, "IncludeOriginalHeaders");
            Add(d, "Set-SesIdentityNotification @aws -Identity 'example' -TopicArn 'arn:aws:sns:eu-west-1:123456789012:ses-events'", "OcdsAws.InvalidDomainName", Arg, "is a single label");

            // ---- SMTP credentials ----
            Add(d, "Get-SmtpCredential @aws -Force -UserName 'ses smtp'", "OcdsAws.InvalidUserName", Arg, "is not a valid IAM user name");
            Add(d, "Get-SmtpCredential @aws -Force -UserName 'ses/smtp'", "OcdsAws.InvalidUserName", Arg, "is not a valid IAM user name");
            Add(d, "Get-SmtpCredential @aws -Force -UserName ('u' * 65)", "OcdsAws.InvalidUserName", Arg, "1 to 64 letters");
            Add(d, "Get-SmtpCredential @aws -Force -UserName ses-smtp -Region eu-west-1, 'eu-west'", "OcdsAws.InvalidRegion", Arg, "'eu-west' is not an AWS region name");
            Add(d, "Get-SmtpCredential @aws -Force -UserName ses-smtp -AllowedFromAddress 'data'", "OcdsAws.InvalidEmailAddress", Arg, "-AllowedFromAddress 'data' is not an email address");
            Add(d, "Get-SmtpCredential @aws -Force -UserName ses-smtp -Tag @{ '' = 'x' }", "OcdsAws.InvalidTag", Arg, "use 1 to 128 letters");
            Add(d, "Get-SmtpCredential @aws -Force -UserName ses-smtp -Tag @{ k = { 'script' } }", "OcdsAws.InvalidTag", Arg, "is a ScriptBlock");
            Add(d, "$t = @{}; 1..51 | % { $t[\"k$_\"] = 'v' }; Get-SmtpCredential @aws -Force -UserName ses-smtp -Tag $t", "OcdsAws.InvalidTag", Arg, "AWS takes at most 50");
            Add(d, "Get-SmtpCredential @aws -AccessKeyId ASIAIOSFODNN7EXAMPLE -SecretAccessKey 'x'", "OcdsAws.TemporaryCredentials", Arg, "belongs to temporary credentials");
            Add(d, "Get-SmtpCredential @aws -AccessKeyId 'AKIA-short' -SecretAccessKey 'x'", "OcdsAws.InvalidAccessKeyId", Arg, "is not an IAM access key id");
            Add(d, "Get-SmtpCredential @aws -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey ''", "OcdsAws.EmptySecretAccessKey", Arg, "-SecretAccessKey is empty");
            Add(d, "Get-SmtpCredential @aws -UserName ses-smtp -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey 'x'", null, Arg, "Parameter set cannot be resolved");
            Add(d, "Get-SmtpCredential @aws -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey 'x' -AllowedFromAddress data@example.org", null, Arg, "Parameter set cannot be resolved");
            Add(d, "New-SesSmtpCredential @aws -Force -UserName ses-smtp -SsmParameterName 'aws-smtp'", "OcdsAws.InvalidSsmParameterName", Arg, "begins with aws or ssm");
            Add(d, "New-SesSmtpCredential @aws -Force -UserName ses-smtp -Region eu-west-1, us-east-1 -SsmParameterName '/smtp/password'", "OcdsAws.InvalidSsmParameterName", Arg, "put {region} in the name");
            Add(d, "New-SesSmtpCredential @aws -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey 'x' -SsmParameterName '/smtp/password'", null, Arg, "Parameter set cannot be resolved");
            Add(d, "Get-SesSmtpCredential @aws -UserName 'ses smtp'", "OcdsAws.InvalidUserName", Arg, "is not a valid IAM user name");
            Add(d, "ConvertTo-SesSmtpPassword -SecretAccessKey '' -Region eu-west-1", "OcdsAws.EmptySecretAccessKey", Arg, "-SecretAccessKey is empty");
            Add(d, "ConvertTo-SesSmtpPassword -SecretAccessKey 'abc' -Region 'Ireland'", "OcdsAws.InvalidRegion", Arg, "'Ireland' is not an AWS region name");
            Add(d, "ConvertTo-SesSmtpPassword -SecretAccessKey 'abc' -Region eu-west-1 -AccessKeyId ASIAIOSFODNN7EXAMPLE", "OcdsAws.TemporaryCredentials", Arg, "belongs to temporary credentials");
            Add(d, "ConvertTo-SesSmtpPassword -SecretAccessKey 'abc' -Region eu-west-1 -AccessKeyId 'abc'", "OcdsAws.InvalidAccessKeyId", Arg, "is not an IAM access key id");

            // ---- Deliverability: test sends, DMARC, notifications, blocklists, files ----
            Add(d, "Send-SesTestEmail @aws -From 'nobody' -To data@example.org", "OcdsAws.InvalidEmailAddress", Arg, "-From 'nobody' is not an email address");
            Add(d, "Send-SesTestEmail @aws -From data@example.org -To 'data@localhost'", "OcdsAws.InvalidEmailAddress", Arg, "-To 'data@localhost' is not an email address");
            Add(d, "Send-SesTestEmail @aws -From data@example.org -To (1..51 | % { \"r$_@example.org\" })", "OcdsAws.TooManyRecipients", Arg, "SES takes at most 50 per message");
            Add(d, "Send-SesTestEmail @aws -From data@example.org -To ops@example.org -ConfigurationSetName ' '", null, Data, "ConfigurationSetName");
            Add(d, "Send-SesTestEmail @aws -From data@example.org -To @()", null, Data, "empty array");
            Add(d, "Get-DmarcRecord -DnsServer $dnsServer -Domain 'example'", "OcdsAws.InvalidDomainName", Arg, "is a single label");
            Add(d, "Get-DmarcRecord -DnsServer $dnsServer -Domain '203.0.113.7'", "OcdsAws.InvalidDomainName", Arg, "is an IP address");
            Add(d, "Get-DmarcRecord -DnsServer $dnsServer -Domain example.org -PublicSuffixListPath (Join-Path $files 'missing.dat')", "OcdsAws.FileNotFound", NotFound, "does not exist");
            Add(d, "Get-DmarcRecord -DnsServer $dnsServer -Domain example.org -PublicSuffixListPath (Join-Path $files 'notpsl.dat')", "OcdsAws.InvalidPublicSuffixList", Arg, "has no public suffix rules");
            Add(d, "Get-DmarcRecord -DnsServer '1.2.3.4:port' -Domain example.org", "OcdsAws.InvalidDnsServer", Arg, "is not a number from 1 to 65535");
            Add(d, "Test-DmarcCompliance -DnsServer $dnsServer -Path (Join-Path $files 'missing.eml')", "OcdsAws.FileNotFound", NotFound, "does not exist");
            Add(d, "Test-DmarcCompliance -DnsServer $dnsServer -Path (Join-Path $files 'folder')", "OcdsAws.NotAMessage", Arg, "is a directory, not a message file");
            Add(d, "Test-DmarcCompliance -DnsServer $dnsServer -Path (Join-Path $files 'notmail.eml')", "OcdsAws.NotAMessage", Data, "is not an email message");
            Add(d, "Test-DmarcCompliance -DnsServer 'x:y:z' -Path (Join-Path $files 'notmail.eml')", "OcdsAws.InvalidDnsServer", Arg, "is not an IPv6 address");
            Add(d, "ConvertFrom-SesNotification -Path (Join-Path $files 'missing.json')", "OcdsAws.FileNotFound", NotFound, "does not exist");
            Add(d, "ConvertFrom-SesNotification -Path (Join-Path $files 'notmail.eml')", "OcdsAws.NotAnSesNotification", Arg, "holds no SES notification");
            Add(d, "ConvertFrom-SesNotification -InputObject 'hello world'", "OcdsAws.NotAnSesNotification", Arg, "holds no SES notification");
            Add(d, "ConvertFrom-SesNotification -InputObject '{\"notificationType\": \"Bounce\", \"bounce\": {'", "OcdsAws.IncompleteNotification", Arg, "the last notification is cut short");
            Add(d, "ConvertFrom-SesNotification -InputObject '{\"hello\": \"world\"}'", "OcdsAws.NotAnSesNotification", Arg, "is not an SES notification");
            Add(d, "ConvertFrom-SesNotification -InputObject 'x' -Path 'y.json'", null, Arg, "Parameter set cannot be resolved");
            // Issue #16 item 11: a known field of the wrong JSON type, or given twice, is one error naming it.
            Add(d, "ConvertFrom-SesNotification -InputObject '{\"notificationType\":\"Bounce\",\"mail\":\"x\"}'", "OcdsAws.InvalidNotificationField", Arg, "field 'mail' is the string");
            Add(d, "ConvertFrom-SesNotification -InputObject '{\"notificationType\":\"Bounce\",\"notificationType\":\"Complaint\"}'", "OcdsAws.InvalidNotificationField", Arg, "'notificationType' twice");
            Add(d, "ConvertFrom-SesNotification -InputObject '{\"notificationType\":\"Delivery\",\"delivery\":{\"timestamp\":1e300}}'", "OcdsAws.InvalidNotificationField", Arg, "field 'delivery.timestamp' is the number");
            const string Blocklist = "Test-DnsBlocklist -DnsServer $dnsServer ";
            Add(d, Blocklist + "-IPAddress '127.1'", "OcdsAws.InvalidIPAddress", Arg, "is not an IPv4 address");
            Add(d, Blocklist + "-IPAddress '256.1.1.1'", "OcdsAws.InvalidIPAddress", Arg, "is not an IPv4 address");
            Add(d, Blocklist + "-IPAddress 'example.org'", "OcdsAws.InvalidIPAddress", Arg, "is not an IPv4 address");
            Add(d, Blocklist + "-IPAddress '1.2.3.4.5'", "OcdsAws.InvalidIPAddress", Arg, "is not an IPv4 address");
            Add(d, Blocklist + "-IPAddress '192.0.2.1/32'", "OcdsAws.InvalidIPAddress", Arg, "is not an IPv4 address");
            Add(d, Blocklist + "-Domain 'bad_domain.example'", "OcdsAws.InvalidDomainName", Arg, "an underscore");
            Add(d, Blocklist + "-IPAddress 127.0.0.2 -Zone 'zen..spamhaus.org'", "OcdsAws.InvalidDomainName", Arg, "has an empty label");
            Add(d, Blocklist + "-IPAddress 127.0.0.2 -Zone ''", null, Data, "parameter 'Zone'");
            Add(d, Blocklist + "-IPAddress 127.0.0.2 -Domain example.org", null, Arg, "Parameter set cannot be resolved");
            Add(d, "Test-DnsBlocklist -IPAddress 127.0.0.2 -DnsServer '300.1.1.1'", "OcdsAws.InvalidDnsServer", Arg, "is not an IPv4 address");

            // ---- Aurora network: names, CIDRs, subnets, zones ----
            Add(d, "New-AuroraNetwork @aws -Name '1net'", "OcdsAws.InvalidName", Arg, "starting with a letter");
            Add(d, "New-AuroraNetwork @aws -Name 'my net'", "OcdsAws.InvalidName", Arg, "-Name 'my net' is not valid");
            Add(d, "New-AuroraNetwork @aws -Name ('n' * 64)", "OcdsAws.InvalidName", Arg, "1 to 63 letters");
            Add(d, "New-AuroraNetwork @aws -CidrBlock 10.0.0.0/8", "OcdsAws.InvalidCidrBlock", Arg, "use a block from /16 to /28");
            Add(d, "New-AuroraNetwork @aws -CidrBlock 10.0.0.1/16", "OcdsAws.InvalidCidrBlock", Arg, "has host bits set");
            Add(d, "New-AuroraNetwork @aws -CidrBlock 10.0.0.0", "OcdsAws.InvalidCidrBlock", Arg, "is not an IPv4 CIDR block");
            Add(d, "New-AuroraNetwork @aws -CidrBlock 10.0.0.0/33", "OcdsAws.InvalidCidrBlock", Arg, "is not an IPv4 CIDR block");
            Add(d, "New-AuroraNetwork @aws -CidrBlock 300.0.0.0/16", "OcdsAws.InvalidCidrBlock", Arg, "is not an IPv4 CIDR block");
            Add(d, "New-AuroraNetwork @aws -CidrBlock 'fd00::/48'", "OcdsAws.InvalidCidrBlock", Arg, "is not an IPv4 CIDR block");
            Add(d, "New-AuroraNetwork @aws -SubnetCidrBlock 10.0.1.0/24", "OcdsAws.TooFewSubnets", Arg, "needs at least two blocks");
            Add(d, "New-AuroraNetwork @aws -SubnetCidrBlock 10.1.1.0/24, 10.0.2.0/24", "OcdsAws.SubnetOutsideVpc", Arg, "inside the VPC's 10.0.0.0/16");
            Add(d, "New-AuroraNetwork @aws -SubnetCidrBlock 10.0.1.0/29, 10.0.2.0/30", "OcdsAws.SubnetOutsideVpc", Arg, "is not a /16 to /28 block");
            Add(d, "New-AuroraNetwork @aws -SubnetCidrBlock 10.0.1.0/24, 10.0.1.128/25", "OcdsAws.OverlappingSubnets", Arg, "overlap");
            Add(d, "New-AuroraNetwork @aws -SubnetCidrBlock 10.0.1.0/24, 10.0.2.1/24", "OcdsAws.InvalidCidrBlock", Arg, "has host bits set");
            Add(d, "New-AuroraNetwork @aws -AvailabilityZone eu-west-1a", "OcdsAws.ZoneCountMismatch", Arg, "give one zone per subnet");
            Add(d, "New-AuroraNetwork @aws -AvailabilityZone eu-west-1a, eu-west-1a", "OcdsAws.TooFewZones", Arg, "at least two distinct zones");
            Add(d, "New-AuroraNetwork @aws -AllowedCidr 0.0.0.0/33", "OcdsAws.InvalidCidrBlock", Arg, "-AllowedCidr '0.0.0.0/33' is not an IPv4 CIDR block");
            Add(d, "New-AuroraNetwork @aws -SecurityGroupName '-sg'", "OcdsAws.InvalidName", Arg, "-SecurityGroupName '-sg' is not valid");

            // ---- Aurora cluster: identifiers, capacities, auto-pause, database and user names, backups, versions ----
            const string Cluster = "New-AuroraServerlessCluster @aws -DBClusterIdentifier ";
            Add(d, Cluster + "'1db'", "OcdsAws.InvalidDBClusterIdentifier", Arg, "starting with a letter");
            Add(d, Cluster + "'my--db'", "OcdsAws.InvalidDBClusterIdentifier", Arg, "no two hyphens in a row");
            Add(d, Cluster + "'db-'", "OcdsAws.InvalidDBClusterIdentifier", Arg, "no hyphen at the end");
            Add(d, Cluster + "'db_1'", "OcdsAws.InvalidDBClusterIdentifier", Arg, "letters, digits or hyphens");
            Add(d, Cluster + "('d' * 64)", "OcdsAws.InvalidDBClusterIdentifier", Arg, "1 to 63 letters");
            Add(d, Cluster + "''", null, Data, "empty string");
            Add(d, Cluster + "ocds -MinCapacity -1", "OcdsAws.InvalidCapacity", Arg, "-MinCapacity -1 is not valid");
            Add(d, Cluster + "ocds -MinCapacity 0.3", "OcdsAws.InvalidCapacity", Arg, "in steps of 0.5");
            Add(d, Cluster + "ocds -MinCapacity 300 -MaxCapacity 256", "OcdsAws.InvalidCapacity", Arg, "use 0 to 256 Aurora capacity units");
            Add(d, Cluster + "ocds -MaxCapacity 0.5", "OcdsAws.InvalidCapacity", Arg, "use 1 to 256 Aurora capacity units");
            Add(d, Cluster + "ocds -MaxCapacity 257", "OcdsAws.InvalidCapacity", Arg, "-MaxCapacity 257 is not valid");
            Add(d, Cluster + "ocds -MinCapacity 4 -MaxCapacity 2", "OcdsAws.InvalidCapacity", Arg, "is below -MinCapacity 4");
            Add(d, Cluster + "ocds -MinCapacity 'lots'", null, Arg, "lots");
            Add(d, Cluster + "ocds -AutoPauseAfter 00:01:00", "OcdsAws.InvalidAutoPause", Arg, "from 00:05:00 to 1.00:00:00");
            Add(d, Cluster + "ocds -AutoPauseAfter 2.00:00:00", "OcdsAws.InvalidAutoPause", Arg, "from 00:05:00 to 1.00:00:00");
            Add(d, Cluster + "ocds -AutoPauseAfter 00:10:00.500", "OcdsAws.InvalidAutoPause", Arg, "whole seconds");
            Add(d, Cluster + "ocds -DatabaseName postgres", "OcdsAws.InvalidDatabaseName", Arg, "not a reserved word such as postgres");
            Add(d, Cluster + "ocds -DatabaseName select", "OcdsAws.InvalidDatabaseName", Arg, "-DatabaseName 'select' is not valid");
            Add(d, Cluster + "ocds -DatabaseName 1db", "OcdsAws.InvalidDatabaseName", Arg, "starting with a letter or underscore");
            Add(d, Cluster + "ocds -DatabaseName 'my-db'", "OcdsAws.InvalidDatabaseName", Arg, "letters, digits or underscores");
            Add(d, Cluster + "ocds -MasterUsername rdsadmin", "OcdsAws.InvalidMasterUsername", Arg, "not starting with rds");
            Add(d, Cluster + "ocds -MasterUsername user", "OcdsAws.InvalidMasterUsername", Arg, "not a reserved word");
            Add(d, Cluster + "ocds -MasterUsername ('u' * 17)", "OcdsAws.InvalidMasterUsername", Arg, "1 to 16 letters");
            Add(d, Cluster + "ocds -MasterUsername '_admin'", "OcdsAws.InvalidMasterUsername", Arg, "starting with a letter");
            Add(d, Cluster + "ocds -BackupRetentionPeriod 0", "OcdsAws.InvalidBackupRetentionPeriod", Arg, "Aurora keeps backups 1 to 35 days");
            Add(d, Cluster + "ocds -BackupRetentionPeriod 36", "OcdsAws.InvalidBackupRetentionPeriod", Arg, "Aurora keeps backups 1 to 35 days");
            Add(d, Cluster + "ocds -Wait -Timeout 0", "OcdsAws.InvalidTimeout", Arg, "-Timeout must be positive");
            Add(d, Cluster + "ocds -EngineVersion latest", "OcdsAws.InvalidEngineVersion", Arg, "is not a version such as 16.4");
            Add(d, Cluster + "ocds -Tag @{ 'aws:owner' = 'x' }", "OcdsAws.InvalidTag", Arg, "not starting with aws: or rds:");
            Add(d, Cluster + "ocds -Tag @{ '' = 'x' }", "OcdsAws.InvalidTag", Arg, "use 1 to 128 letters");
            Add(d, Cluster + "ocds -Tag @{ Project = 'a;b' }", "OcdsAws.InvalidTag", Arg, "-Tag value 'a;b' of key 'Project' is not valid");
            Add(d, Cluster + "ocds -Tag @{ ('k' * 129) = 'x' }", "OcdsAws.InvalidTag", Arg, "use 1 to 128 letters");
            Add(d, Cluster + "ocds -Tag @{ 'ocdsaws:aurora-cluster' = 'other' }", "OcdsAws.InvalidTag", Arg, "the module's own mark");
            Add(d, Cluster + "ocds -Tag @{ Project = \"ocds`n\" }", "OcdsAws.InvalidTag", Arg, "of key 'Project' is not valid");
            Add(d, "Get-AuroraServerlessCluster @aws -DBClusterIdentifier 'bad_id'", "OcdsAws.InvalidDBClusterIdentifier", Arg, "-DBClusterIdentifier 'bad_id' is not valid");

            // ---- Invoke-AuroraSql ----
            Add(d, "Invoke-AuroraSql @aws -Sql ' ' -DBClusterIdentifier ocds", "OcdsAws.EmptySql", Arg, "-Sql is empty");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select 1'", "OcdsAws.ClusterRequired", Arg, "Give -DBClusterIdentifier");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select 1' -ResourceArn 'arn:aws:rds:eu-west-1:123456789012:cluster:ocds'", "OcdsAws.ClusterRequired", Arg, "both -ResourceArn and -SecretArn");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select :n' -DBClusterIdentifier ocds -Parameter @{ '1n' = 1 }", "OcdsAws.InvalidParameterName", Arg, "-Parameter key '1n' is not a valid :name");
            Add(d, "Invoke-AuroraSql @aws -Sql '' -DBClusterIdentifier ocds", null, Data, "empty string");
            // Issue #16 item 8: only text where text is meant; ARNs of the right kind, partition and region.
            Add(d, "Invoke-AuroraSql @aws -Sql @{ a = 1 } -DBClusterIdentifier ocds", null, Data, "not a Hashtable");
            Add(d, "Invoke-AuroraSql @aws -Sql { select 1 } -DBClusterIdentifier ocds", null, Data, "not a ScriptBlock");
            Add(d, "Invoke-AuroraSql @aws -Sql (Get-Item $files) -DBClusterIdentifier ocds", null, Data, "not a DirectoryInfo");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select 1' -DBClusterIdentifier ocds -Database @('a', 'b')", null, Data, "not a Object[]");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select 1' -ResourceArn password123 -SecretArn 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf'", "OcdsAws.InvalidResourceArn", Arg, "is not an Aurora cluster ARN");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select 1' -ResourceArn 'arn:aws:sqs:eu-west-1:123456789012:ocds' -SecretArn 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf'", "OcdsAws.InvalidResourceArn", Arg, "is not an Aurora cluster ARN");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select 1' -ResourceArn 'arn:aws:rds:us-east-1:123456789012:cluster:ocds' -SecretArn 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf'", "OcdsAws.InvalidResourceArn", Arg, "but the Data API call goes to eu-west-1");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select 1' -ResourceArn 'arn:aws:rds:eu-west-1:123456789012:cluster:ocds' -SecretArn password123", "OcdsAws.InvalidSecretArn", Arg, "is not a Secrets Manager secret ARN");
            Add(d, "Invoke-AuroraSql @aws -Sql 'select 1' -ResourceArn 'arn:aws:rds:eu-west-1:123456789012:cluster:ocds' -SecretArn 'arn:aws-cn:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf'", "OcdsAws.InvalidSecretArn", Arg, "is in aws-cn/eu-west-1");

            // ---- Teardown: mutually exclusive parameters, identifiers, VPC ids ----
            Add(d, "Remove-AuroraServerlessCluster @aws -Force -DBClusterIdentifier ocds -SkipFinalSnapshot -FinalSnapshotIdentifier ocds-final", null, Arg, "Parameter set cannot be resolved");
            Add(d, "Remove-AuroraServerlessCluster @aws -Force -DBClusterIdentifier ocds", null, Arg, "missing mandatory parameters: FinalSnapshotIdentifier");
            Add(d, "Remove-AuroraServerlessCluster @aws -Force -DBClusterIdentifier 'bad_id' -SkipFinalSnapshot", "OcdsAws.InvalidDBClusterIdentifier", Arg, "-DBClusterIdentifier 'bad_id' is not valid");
            Add(d, "Remove-AuroraServerlessCluster @aws -Force -DBClusterIdentifier ocds -FinalSnapshotIdentifier 'final snapshot'", "OcdsAws.InvalidDBClusterIdentifier", Arg, "-FinalSnapshotIdentifier 'final snapshot' is not valid");
            Add(d, "Remove-AuroraServerlessCluster @aws -Force -DBClusterIdentifier ocds -SkipFinalSnapshot -Timeout 0", "OcdsAws.InvalidTimeout", Arg, "-Timeout must be positive");
            Add(d, "Remove-AuroraNetwork @aws -Force", "OcdsAws.NetworkRequired", Arg, "Give -Name or -VpcId");
            Add(d, "Remove-AuroraNetwork @aws -Force -VpcId 'vpc-XYZ'", "OcdsAws.InvalidVpcId", Arg, "is not a VPC id");
            Add(d, "Remove-AuroraNetwork @aws -Force -VpcId 'subnet-0123456789abcdef0'", "OcdsAws.InvalidVpcId", Arg, "is not a VPC id");
            Add(d, "Remove-AuroraNetwork @aws -Force -Name '9net'", "OcdsAws.InvalidName", Arg, "-Name '9net' is not valid");

            // ---- New-AuroraBastion ----
            const string Bastion = "New-AuroraBastion @aws -Name ocds-aurora ";
            Add(d, Bastion + "-AllowedSshCidr 0.0.0.0/0", "OcdsAws.SshFromAnywhere", Arg, "would let anyone on the internet try to log in");
            Add(d, Bastion + "-AllowedSshCidr 203.0.113.7", "OcdsAws.InvalidCidrBlock", Arg, "is not an IPv4 CIDR block");
            Add(d, Bastion + "-AllowedSshCidr 203.0.113.7/24", "OcdsAws.InvalidCidrBlock", Arg, "has host bits set");
            Add(d, Bastion + "-AllowedSshCidr ''", null, Data, "empty string");
            Add(d, Bastion + "-AllowedSshCidr 203.0.113.7/32 -InstanceType 'T3.MICRO'", "OcdsAws.InvalidInstanceType", Arg, "is not an EC2 instance type");
            Add(d, Bastion + "-AllowedSshCidr 203.0.113.7/32 -InstanceType 'micro'", "OcdsAws.InvalidInstanceType", Arg, "is not an EC2 instance type");
            Add(d, Bastion + "-AllowedSshCidr 203.0.113.7/32 -PublicSubnetCidrBlock 10.0.9.0/33", "OcdsAws.InvalidCidrBlock", Arg, "-PublicSubnetCidrBlock '10.0.9.0/33'");
            Add(d, Bastion + "-AllowedSshCidr 203.0.113.7/32 -DBClusterIdentifier 'bad--id'", "OcdsAws.InvalidDBClusterIdentifier", Arg, "no two hyphens in a row");
            Add(d, "New-AuroraBastion @aws -AllowedSshCidr 203.0.113.7/32", "OcdsAws.NetworkRequired", Arg, "Give -VpcId or -Name");
            // ---- Gaps the first run of this catalogue found, fixed in the cmdlets ----
            Add(d, "Get-SesVerificationLink data@example.org @aws -Wait -Timeout 0", "OcdsAws.InvalidTimeout", Arg, "-Timeout must be positive");
            Add(d, "Invoke-AuroraSql -Sql 'select 1' -DBClusterIdentifier ocds @aws -ResumeTimeout 0", "OcdsAws.InvalidTimeout", Arg, "-ResumeTimeout must be positive");
            Add(d, "Invoke-AuroraSql -Sql 'select 1' -DBClusterIdentifier 'not a valid id!' @aws", "OcdsAws.InvalidDBClusterIdentifier", Arg, "not a valid id!");
            Add(d, "New-SesNotificationTopic -Identity 'data@-bad.example' @aws", "OcdsAws.InvalidIdentity", Arg, "is not a valid email address");
            Add(d, "Set-SesIdentityNotification -Identity 'data@-bad.example' -TopicArn arn:aws:sns:eu-west-1:123456789012:t @aws", "OcdsAws.InvalidIdentity", Arg, "is not a valid email address");
            Add(d, "Send-SesTestEmail -From 'data@-bad.example' -To ops@example.org @aws", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "Request-SesProductionAccess -MailType Transactional -WebsiteUrl https://x.example -UseCaseDescription x -AdditionalContactEmailAddress 'data@-bad.example' @aws", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "Get-SmtpCredential -UserName u -AllowedFromAddress 'data@-bad.example' -Force @aws", "OcdsAws.InvalidEmailAddress", Arg, "is not an email address");
            Add(d, "Enable-SesAccountSuppression -Reason @() @aws", null, Data, "Reason");
            Add(d, "New-AuroraNetwork -AvailabilityZone 'not-a-zone','also bad' @aws", null, Data, "AvailabilityZone");
            Add(d, "New-AuroraBastion -AllowedSshCidr 203.0.113.7/32 -VpcId vpc-12345678 -AvailabilityZone 'not-a-zone' @aws", null, Data, "AvailabilityZone");
            Add(d, "New-AuroraServerlessCluster -DBClusterIdentifier ocds -DBSubnetGroupName 'bad name!' -SecurityGroupId sg-12345678 @aws", null, Data, "DBSubnetGroupName");
            Add(d, "New-AuroraServerlessCluster -DBClusterIdentifier ocds -DBSubnetGroupName ocds -SecurityGroupId 'not-an-sg' @aws", null, Data, "SecurityGroupId");
            Add(d, "New-SesDomainVerification example.org -ConfigurationSetName 'bad name!' @aws", null, Data, "ConfigurationSetName");
            Add(d, "Send-SesTestEmail -From data@example.org -To ops@example.org -ConfigurationSetName 'bad name!' @aws", null, Data, "ConfigurationSetName");
            Add(d, "[OcdsAws.Dns.DnsRecord]@{ Name = ''; Type = 'TXT'; Value = 'x' } | Test-DnsRecord -DnsServer $dnsServer", "OcdsAws.InvalidDnsRecord", Arg, "has no Name");
            Add(d, "[OcdsAws.Dns.DnsRecord]@{ Name = 'a..example.org'; Type = 'TXT'; Value = 'x' } | Test-DnsRecord -DnsServer $dnsServer", "OcdsAws.InvalidDnsRecord", Arg, "no empty label");
            Add(d, "[OcdsAws.Dns.DnsRecord]@{ Name = 'my host.example.org'; Type = 'TXT'; Value = 'x' } | Test-DnsRecord -DnsServer $dnsServer", "OcdsAws.InvalidDnsRecord", Arg, "is not a DNS name");
            Add(d, "Get-DmarcRecord example.org -DnsServer \"$([char]0x0661)27.0.0.1\"", "OcdsAws.InvalidDnsServer", Arg, "is not usable");
            Add(d, "Test-DnsRecord -DnsServer $dnsServer -Timeout 0 -InputObject @{ Name = 'www.example.org'; Type = 'A'; Value = '127.0.0.2' }", "OcdsAws.InvalidTimeout", Arg, "-Timeout must be positive");
            Add(d, "Test-DnsBlocklist 127.0.0.2 -DnsServer $dnsServer -Timeout '-00:00:05'", "OcdsAws.InvalidTimeout", Arg, "-Timeout must be positive");

            // ---- Issue #16 item 5: exact-match anchors (a trailing newline is not "the end"), NUL, partitions ----
            Add(d, "Get-OcdsAwsContext @aws -Region \"eu-west-1`n\"", "OcdsAws.InvalidRegion", Arg, "is not an AWS region name");
            Add(d, NewDomain + "\"exa`0mple.org\"", "OcdsAws.InvalidDomainName", Arg, "the control character U+0000");
            Add(d, NewEmail + "-EmailAddress data@example.org -BucketName \"my-bucket`n\"", "OcdsAws.InvalidBucketName", Arg, "is not a valid S3 bucket name");
            Add(d, "New-SesNotificationTopic -Identity example.org -Name \"topic`n\" @aws", "OcdsAws.InvalidTopicName", Arg, "SNS topic names are 1 to 256");
            Add(d, SetNotification + "\"arn:aws:sns:eu-west-1:123456789012:t`nu\"", "OcdsAws.InvalidTopicArn", Arg, "is not an SNS topic ARN");
            Add(d, SetNotification + "arn:aws-cn:sns:eu-west-1:123456789012:t", "OcdsAws.InvalidTopicArn", Arg, "but its region eu-west-1 is in aws");
            Add(d, SetNotification + "arn:aws:sns:eu-west-1:123456789012:t.fifo", "OcdsAws.InvalidTopicArn", Arg, "is a FIFO topic");
            Add(d, "Get-SmtpCredential -UserName \"ses-user`n\" -Force @aws", "OcdsAws.InvalidUserName", Arg, "ses-user");
            Add(d, Cluster + "\"ocds`n\"", "OcdsAws.InvalidDBClusterIdentifier", Arg, "ocds");
            Add(d, "Remove-AuroraServerlessCluster @aws -Force -DBClusterIdentifier \"ocds`n\" -SkipFinalSnapshot", "OcdsAws.InvalidDBClusterIdentifier", Arg, "ocds");
            Add(d, Cluster + "ocds -DatabaseName \"common`n\"", "OcdsAws.InvalidDatabaseName", Arg, "common");
            Add(d, "Remove-AuroraNetwork @aws -Force -VpcId \"vpc-12345678`n\"", "OcdsAws.InvalidVpcId", Arg, "is not a VPC id");
            Add(d, "New-SesDomainVerification example.org -ConfigurationSetName \"set`n\" @aws", null, Data, "ConfigurationSetName");


            // ---- Issue #16 item 6: mail injection (RFC 5321 §4.5.3.1 sizes, no control or bidirectional characters, no CR/LF/NUL in headers) ----
            const string LongLocal = "(('a' * 65) + '@example.org')";
            Add(d, "Get-SesEmailVerification @aws -EmailAddress (('a' * 10000) + '@example.org')", "OcdsAws.InvalidEmailAddress", Arg, "RFC 5321 §4.5.3.1.1 allows at most 64");
            Add(d, "Get-SesEmailVerification @aws -EmailAddress " + LongLocal, "OcdsAws.InvalidEmailAddress", Arg, "has 65 octets");
            Add(d, "Get-SesEmailVerification @aws -EmailAddress (('a' * 60) + '@' + (('b' * 60 + '.') * 3) + 'example.org')", "OcdsAws.InvalidEmailAddress", Arg, "RFC 5321 §4.5.3.1.3 allows at most 254");
            Add(d, NewEmail + "-EmailAddress \"data`u{202E}gro@example.org\"", "OcdsAws.InvalidEmailAddress", Arg, "the bidirectional control U+202E");
            Add(d, "New-SesReceiptCapture @aws -EmailAddress " + LongLocal, "OcdsAws.InvalidEmailAddress", Arg, "has 65 octets");
            Add(d, "New-SesNotificationTopic @aws -Identity example.org -SubscribeEmail " + LongLocal, "OcdsAws.InvalidEmailAddress", Arg, "has 65 octets");
            Add(d, "Get-SmtpCredential @aws -Force -UserName ses-smtp -AllowedFromAddress " + LongLocal, "OcdsAws.InvalidEmailAddress", Arg, "has 65 octets");
            Add(d, "Request-SesProductionAccess @aws -MailType Transactional -WebsiteUrl https://x.example -UseCaseDescription x -AdditionalContactEmailAddress \"ops`u{2066}@example.org\"",
                "OcdsAws.InvalidEmailAddress", Arg, "the bidirectional control U+2066");
            Add(d, "Send-SesTestEmail @aws -From \"Data (x`r`nBcc: victim@example.net) <data@example.org>\" -To ops@example.org", "OcdsAws.InvalidEmailAddress", Arg, "the control character U+000D");
            Add(d, "Send-SesTestEmail @aws -From data@example.org -To (('a' * 65) + '@example.net')", "OcdsAws.InvalidEmailAddress", Arg, "has 65 octets");
            Add(d, "Send-SesTestEmail @aws -From data@example.org -To ops@example.org -Subject \"hi`r`nBcc: victim@example.net\"", "OcdsAws.InvalidSubject", Arg, "the control character U+000D");
            Add(d, "Send-SesTestEmail @aws -From data@example.org -To ops@example.org -Subject \"hi`0there\"", "OcdsAws.InvalidSubject", Arg, "the control character U+0000");

            // ---- Issue #16 item 7: only the SES verification hosts of the session's partition (eu-west-1: aws), never S3's ----
            Add(d, Confirm + "'https://email-verification.s3.amazonaws.com/?Context=1'", "OcdsAws.InvalidVerificationLink", Arg, "Only AWS's email-verification hosts of the aws partition");
            Add(d, Confirm + "'https://email-verification.s3-website-us-east-1.amazonaws.com/?Context=1'", "OcdsAws.InvalidVerificationLink", Arg, "Only AWS's email-verification hosts");
            Add(d, Confirm + "'https://email-verification.s3-eu-west-1.amazonaws.com/?Context=1'", "OcdsAws.InvalidVerificationLink", Arg, "Only AWS's email-verification hosts");
            Add(d, Confirm + "'https://email-verification.cn-north-1.amazonaws.com.cn/?Context=1'", "OcdsAws.InvalidVerificationLink", Arg, "email-verification.<region>.amazonaws.com");
            Add(d, Confirm + "'https://email-verification.eu-west-1.amazonaws.com.cn/?Context=1'", "OcdsAws.InvalidVerificationLink", Arg, "Only AWS's email-verification hosts");

            // ---- #16 items 1 and 10, #15 item 10: hostile values at the root (session resolver, SafeFile, error text) ----
            Add(d, "Get-OcdsAwsContext @aws -Region eu-west-9", "OcdsAws.UnknownRegion", Arg, "eu-west-1, eu-west-2, eu-west-3");
            Add(d, "Get-SesAccount @aws -Region us-east-7", "OcdsAws.UnknownRegion", Arg, "'us-east-7' from -Region is not an AWS region");
            Add(d, "Get-OcdsAwsContext @aws -Region ('a' * 10000)", "OcdsAws.InvalidRegion", Arg, "(10000 characters)");
            Add(d, "Get-OcdsAwsContext @aws -EndpointUrl ('http://' + 'h' * 10000 + ':bad')", "OcdsAws.InvalidEndpointUrl", Arg, "characters)");
            Add(d, "Get-OcdsAwsContext @aws -AccessKey \"AKIAIOSFODNN7EXAMPLE`r`nX-Extra: 1\"", "OcdsAws.InvalidKeyText", Arg, "-AccessKey holds a carriage return (CR) at position 21");
            Add(d, "Get-OcdsAwsContext @aws -AccessKey \"AKIA$([char]0xC9)OSFODNN7EXAMPLE\"", "OcdsAws.InvalidKeyText", Arg, "the non-ASCII character U+00C9");
            Add(d, "Get-OcdsAwsContext @aws -SessionToken \"FwoGZXIvYXdzE`n\"", "OcdsAws.InvalidKeyText", Arg, "-SessionToken holds a line feed (LF)");
            Add(d, "Get-OcdsAwsContext @aws -EndpointUrl 'http://bob:hunter2@127.0.0.1:9'", "OcdsAws.InvalidEndpointUrl", Arg, "'http://bob:***@127.0.0.1:9' holds a user name or password");
            Add(d, "Get-OcdsAwsContext -Region eu-west-1 -ProfileName ci -ProfileLocation /dev/zero", "OcdsAws.NotAFile", Arg, "is a character device, not a regular file");
            Add(d, "Get-SesAccount -Region eu-west-1 -ProfileName ci -ProfileLocation (Join-Path $files 'fifo')", "OcdsAws.NotAFile", Arg, "is a named pipe (FIFO)");
            Add(d, "Get-SesAccount -Region eu-west-1 -ProfileName cii -ProfileLocation (Join-Path $files 'credentials')", "OcdsAws.ProfileNotFound", Arg, "Profiles there: ci.");
            Add(d, "Get-SesAccount -Region eu-west-1 -ProfileName oidc -ProfileLocation (Join-Path $files 'token-profile')", "OcdsAws.NotAFile", Arg, "web identity token file (profile 'oidc')");
            Add(d, "class Loop { $Credentials }; $x = [Loop]::new(); $x.Credentials = $x; $StoredAWSCredentials = $x; Get-SesAccount -Region eu-west-1 -EndpointUrl $aws.EndpointUrl", "OcdsAws.SelfReferencingValue", Arg, "leads back to itself");
            Add(d, "class Loop { $Credentials }; $x = [Loop]::new(); $x.Credentials = $x; $x.PSObject.TypeNames.Insert(0, 'Amazon.Runtime.AWSCredentials'); Get-OcdsAwsContext -Credential $x -Region eu-west-1 -EndpointUrl $aws.EndpointUrl", "OcdsAws.SelfReferencingValue", Arg, "-Credential is a Loop");
            Add(d, "class RegionLoop { $Region }; $x = [RegionLoop]::new(); $x.Region = $x; $StoredAWSRegion = $x; Get-SesAccount -AccessKey $aws.AccessKey -SecretKey $aws.SecretKey -EndpointUrl $aws.EndpointUrl", "OcdsAws.SelfReferencingValue", Arg, "Set-DefaultAWSRegion");
            Add(d, "Test-DmarcCompliance -DnsServer $dnsServer -Path /dev/zero", "OcdsAws.NotAMessage", Arg, "'/dev/zero' is a character device, not a regular file");
            Add(d, "Test-DmarcCompliance -DnsServer $dnsServer -Path /dev/urandom", "OcdsAws.NotAMessage", Arg, "is a character device");
            Add(d, "Test-DmarcCompliance -DnsServer $dnsServer -Path (Join-Path $files 'fifo')", "OcdsAws.NotAMessage", Arg, "is a named pipe (FIFO)");
            Add(d, "Get-DmarcRecord -DnsServer $dnsServer -Domain example.org -PublicSuffixListPath /dev/urandom", "OcdsAws.NotAFile", Arg, "is a character device");
            Add(d, "Get-DmarcRecord -DnsServer $dnsServer -Domain example.org -PublicSuffixListPath (Join-Path $files 'fifo')", "OcdsAws.NotAFile", Arg, "is a named pipe (FIFO)");
            Add(d, "ConvertFrom-SesNotification -Path /dev/zero", "OcdsAws.NotAFile", Arg, "is a character device");
            Add(d, "ConvertFrom-SesNotification -Path (Join-Path $files 'fifo')", "OcdsAws.NotAFile", Arg, "is a named pipe (FIFO)");
            Add(d, "Send-SesTestEmail @aws -From ('d' * 10000 + '@example.org') -To ops@example.org", "OcdsAws.InvalidEmailAddress", Arg, "(10012 characters)");

            return d;
        }

        [Fact]
        public void The_catalogue_covers_every_exported_cmdlet_with_at_least_110_inputs()
        {
            var rows = Catalogue().Select(r => (string)r[0]).ToList();
            Assert.True(rows.Count >= 110, $"{rows.Count} rows");
            Assert.Equal(rows.Count, rows.Distinct().Count());
            var manifest = File.ReadAllText(PowerShellHost.ManifestPath);
            var exported = System.Text.RegularExpressions.Regex.Matches(manifest.Substring(manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal)).Split(')')[0], "'([A-Za-z]+-[A-Za-z]+)'")
                .Select(m => m.Groups[1].Value).ToList();
            Assert.True(exported.Count >= 30, $"{exported.Count} cmdlets read from the manifest");
            // Get-SesAccount takes nothing but the common parameters: its rows are the region ones.
            Assert.All(exported, cmdlet => Assert.Contains(rows, r => r.Contains(cmdlet + " ", StringComparison.Ordinal)));
        }

        [Theory]
        [MemberData(nameof(Catalogue))]
        public void Bad_input_fails_clearly_with_no_aws_call_and_no_dns(string script, string? errorId, ErrorCategory category, string fragment)
        {
            using var dns = new LoopbackDnsServer().AddZone("example.org").AddZone("example.net");
            var r = PowerShellHost.Run(script + " -Verbose", ScriptVariables.For("eu-west-1", dns, ("files", Files)));

            var error = Assert.Single(r.Errors);
            var message = error.ErrorDetails?.Message ?? error.Exception?.Message ?? "";
            if (errorId == null)
                Assert.True(BindingIds.Any(id => error.FullyQualifiedErrorId.StartsWith(id, StringComparison.Ordinal)),
                    $"{error.FullyQualifiedErrorId} is not a parameter binding error ({message})");
            else
                Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Contains(fragment, message, StringComparison.Ordinal);
            Assert.Equal(0, r.AwsCalls);
            Assert.DoesNotContain(r.Verbose, v => v.StartsWith("AWS call:", StringComparison.Ordinal));
            Assert.Empty(r.Output);
            Assert.Equal(0, dns.QueryCount);
        }
    }
}
