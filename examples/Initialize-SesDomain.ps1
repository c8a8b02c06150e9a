<#
.SYNOPSIS
    The runbook's "Verify a domain", MAIL FROM, sandbox and suppression steps for one domain, re-runnable.
.DESCRIPTION
    Creates (or finds) the SES identity with Easy DKIM, writes the DNS records for the DNS host to -RecordsPath
    (BIND zone-file lines, which GoDaddy imports), checks them against the zone's name servers and, with -Wait,
    waits for SES to verify the domain. Optional steps: -MailFromSubdomain, -RequestProductionAccess,
    -DisableSuppressionList. Every AWS change honours -WhatIf and -Confirm; re-running changes nothing. -WhatIf
    makes no AWS call and previews every step, those that need the identity's records included.
.EXAMPLE
    ./Initialize-SesDomain.ps1 -Domain open-contracting.org -Region us-east-1 -ProfileName ocp -RecordsPath ./ses.zone -MailFromSubdomain bounce
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $Domain,
    [string] $Region,
    [string] $ProfileName,
    [string] $RecordsPath,
    [string] $MailFromSubdomain,
    [switch] $RequestProductionAccess,
    [string] $WebsiteUrl,
    [string] $UseCaseDescription,
    [switch] $DisableSuppressionList,
    [switch] $Wait,
    [TimeSpan] $Timeout = '00:30:00',
    [string] $DnsServer
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Command New-SesDomainVerification -ErrorAction Ignore)) { Import-Module OcdsAws }
$aws = @{}
if ($Region) { $aws.Region = $Region }
if ($ProfileName) { $aws.ProfileName = $ProfileName }
$dns = @{}
if ($DnsServer) { $dns.DnsServer = $DnsServer }

$verification = New-SesDomainVerification -Domain $Domain @aws @dns
if ($verification) {
    if ($RecordsPath) { $verification | Export-DnsRecord -Format Bind -Path $RecordsPath }
    $verification
    $verification | Test-DnsRecord @dns
    if ($Wait) { $verification | Wait-SesDomainVerification -Timeout $Timeout @aws @dns }
}
elseif ($WhatIfPreference) {
    # -WhatIf: the cmdlets make no AWS call and return nothing, so the steps that need the identity's records
    # say what they would do; every later step still previews itself.
    if ($RecordsPath) { $null = $PSCmdlet.ShouldProcess($RecordsPath, "Write the DNS records of $Domain (BIND zone-file lines)") }
    $null = $PSCmdlet.ShouldProcess($Domain, "Check the DNS records against the zone's name servers (Test-DnsRecord)")
    if ($Wait) { $null = $PSCmdlet.ShouldProcess($Domain, "Wait up to $Timeout for SES to verify the domain (Wait-SesDomainVerification)") }
}
else { return }   # -Confirm, answered No: the later steps need the identity

if ($MailFromSubdomain) {
    $mailFrom = Set-SesMailFromDomain -Domain $Domain -MailFromDomain "$MailFromSubdomain.$Domain" @aws @dns
    if ($RecordsPath -and $mailFrom) { $mailFrom | Export-DnsRecord -Format Bind | Add-Content -Path $RecordsPath }
    elseif ($RecordsPath -and $WhatIfPreference) { $null = $PSCmdlet.ShouldProcess($RecordsPath, "Add the MAIL FROM records of $MailFromSubdomain.$Domain") }
    $mailFrom
}
if ($RequestProductionAccess) {
    if (-not $WebsiteUrl -or -not $UseCaseDescription) { throw '-RequestProductionAccess needs -WebsiteUrl and -UseCaseDescription.' }
    Request-SesProductionAccess -MailType Transactional -WebsiteUrl $WebsiteUrl -UseCaseDescription $UseCaseDescription @aws
}
if ($DisableSuppressionList) { Disable-SesAccountSuppression -Force:(-not $WhatIfPreference) @aws }
