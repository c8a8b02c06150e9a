<#
.SYNOPSIS
    The runbook's "Aurora Serverless" section on Serverless v2, re-runnable: network, cluster, Data API check.
.DESCRIPTION
    Creates (or finds) the VPC with two subnets in two zones, the PostgreSQL security group and the DB subnet
    group, then the Aurora PostgreSQL Serverless v2 cluster (auto-pause after -AutoPauseAfter, Data API on,
    database -DatabaseName, -BackupRetentionPeriod days of backups), waits for it, and runs `select 1` through
    the Data API. -AllowedSshCidr also creates the bastion and prints its SSH tunnel line. Every AWS change
    honours -WhatIf and -Confirm; re-running changes nothing. -WhatIf makes no AWS call and previews every step.
.EXAMPLE
    ./Initialize-AuroraDatabase.ps1 -Name ocds -DBClusterIdentifier ocds -Region us-east-1 -AllowedSshCidr 203.0.113.7/32
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Name = 'ocds-aurora',
    [Parameter(Mandatory)] [string] $DBClusterIdentifier,
    [string] $DatabaseName = 'common',
    [double] $MaxCapacity = 2,
    [TimeSpan] $AutoPauseAfter = '01:00:00',
    [int] $BackupRetentionPeriod = 1,
    [string] $AllowedSshCidr,
    [string] $Region,
    [string] $ProfileName
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Command New-AuroraNetwork -ErrorAction Ignore)) { Import-Module OcdsAws }
$aws = @{}
if ($Region) { $aws.Region = $Region }
if ($ProfileName) { $aws.ProfileName = $ProfileName }

$network = New-AuroraNetwork -Name $Name @aws
if (-not $network -and -not $WhatIfPreference) { return }   # -Confirm, answered No: the later steps need the network
$network
# Under -WhatIf New-AuroraNetwork returns nothing: each later step then previews itself by name (the subnet group and
# security group it would take from the network are not known without AWS).
$clusterSettings = @{
    DBClusterIdentifier = $DBClusterIdentifier; DatabaseName = $DatabaseName; MaxCapacity = $MaxCapacity
    AutoPauseAfter = $AutoPauseAfter; BackupRetentionPeriod = $BackupRetentionPeriod
}
$cluster = if ($network) { $network | New-AuroraServerlessCluster @clusterSettings -Wait @aws } else { New-AuroraServerlessCluster @clusterSettings -Wait @aws }
$cluster
if ($cluster.HttpEndpointEnabled) { $cluster | Invoke-AuroraSql -Sql 'select 1 as ok' @aws }
elseif (-not $cluster -and $WhatIfPreference) { $null = $PSCmdlet.ShouldProcess($DBClusterIdentifier, "Run 'select 1' through the Data API (Invoke-AuroraSql)") }
if ($AllowedSshCidr) {
    if ($network) { $network | New-AuroraBastion -AllowedSshCidr $AllowedSshCidr -DBClusterIdentifier $DBClusterIdentifier @aws }
    else { New-AuroraBastion -Name $Name -AllowedSshCidr $AllowedSshCidr -DBClusterIdentifier $DBClusterIdentifier @aws }
}
