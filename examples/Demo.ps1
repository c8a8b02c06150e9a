<#
.SYNOPSIS
    The Open Contracting Partnership's AWS runbook, end to end, with OcdsAws.
.DESCRIPTION
    build.ps1 runs this against a local moto (-EndpointUrl) with a test key in AWS_ACCESS_KEY_ID /
    AWS_SECRET_ACCESS_KEY. Against real AWS, leave out -EndpointUrl and pick credentials and region as
    for any AWS.Tools cmdlet (-ProfileName, -Region, Set-AWSCredential...). It grows with each runbook
    section the module covers.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/module/OcdsAws/OcdsAws.psd1'),
    [string] $EndpointUrl
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$aws = @{}
if ($EndpointUrl) { $aws.EndpointUrl = $EndpointUrl }

# 0. Am I pointed at the right account?
$context = Get-OcdsAwsContext @aws
"Account {0} ({1}) in {2}; credentials from {3}" -f $context.Account, $context.Arn, $context.Region, $context.CredentialSource
$context.Endpoints | Format-Table -AutoSize | Out-String -Width 120
