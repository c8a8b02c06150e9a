<#
.SYNOPSIS
    The Open Contracting Partnership's AWS runbook, end to end, with OcdsAws.
.DESCRIPTION
    build.ps1 runs this against a local moto (-EndpointUrl) with a test key in AWS_ACCESS_KEY_ID /
    AWS_SECRET_ACCESS_KEY, and a local DNS server (-DnsServer) that serves -ZoneFile, standing in for
    GoDaddy. Against real AWS, leave out -EndpointUrl, -DnsServer and -ZoneFile, pick credentials and
    region as for any AWS.Tools cmdlet (-ProfileName, -Region, Set-AWSCredential...), and add the
    records at your DNS host where this script writes them to the zone file. It grows with each
    runbook section the module covers.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/module/OcdsAws/OcdsAws.psd1'),
    [string] $EndpointUrl,
    [string] $Domain = 'ocp-demo.example',
    [string] $DnsServer,
    [string] $ZoneFile,
    [string] $DBClusterIdentifier = 'ocp-demo'
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$aws = @{}
if ($EndpointUrl) { $aws.EndpointUrl = $EndpointUrl }
$dns = @{}
if ($DnsServer) { $dns.DnsServer = $DnsServer }

function Show([string] $Title) { "`n== $Title" }

# What you do at the DNS host with the exported records: import the zone lines (the Adds), delete what the export says
# to remove, and edit each record it says to update: "replace <old record> with <new line>" (an import would add the
# new line beside the old one; for SPF two records are a permerror). Keep needs nothing.
function Publish-DnsRecord([Parameter(ValueFromPipeline)] $Record) {
    process {
        if (-not $ZoneFile) { return }
        if ($Record.Action -eq 'Remove') {
            Set-Content $ZoneFile @(Get-Content $ZoneFile | Where-Object { -not ($_ -like "$($Record.Name). * IN $($Record.Type) *$($Record.Value)*") })
        }
        if ($Record.Action -eq 'Update') {
            $old = @(Get-Content $ZoneFile | Where-Object { -not ($_ -like "$($Record.Name). * IN $($Record.Type) *" -and $_ -like "*$($Record.CurrentValue)*") })
            $lines = @(($Record | Export-DnsRecord -Format Bind) -split "`n")
            $with = $lines[[array]::IndexOf($lines, '; with') + 1]
            Set-Content $ZoneFile ($old + $with.Substring(';   '.Length))
        }
        if ($Record.Action -eq 'Add') { $Record | Export-DnsRecord -Format Bind | Add-Content $ZoneFile }
    }
}

Show 'Am I pointed at the right account?'
$context = Get-OcdsAwsContext @aws
"Account {0} ({1}) in {2}; credentials from {3}" -f $context.Account, $context.Arn, $context.Region, $context.CredentialSource

Show "Verify a domain: $Domain"
$verification = New-SesDomainVerification -Domain $Domain @aws @dns
"SES identity {0} in {1}: verified {2}, DKIM {3}" -f $verification.EmailIdentity, $verification.Region, $verification.VerifiedForSending, $verification.DkimStatus
$verification.DnsRecords | Format-Table Action, Type, HostLabel, Priority, Value -AutoSize | Out-String -Width 160

Show 'Records for the DNS host (BIND zone-file lines; GoDaddy imports these)'
$verification | Export-DnsRecord -Format Bind
$verification.DnsRecords | Publish-DnsRecord
Start-Sleep -Milliseconds 600   # the local DNS server re-reads its zone file
$verification | Test-DnsRecord @dns | Format-Table Status, Type, Name, Expected -AutoSize | Out-String -Width 160

if ($EndpointUrl) {
    # The local test bed plays SES noticing the DKIM records (real SES takes minutes).
    $status = @{ account = $context.Account; region = $context.Region; identity = $Domain; verification = 'SUCCESS'; dkim = 'SUCCESS' } | ConvertTo-Json
    Invoke-RestMethod -Method Post -Uri ($EndpointUrl.TrimEnd('/') + '/ocds-testbed/sesv2/identity-status') -ContentType 'application/json' -Body $status | Out-Null
}
$verified = $verification | Wait-SesDomainVerification @aws @dns -Timeout 00:30:00
"{0}: verified for sending = {1}" -f $verified.Domain, $verified.VerifiedForSending

