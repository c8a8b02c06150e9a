<#
.SYNOPSIS
    The runbook's "Verify an email address", "Create SMTP credentials" and "Set up notifications", re-runnable.
.DESCRIPTION
    Verifies the sender address (capturing the verification mail in S3 when its domain has no mailbox; with
    -Wait, reads the link out of the mail, follows it and cleans the capture up), creates SMTP credentials for
    -SmtpUserName (with -NewSmtpCredential: each such run creates an access key), and sends bounces and complaints, with original headers, to an SNS topic with email
    subscriptions. Every AWS change honours -WhatIf and -Confirm; re-running changes nothing. -WhatIf changes
    nothing and previews every step, those that need an earlier step's output included.
.EXAMPLE
    ./Initialize-SesSender.ps1 -EmailAddress data@open-contracting.org -SmtpUserName ses-smtp-data -NewSmtpCredential -Subscribe sysadmin@open-contracting.org -Region us-east-1 -Wait
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $EmailAddress,
    [string] $SmtpUserName,
    [switch] $NewSmtpCredential,
    [string[]] $Subscribe,
    [string] $Region,
    [string] $ProfileName,
    [switch] $Wait,
    [TimeSpan] $Timeout = '00:30:00',
    [string] $DnsServer
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Command New-SesEmailVerification -ErrorAction Ignore)) { Import-Module OcdsAws }
$aws = @{}
if ($Region) { $aws.Region = $Region }
if ($ProfileName) { $aws.ProfileName = $ProfileName }
$dns = @{}
if ($DnsServer) { $dns.DnsServer = $DnsServer }

$sender = New-SesEmailVerification -EmailAddress $EmailAddress @aws @dns
$sender
if ($sender -and $Wait -and -not $sender.VerifiedForSending) {
    if ($sender.Capture) {
        $sender | Get-SesVerificationLink -Wait -Timeout $Timeout @aws | Confirm-SesEmailVerification @aws | Out-Null
    }
    $sender | Wait-SesEmailVerification -Timeout $Timeout @aws
    if ($sender.Capture) { $sender | Remove-SesReceiptCapture -Force @aws }
}
elseif (-not $sender -and $Wait -and $WhatIfPreference) {
    # -WhatIf: the cmdlets return nothing, so a step that needs the sender says what it would do.
    $null = $PSCmdlet.ShouldProcess($EmailAddress, "Wait up to $Timeout for SES to verify the address (following the link of a captured mail, then removing the capture)")
}

if ($SmtpUserName -and $NewSmtpCredential) {
    # Only on request: every call creates an access key (IAM shows a secret once), so a plain re-run must not.
    # Access-key creation asks for confirmation; a script passes -Force unless it is only asked what it would do.
    Get-SmtpCredential -UserName $SmtpUserName -AllowedFromAddress $EmailAddress -Force:(-not $WhatIfPreference) @aws
}

$topic = New-SesNotificationTopic -Identity $EmailAddress -SubscribeEmail $Subscribe @aws
if ($topic) { $topic | Set-SesIdentityNotification @aws }
elseif ($WhatIfPreference) {
    # The topic's ARN names the account, which -WhatIf does not ask AWS for: say what Set-SesIdentityNotification would do.
    $null = $PSCmdlet.ShouldProcess($EmailAddress, 'Send SES Bounce and Complaint notifications to the topic above, original headers included (Set-SesIdentityNotification)')
}
