<#
.SYNOPSIS
    The OcdsAws side of the runbook benchmark (issue "Measured", benchmark 2a): the three runbook scripts in
    examples/ for one domain, as a user runs them.

    pwsh -NoProfile -File bench/runbook-ocdsaws.ps1 -ModulePath PSD1 -Domain DOMAIN -DnsServer HOST:PORT

    Initialize-SesDomain.ps1 -MailFromSubdomain bounce, Initialize-SesSender.ps1 -Subscribe (its receipt capture
    included) and Initialize-AuroraDatabase.ps1, against $env:AWS_ENDPOINT_URL with the credentials of the
    environment. Names derive from DOMAIN. Prints IMPORT <ms> (Import-Module, 0 when the session has the module
    already), WORK <ms> (the three scripts), CALLS <AWS requests> and CHANGES <successful changes>, counted from
    the module's "AWS call:" verbose lines (one per HTTP request, retries included).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Domain,
    [Parameter(Mandatory)] [string] $DnsServer
)
$ErrorActionPreference = 'Stop'
$clock = [Diagnostics.Stopwatch]::StartNew()
$imported = [bool](Get-Module OcdsAws)
Import-Module (Convert-Path $ModulePath)   # a relative path would be taken for a module name
"IMPORT {0:0.0}" -f $(if ($imported) { 0 } else { $clock.Elapsed.TotalMilliseconds })

$examples = Join-Path $PSScriptRoot '../examples'
$name = ($Domain -split '\.')[0]
$context = Get-OcdsAwsContext   # untimed: the account and region the test bed's control call names
$clock.Restart()
$records = @(
    & (Join-Path $examples 'Initialize-SesDomain.ps1') -Domain $Domain -MailFromSubdomain bounce -DnsServer $DnsServer -Verbose 4>&1 3>$null
    # What SES does once the DNS host has the records: the domain becomes verified (the capture in the sender script
    # refuses an unverified domain, as SES receives mail only for verified ones). Told to the test bed, untimed.
    $clock.Stop()
    Invoke-RestMethod -Method Post -Uri ($env:AWS_ENDPOINT_URL.TrimEnd('/') + '/ocds-testbed/sesv2/identity-status') -ContentType 'application/json' `
        -Body (@{ account = $context.Account; region = $context.Region; identity = $Domain; verification = 'SUCCESS'; dkim = 'SUCCESS' } | ConvertTo-Json) | Out-Null
    $clock.Start()
    & (Join-Path $examples 'Initialize-SesSender.ps1') -EmailAddress "data@$Domain" -Subscribe "ops@$Domain" -DnsServer $DnsServer -Verbose 4>&1 3>$null
    & (Join-Path $examples 'Initialize-AuroraDatabase.ps1') -Name $name -DBClusterIdentifier $name -Verbose 4>&1 3>$null
)
"WORK {0:0.0}" -f $clock.Elapsed.TotalMilliseconds

$calls = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'AWS call:*' })
$change = 'AWS call: \S+( \S+)? (Create|Put|Set|Enable|Delete|Subscribe|Authorize|Run|Modify|Associate|Attach|Verify)\w* -> HTTP 2'
"CALLS $($calls.Count)"
"CHANGES $(@($calls | Where-Object Message -Match $change).Count)"
