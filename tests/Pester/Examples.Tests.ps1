# The runbook scripts users copy, against moto and the loopback DNS server: they run, -WhatIf changes
# nothing, and a re-run makes no successful change. And the CI examples parse and call what exists.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $examples = Join-Path $PSScriptRoot '../../examples'
    $env:AWS_ACCESS_KEY_ID = $bed.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $bed.SecretKey
    $env:AWS_ENDPOINT_URL = $bed.Endpoint   # the SDK's own override: the scripts run exactly as written

    # Runs a script with -Verbose and returns its output and the AWS calls it made.
    function Invoke-Example([string] $Script, [hashtable] $Arguments) {
        $all = & (Join-Path $examples $Script) @Arguments -Verbose 4>&1 3>$null
        [pscustomobject]@{
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            Calls  = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'AWS call:*' } | ForEach-Object Message)
        }
    }

    # A change that happened: a mutating operation answered with success.
    function Get-Change($Run) { @($Run.Calls | Where-Object { $_ -match 'AWS call: \S+( \S+)? (Create|Put|Set|Enable|Delete|Subscribe|Authorize|Run|Modify|Associate|Attach|Request|Verify)\w* -> HTTP 2' }) }
}

AfterAll { Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY, Env:AWS_ENDPOINT_URL -ErrorAction SilentlyContinue }

Describe 'examples/Initialize-SesDomain.ps1' {
    It 'verifies the domain, writes the records, sets MAIL FROM, and a re-run changes nothing' {
        $domain = "d$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $records = Join-Path $TestDrive 'ses.zone'
        $arguments = @{ Domain = $domain; Region = 'eu-west-1'; RecordsPath = $records; MailFromSubdomain = 'bounce'; DnsServer = $bed.DnsServer }
        $first = Invoke-Example 'Initialize-SesDomain.ps1' $arguments
        ($first.Output | Where-Object { $_ -is [OcdsAws.Ses.SesDomainVerification] }).Domain | Should -Be $domain
        (Get-Content -Raw $records) | Should -Match "(?m)^\S+\._domainkey\.$([regex]::Escape($domain))\. \d+ IN CNAME "
        (Get-Content -Raw $records) | Should -BeLike "*bounce.$domain. * IN MX 10 feedback-smtp.eu-west-1.amazonses.com.*"
        (Get-Change $first).Count | Should -BeGreaterThan 0

        $again = Invoke-Example 'Initialize-SesDomain.ps1' $arguments
        Get-Change $again | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $run = Invoke-Example 'Initialize-SesDomain.ps1' @{ Domain = 'whatif.pester.example'; Region = 'eu-west-1'; DnsServer = $bed.DnsServer; WhatIf = $true }
        $run.Calls | Should -BeNullOrEmpty
    }
}

Describe 'examples/Initialize-SesSender.ps1' {
    BeforeAll {
        # SES receives mail only for verified domains: when the sender's mail is captured, its domain must be verified
        # (the runbook's first step; the test bed plays SES's check).
        New-SesDomainVerification -Domain example.org -Region eu-west-1 -DnsServer $bed.DnsServer -WarningAction SilentlyContinue | Out-Null
        $status = @{ account = (Get-OcdsAwsContext -Region eu-west-1).Account; region = 'eu-west-1'; identity = 'example.org'; verification = 'SUCCESS'; dkim = 'SUCCESS' } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri ($bed.Endpoint.TrimEnd('/') + '/ocds-testbed/sesv2/identity-status') -ContentType 'application/json' -Body $status | Out-Null
    }

    It 'verifies the sender, sets up notifications, and a re-run changes nothing' {
        $address = "s$([guid]::NewGuid().ToString('n').Substring(0, 8))@example.org"
        $arguments = @{ EmailAddress = $address; Subscribe = 'ops@example.org'; Region = 'eu-west-1'; DnsServer = $bed.DnsServer }
        $first = Invoke-Example 'Initialize-SesSender.ps1' $arguments
        ($first.Output | Where-Object { $_ -is [OcdsAws.Notifications.SesIdentityNotification] }).HeadersInBounceNotificationsEnabled | Should -BeTrue
        $again = Invoke-Example 'Initialize-SesSender.ps1' $arguments
        Get-Change $again | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf, SMTP credentials included' {
        $run = Invoke-Example 'Initialize-SesSender.ps1' @{ EmailAddress = 'whatif@example.org'; SmtpUserName = 'ses-smtp-whatif'; NewSmtpCredential = $true; Region = 'eu-west-1'; DnsServer = $bed.DnsServer; WhatIf = $true }
        Get-Change $run | Should -BeNullOrEmpty
    }
}

Describe 'examples/Initialize-AuroraDatabase.ps1' {
    It 'builds the network and cluster, runs SQL through the Data API, and a re-run changes nothing' {
        $name = "a$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $arguments = @{ Name = $name; DBClusterIdentifier = $name; Region = 'us-east-1' }
        $first = Invoke-Example 'Initialize-AuroraDatabase.ps1' $arguments
        $cluster = $first.Output | Where-Object { $_ -is [OcdsAws.Aurora.AuroraCluster] }
        $cluster.HttpEndpointEnabled | Should -BeTrue
        $cluster.SecondsUntilAutoPause | Should -Be 3600
        $again = Invoke-Example 'Initialize-AuroraDatabase.ps1' $arguments
        Get-Change $again | Should -BeNullOrEmpty
        Remove-AuroraServerlessCluster -DBClusterIdentifier $name -SkipFinalSnapshot -Force -Region us-east-1 | Out-Null
        Remove-AuroraNetwork -Name $name -Force -Region us-east-1 | Out-Null
    }

    It 'changes nothing with -WhatIf' {
        $run = Invoke-Example 'Initialize-AuroraDatabase.ps1' @{ DBClusterIdentifier = 'whatif'; Region = 'us-east-1'; WhatIf = $true }
        Get-Change $run | Should -BeNullOrEmpty
    }
}

Describe 'CI examples' {
    It '<Name> parses as YAML and calls only cmdlets and scripts that exist' -ForEach @(
        @{ Name = 'github-actions.yml' }, @{ Name = 'azure-pipelines.yml' }
    ) {
        $path = Join-Path $examples "ci/$Name"
        & $bed.Python -c "import sys, yaml; yaml.safe_load(open(sys.argv[1]))" $path
        $LASTEXITCODE | Should -Be 0
        $text = Get-Content -Raw $path
        foreach ($script in [regex]::Matches($text, '\./examples/[\w.-]+\.ps1').Value) {
            Join-Path $PSScriptRoot "../../$($script.Substring(2))" | Should -Exist
        }
        $scripts = [regex]::Matches($text, '\./examples/([\w.-]+)\.ps1').ForEach({ $_.Groups[1].Value })
        $cmdlets = [regex]::Matches($text, '\b[A-Z][a-z]+-(?:Ses|Smtp|Aurora|OcdsAws|Dmarc|Dns)\w*\b').Value | Sort-Object -Unique | Where-Object { $_ -notin $scripts }
        $cmdlets | Should -Not -BeNullOrEmpty
        foreach ($cmdlet in $cmdlets) { Get-Command $cmdlet -Module OcdsAws -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "$Name calls $cmdlet" }
    }
}
