# Tab completion as a user gets it: TabExpansion2 in a fresh pwsh that imported the published module, with the region
# and credentials coming from where the cmdlet itself would take them ($StoredAWSRegion, AWS_REGION, a profile).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    # One domain identity with a unique name, in a region that is not the default of any session here.
    $region = 'ca-central-1'
    $domain = "c$([guid]::NewGuid().ToString('n').Substring(0, 8)).completion.example"
    $null = New-SesDomainVerification $domain -AccessKey $bed.AccessKey -SecretKey $bed.SecretKey -EndpointUrl $bed.Endpoint -Region $region `
        -InboundMx Never -DnsServer $bed.DnsServer -WarningAction SilentlyContinue

    # Completes $Line in a child pwsh whose session is prepared by $Setup.
    function Get-Completion([string] $Setup, [string] $Line) {
        $script = "Import-Module '$($bed.Module)'; $Setup; `$line = '$Line'; " +
            '(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText'
        $run = Invoke-ChildPwsh $script
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output
    }
    $prefix = $domain.Substring(0, 9)
    $keysOnLine = "-EndpointUrl $($bed.Endpoint) -AccessKey $($bed.AccessKey) -SecretKey $($bed.SecretKey)"
}

Describe 'Tab completion of SES identities' {
    It 'uses $StoredAWSRegion when -Region is not on the line' {
        Get-Completion "`$StoredAWSRegion = '$region'" "Get-SesDomainVerification $keysOnLine -Domain $prefix" | Should -Be $domain
    }

    It 'uses AWS_REGION and the environment''s credentials and endpoint when nothing is on the line' {
        $setup = "`$env:AWS_REGION = '$region'; `$env:AWS_ACCESS_KEY_ID = '$($bed.AccessKey)'; `$env:AWS_SECRET_ACCESS_KEY = `$env:OCDSAWS_TEST_SECRET_KEY; " +
            "`$env:AWS_ENDPOINT_URL = '$($bed.Endpoint)'"
        Get-Completion $setup "Get-SesDomainVerification -Domain $prefix" | Should -Be $domain
    }

    It 'uses the region and keys of -ProfileName' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "ocdsaws-completion-$([guid]::NewGuid().ToString('n'))"
        try {
            Set-Content -Path $file -Value "[completion]`naws_access_key_id = $($bed.AccessKey)`naws_secret_access_key = $($bed.SecretKey)`nregion = $region"
            Get-Completion '' "Get-SesDomainVerification -ProfileName completion -ProfileLocation $file -EndpointUrl $($bed.Endpoint) -Domain $prefix" | Should -Be $domain
        }
        finally { Remove-Item $file -ErrorAction SilentlyContinue }
    }

    It 'uses the profile named by $StoredAWSCredentials (as Set-AWSCredential -ProfileName leaves it)' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "ocdsaws-completion-$([guid]::NewGuid().ToString('n'))"
        try {
            Set-Content -Path $file -Value "[completion]`naws_access_key_id = $($bed.AccessKey)`naws_secret_access_key = $($bed.SecretKey)`nregion = $region"
            Get-Completion "`$StoredAWSCredentials = 'completion'" "Get-SesDomainVerification -ProfileLocation $file -EndpointUrl $($bed.Endpoint) -Domain $prefix" |
                Should -Be $domain
        }
        finally { Remove-Item $file -ErrorAction SilentlyContinue }
    }
}

Describe 'Tab completion of -Region' {
    It 'offers the commercial partition''s regions before any iso, GovCloud or China region' {
        $regions = @(Get-Completion "`$env:AWS_REGION = 'eu-west-1'" 'Get-SesAccount -Region ')
        $regions | Should -Contain 'eu-west-1'
        $regions | Should -Contain 'us-gov-west-1'
        $firstOther = [array]::FindIndex([string[]] $regions, [Predicate[string]] { param($r) $r -match '^(cn|us-gov|us-iso[a-z]*|eu-isoe|us-isof)-' })
        $lastCommercial = [array]::FindLastIndex([string[]] $regions, [Predicate[string]] { param($r) $r -match '^(af|ap|ca|eu|il|me|mx|sa|us)-(?!gov|iso)' })
        $lastCommercial | Should -BeLessThan $firstOther
    }

    It 'offers the session''s own partition first when its region is in GovCloud' {
        $regions = @(Get-Completion "`$StoredAWSRegion = 'us-gov-west-1'" 'Get-SesAccount -Region ')
        $regions[0] | Should -BeLike 'us-gov-*'
    }
}