Show "Verify an email address: data@$Domain"
# SES receives mail only for verified domains: the capture needs the domain verified above.
# The domain's only MX is SES's inbound endpoint, so the verification mail is captured in S3.
$sender = New-SesEmailVerification -EmailAddress "data@$Domain" @aws @dns
"{0}: capture in s3://{1} (rule {2} first in rule set {3}; made by the capture: {4})" -f $sender.EmailAddress, $sender.Capture.BucketName,
    $sender.Capture.RuleName, $sender.Capture.RuleSetName, $sender.Capture.RuleSetCreated
if ($EndpointUrl) {
    # The local test bed plays SES delivering its verification mail through the active rule set.
    $body = @{ account = $context.Account; region = $context.Region; address = $sender.EmailAddress } | ConvertTo-Json
    Invoke-RestMethod -Method Post -Uri ($EndpointUrl.TrimEnd('/') + '/ocds-testbed/ses/deliver-verification-mail') -ContentType 'application/json' -Body $body | Out-Null
}
$link = $sender | Get-SesVerificationLink @aws -Wait -Timeout 00:10:00
"Verification link found in {0}: {1}..." -f $link.ObjectKey, $link.Link.Substring(0, 60)
if ($EndpointUrl) {
    # Against the local test bed the link points at AWS: nothing leaves this machine, so SES's answer is played.
    $status = @{ account = $context.Account; region = $context.Region; identity = $sender.EmailAddress; verification = 'SUCCESS' } | ConvertTo-Json
    Invoke-RestMethod -Method Post -Uri ($EndpointUrl.TrimEnd('/') + '/ocds-testbed/sesv2/identity-status') -ContentType 'application/json' -Body $status | Out-Null
}
else {
    $link | Confirm-SesEmailVerification @aws | Out-Null
}
$confirmed = $sender | Wait-SesEmailVerification @aws -Timeout 00:10:00
"{0}: verified for sending = {1}" -f $confirmed.EmailAddress, $confirmed.VerifiedForSending
$removed = $sender | Remove-SesReceiptCapture @aws -Force
$removed.DnsRecords | Format-Table Action, Type, HostLabel, Value -AutoSize | Out-String -Width 160
$removed.DnsRecords | Publish-DnsRecord

Show 'Create SMTP credentials'
# -Force: a script cannot answer the confirmation that guards access-key creation.
$smtp = New-SesSmtpCredential -UserName 'ses-smtp-ocp-demo' -AllowedFromAddress "*@$Domain" -Force @aws
$smtp | Format-Table UserName, AccessKeyId, Region, SmtpHost, Port, TlsPort -AutoSize | Out-String -Width 160
"The SMTP password is in `$smtp.Credential (a SecureString); it is never printed."

Show 'Set up notifications for bounces and complaints'
$topic = New-SesNotificationTopic -Identity $sender.EmailAddress -SubscribeEmail "sysadmin@$Domain" @aws
"Topic {0}; subscriptions: {1}" -f $topic.TopicArn, (($topic.Subscriptions | ForEach-Object { "$($_.Endpoint) ($($_.Status))" }) -join ', ')
$notifications = $topic | Set-SesIdentityNotification @aws
"Bounces -> {0} (headers {1}); complaints -> {2} (headers {3})" -f $notifications.BounceTopic, $notifications.HeadersInBounceNotificationsEnabled,
    $notifications.ComplaintTopic, $notifications.HeadersInComplaintNotificationsEnabled

Show 'Set up the MAIL FROM domain'
$mailFrom = Set-SesMailFromDomain -Domain $Domain -MailFromDomain "bounce.$Domain" @aws @dns
$mailFrom | Format-Table Action, Type, HostLabel, Priority, Value -AutoSize | Out-String -Width 160
$mailFrom | Publish-DnsRecord

