# The Aurora cluster's safety rails through the published module (#15 items 3, 11, 12, 13, 14): what a user sees.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $aws = @{ AccessKey = $bed.AccessKey; SecretKey = $bed.SecretKey; EndpointUrl = $bed.Endpoint; Region = 'ap-northeast-2' }
    function Get-AwsCall([scriptblock] $Script) {
        @(& $Script 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'AWS call:*' })
    }
}

Describe 'Aurora cluster safety' {
    It 'protects a new cluster, refuses to delete it without -Force, and lists it' {
        $name = "pa$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $cluster = New-AuroraNetwork -Name $name @aws | New-AuroraServerlessCluster -DBClusterIdentifier $name -Tag @{ Project = 'ocds' } @aws
        $cluster.DeletionProtection | Should -BeTrue
        $cluster.Tags['Project'] | Should -Be 'ocds'
        $cluster.MasterUsername | Should -Be 'postgres'
        $cluster.PasswordCommand | Should -BeLike "*--secret-id '$($cluster.MasterUserSecretArn)'*"
        (Get-AuroraServerlessCluster "$name*" @aws).DBClusterIdentifier | Should -Be $name

        $cluster | Remove-AuroraServerlessCluster -SkipFinalSnapshot -Confirm:$false @aws -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'OcdsAws.DeletionProtected,*'
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        (Get-AuroraServerlessCluster $name @aws).DBInstanceIdentifiers | Should -Be @("$name-1")

        (Get-AwsCall { Remove-AuroraServerlessCluster $name -SkipFinalSnapshot -Force -WhatIf @aws -Verbose }).Count | Should -Be 0
        $gone = $cluster | Remove-AuroraServerlessCluster -SkipFinalSnapshot -Wait -Force @aws
        ($gone | Where-Object ResourceType -eq 'DBCluster').Status | Should -Be 'deleted'
        Get-AuroraServerlessCluster $name @aws -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Remove-AuroraNetwork $name -Force @aws | Out-Null
    }

    It 'holds back SQL that may change data under -WhatIf and runs reads' {
        $target = @{ ResourceArn = 'arn:aws:rds:ap-northeast-2:123456789012:cluster:whatif'; SecretArn = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!cluster-whatif' }
        (Get-AwsCall { Invoke-AuroraSql -Sql 'delete from contracts' @target -WhatIf @aws -Verbose }).Count | Should -Be 0
        (Get-AwsCall { Invoke-AuroraSql -Sql 'select count(*) from contracts' @target -WhatIf @aws -Verbose -ErrorAction SilentlyContinue }).Count | Should -Be 1
    }
}
