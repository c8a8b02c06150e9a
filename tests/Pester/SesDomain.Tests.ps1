# The SES domain section through the published module: moto (+ companion) and the loopback DNS server.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $aws = @{ AccessKey = $bed.AccessKey; SecretKey = $bed.SecretKey; EndpointUrl = $bed.Endpoint; Region = 'eu-west-1' }
    $dns = @{ DnsServer = $bed.DnsServer }
}

Describe 'Verify a domain' {
    It 'creates the identity and proposes records relative to the zone' {
        $domain = "p$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $v = New-SesDomainVerification $domain @aws @dns -WarningAction SilentlyContinue
        $v.Domain | Should -Be $domain
        $v.DkimTokens.Count | Should -Be 3
        @($v.DnsRecords | Where-Object Type -eq 'CNAME').Count | Should -Be 3
        $label = $domain.Split('.')[0]
        ($v.DnsRecords | Where-Object Type -eq 'CNAME')[0].HostLabel | Should -BeLike "*._domainkey.$label"
        ($v.DnsRecords | Where-Object Type -eq 'MX').Value | Should -Be 'inbound-smtp.eu-west-1.amazonaws.com'
        $checks = $v | Test-DnsRecord @dns
        $checks.Status | Should -Not -Contain 'Present'
        ($v | Export-DnsRecord -Format Csv) | Should -BeLike 'Type,Host,Value,Priority,TTL,Action,Purpose*'
    }

    It 'refuses bad input before any AWS call' {
        $calls = New-SesDomainVerification 'exa mple.org' @aws @dns -Verbose -ErrorVariable failure -ErrorAction SilentlyContinue 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'AWS call:*' }
        $calls | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'OcdsAws.InvalidDomainName,*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'makes no call with -WhatIf' {
        $calls = New-SesDomainVerification 'whatif.pester.example' @aws @dns -WhatIf -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'AWS call:*' }
        $calls | Should -BeNullOrEmpty
    }
}