Show 'Move out of the sandbox'
$account = Get-SesAccount @aws
"Production access: {0}; quota {1}/day at {2}/s" -f $account.ProductionAccessEnabled, $account.Max24HourSend, $account.MaxSendRate
$request = Request-SesProductionAccess @aws -MailType Transactional -WebsiteUrl 'https://www.open-contracting.org' `
    -UseCaseDescription 'Account and data-quality notifications to registered users of Open Contracting Partnership services; bounces and complaints go to an SNS topic that the team monitors.'
"Review: {0} (case {1})" -f $request.ReviewStatus, $request.ReviewCaseId

Show 'Disable the account-level suppression list'
$suppression = Disable-SesAccountSuppression @aws -Force
"Suppressed reasons now: [{0}]" -f ($suppression.SuppressedReasons -join ', ')

Show 'Check DMARC compliance'
$test = Send-SesTestEmail -From $sender.EmailAddress -To "sysadmin@$Domain" -Subject 'OcdsAws DMARC check' @aws
"SES accepted the test message: $($test.MessageId)"
$dmarc = Get-DmarcRecord -Domain $Domain @dns
"DMARC for {0}: p={1} (record at {2}, organizational domain {3}, {4} queries)" -f $dmarc.Domain, $dmarc.EffectivePolicy, $dmarc.PolicyDomain, $dmarc.OrganizationalDomain, $dmarc.Queries.Count
# With the received message saved as .eml ("Show original" / "Download message"):
#   Test-DmarcCompliance -Path ./received.eml @dns | Format-List Verdict, Reason, Dkim, Spf, Notes

Show 'Debug delivery issues'
$bounce = '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"jane@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2026-11-29T16:00:00.000Z","feedbackId":"0100-demo"},"mail":{"messageId":"' + $test.MessageId + '","source":"' + $sender.EmailAddress + '","destination":["jane@example.com"]}}'
$bounce | ConvertFrom-SesNotification | Format-Table NotificationType, EmailAddress, BounceType, BounceSubType, Status, DiagnosticCode -AutoSize | Out-String -Width 160
Test-DnsBlocklist -IPAddress 192.0.2.10 @dns | Format-Table Target, Zone, Status, Meaning -AutoSize | Out-String -Width 160

Show 'Aurora Serverless v2: network, database, Data API'
# The runbook's VPC 10.0.0.0/16 with 10.0.1.0/24 and 10.0.2.0/24 in two zones; PostgreSQL allowed from the VPC only.
$network = New-AuroraNetwork -Name 'ocp-demo-aurora' @aws
"VPC {0} ({1}); subnets {2} in {3}; security group {4}; DB subnet group {5}" -f $network.VpcId, $network.CidrBlock,
    ($network.SubnetIds -join ', '), ($network.AvailabilityZones -join ', '), $network.SecurityGroupId, $network.DBSubnetGroupName
# Capacity 0-2 ACU, paused after one hour idle, Data API on, database common, backups kept one day.
$cluster = $network | New-AuroraServerlessCluster -DBClusterIdentifier $DBClusterIdentifier -MaxCapacity 2 -AutoPauseAfter 01:00:00 -DatabaseName common -BackupRetentionPeriod 1 -Wait @aws
$cluster | Format-List DBClusterIdentifier, Status, EngineVersion, MinCapacity, MaxCapacity, SecondsUntilAutoPause, HttpEndpointEnabled, DatabaseName, Endpoint | Out-String -Width 160
"The master password stays in Secrets Manager ({0}); it is never read or printed." -f $cluster.MasterUserSecretArn
$cluster | Invoke-AuroraSql -Sql 'select current_database() as db, version() as version' @aws | Format-Table -AutoSize | Out-String -Width 160
$bastion = $network | New-AuroraBastion -AllowedSshCidr '203.0.113.7/32' -DBClusterIdentifier $cluster.DBClusterIdentifier @aws
"Bastion {0}; tunnel: {1}" -f $bastion.InstanceId, $bastion.SshTunnelCommand

Show 'Tear the database down'
# -Force: a script cannot answer the High-impact confirmation.
$cluster | Remove-AuroraServerlessCluster -SkipFinalSnapshot -Wait -Force @aws | Format-Table -AutoSize | Out-String -Width 160
$network | Remove-AuroraNetwork -Force @aws | Format-Table -AutoSize | Out-String -Width 160
