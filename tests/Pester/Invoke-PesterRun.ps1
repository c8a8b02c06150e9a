<#
.SYNOPSIS
    Runs every *.Tests.ps1 beside this script with Pester (imported from NuGet's package folder) and
    writes {"Passed": n, "Failed": n} to -ResultPath. build.ps1 starts it in a child pwsh.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # build.ps1 -Filter: only tests whose full name contains this text.
    [string] $Filter
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
if ($Filter) { $configuration.Filter.FullName = "*$Filter*" }
$configuration.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $configuration
# A failed BeforeAll or an unloadable file fails whole blocks/containers: count those as failures too.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $ResultPath
exit ([int]($failed -gt 0))
