# A piped object runs in the region it came from (issue #15 item 1), read back by boto3 (the witness), not by the module.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    # No -Region here: the session's default is us-east-1 (AWS_REGION below), the objects come from eu-west-2.
    $aws = @{ AccessKey = $bed.AccessKey; SecretKey = $bed.SecretKey; EndpointUrl = $bed.Endpoint }
    $dns = @{ DnsServer = $bed.DnsServer }
    $savedRegion = $env:AWS_REGION
    $env:AWS_REGION = 'us-east-1'
    function Get-AwsCall([object[]] $Stream) {
        @($Stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'AWS call:*' } | ForEach-Object Message)
    }
}

AfterAll {
    $env:AWS_REGION = $savedRegion
}

Describe 'The region of a piped object' {
    It 'New-SesDomainVerification -Region eu-west-2 | Get-SesDomainVerification reads eu-west-2' {
        $domain = "r$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $got = New-SesDomainVerification $domain -Region eu-west-2 @aws @dns -WarningAction SilentlyContinue |
            Get-SesDomainVerification @aws @dns -WarningAction SilentlyContinue
        $got.Domain | Should -Be $domain
        $got.Region | Should -Be 'eu-west-2'
        (Invoke-Witness sesv2 get_email_identity @{ EmailIdentity = $domain } -Region eu-west-2).result.IdentityType | Should -Be 'DOMAIN'
        (Invoke-Witness sesv2 get_email_identity @{ EmailIdentity = $domain } -Region us-east-1).error.Code | Should -Be 'NotFoundException'
    }

    It 'New-AuroraNetwork -Region eu-west-2 | New-AuroraServerlessCluster builds the cluster in eu-west-2' {
        $name = "rg$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $cluster = New-AuroraNetwork -Name $name -Region eu-west-2 @aws -Confirm:$false |
            New-AuroraServerlessCluster -DBClusterIdentifier $name @aws -Confirm:$false -WarningAction SilentlyContinue
        $cluster.Region | Should -Be 'eu-west-2'
        $clusters = (Invoke-Witness rds describe_db_clusters @{ DBClusterIdentifier = $name } -Region eu-west-2).result.DBClusters
        $clusters.DBClusterIdentifier | Should -Be $name
        (Invoke-Witness rds describe_db_clusters @{ DBClusterIdentifier = $name } -Region us-east-1).error.Code | Should -Be 'DBClusterNotFoundFault'
        # ...and the cluster object carries its region on to the next step.
        $removed = $cluster | Remove-AuroraServerlessCluster @aws -SkipFinalSnapshot -Force
        $removed | Should -Not -BeNullOrEmpty
        (Invoke-Witness rds describe_db_clusters @{ DBClusterIdentifier = $name } -Region eu-west-2).error.Code | Should -Be 'DBClusterNotFoundFault'
    }

    It 'an explicit -Region that differs from the piped object''s is an error for that object, with no AWS call' {
        $piped = [pscustomobject]@{ Domain = 'conflict.pester.example'; Region = 'eu-west-2' }
        $stream = $piped | Get-SesDomainVerification -Region eu-west-1 @aws @dns -Verbose -ErrorVariable failure -ErrorAction SilentlyContinue 4>&1
        Get-AwsCall $stream | Should -BeNullOrEmpty
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'OcdsAws.RegionConflict,*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($failure[0])" | Should -BeLike '*eu-west-2*-Region is eu-west-1*'
    }

    It 'the same region given twice is no conflict' {
        $domain = "s$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $got = New-SesDomainVerification $domain -Region eu-west-2 @aws @dns -WarningAction SilentlyContinue |
            Get-SesDomainVerification -Region eu-west-2 @aws @dns -WarningAction SilentlyContinue
        $got.Region | Should -Be 'eu-west-2'
    }

    It 'a piped object with a bad region fails alone; the next object goes on' {
        $domain = "v$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $good = New-SesDomainVerification $domain -Region eu-west-2 @aws @dns -WarningAction SilentlyContinue
        $items = [pscustomobject]@{ Domain = 'bad-region.pester.example'; Region = 'eu-west-9x' }, $good
        $got = $items | Get-SesDomainVerification @aws @dns -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'OcdsAws.InvalidRegion,*'
        $got.Domain | Should -Be $domain
        $got.Region | Should -Be 'eu-west-2'
    }

    It 'objects from two regions in one pipeline each run in their own' {
        $one = "t$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $two = "u$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $a = New-SesDomainVerification $one -Region eu-west-2 @aws @dns -WarningAction SilentlyContinue
        $b = New-SesDomainVerification $two -Region eu-central-1 @aws @dns -WarningAction SilentlyContinue
        $got = $a, $b | Get-SesDomainVerification @aws @dns -WarningAction SilentlyContinue
        ($got | ForEach-Object { "$($_.Domain)=$($_.Region)" }) | Should -Be @("$one=eu-west-2", "$two=eu-central-1")
    }

    It 'without a piped object the session default applies' {
        (Get-OcdsAwsContext @aws).Region | Should -Be 'us-east-1'
    }
}
