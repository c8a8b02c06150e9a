# The DNS hand-off through the published module (#15 item 2, #16 items 1 and 6): what Export-DnsRecord writes, what a
# DNS host ends with when it imports that as written (the loopback DNS server re-reads its zone file), and what
# Test-DnsRecord and a re-run say about it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $aws = @{ AccessKey = $bed.AccessKey; SecretKey = $bed.SecretKey; EndpointUrl = $bed.Endpoint; Region = 'eu-west-1' }
    $dns = @{ DnsServer = $bed.DnsServer }

    # What an import does at a DNS host: every zone line is added, comments are not (the test server then re-reads the file).
    function Import-ZoneText([string] $Text) {
        Add-Content -Path $bed.ZoneFile -Value ($Text -split "`n" | Where-Object { $_ -and -not $_.StartsWith(';') })
        Start-Sleep -Milliseconds 700
    }
    function Remove-ZoneLine([string] $Like) {
        Set-Content -Path $bed.ZoneFile -Value @(Get-Content $bed.ZoneFile | Where-Object { $_ -notlike $Like })
        Start-Sleep -Milliseconds 700
    }
}

Describe 'DNS hand-off: SPF update' {
    It 'imported as written leaves one SPF record; two are a Conflict; the re-run says to delete the old one' {
        $domain = "spf$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $old = 'v=spf1 include:_spf.google.com ~all'
        $merged = 'v=spf1 include:_spf.google.com include:amazonses.com ~all'
        Import-ZoneText "$domain. 3600 IN TXT `"$old`""

        $v = New-SesDomainVerification $domain @aws @dns -InboundMx Never -WarningAction SilentlyContinue
        $spf = $v.DnsRecords | Where-Object { $_.Type -eq 'TXT' -and $_.Name -eq $domain }
        $spf.Action | Should -Be 'Update'
        $spf.CurrentValue | Should -Be $old
        $spf.Value | Should -Be $merged

        # Every format says which record the update replaces.
        $bind = $v | Export-DnsRecord -Format Bind
        $bind | Should -BeLike "*; update: edit the existing record*replace*;   $domain. IN TXT `"$old`"*; with*;   $domain. 1800 IN TXT `"$merged`"*"
        ($v | Export-DnsRecord -Format Csv) -split "`r`n" | Where-Object { $_ -like "TXT,$($domain.Split('.')[0]),*" } | Should -Be "TXT,$($domain.Split('.')[0]),$merged,,1800,Update,SPF: lets SES send for the domain,$old"
        $json = $v | Export-DnsRecord -Format Json | ConvertFrom-Json
        ($json | Where-Object Action -eq 'Update').CurrentValue | Should -Be $old

        # Imported as written: still one SPF record (the old one), so the check says Different, never Present.
        Import-ZoneText $bind
        $check = $v | Test-DnsRecord @dns | Where-Object { $_.Type -eq 'TXT' -and $_.Name -eq $domain }
        @($check.Found) | Should -Be @($old)
        $check.Status | Should -Be 'Different'

        # What the old export led to: the merged record added beside the old one. Two SPF records are a failure.
        Import-ZoneText "$domain. 1800 IN TXT `"$merged`""
        $check = $v | Test-DnsRecord @dns | Where-Object { $_.Type -eq 'TXT' -and $_.Name -eq $domain }
        $check.Status | Should -Be 'Conflict'
        $check.Error | Should -BeLike "*keep `"$merged`" and delete `"$old`"*"

        # The re-run's advice names the old record for deletion, never the merged one.
        $again = New-SesDomainVerification $domain @aws @dns -InboundMx Never -WarningVariable warnings -WarningAction SilentlyContinue
        $permerror = @($warnings | Where-Object { "$_" -like '*permerror*' })
        $permerror | Should -HaveCount 1
        "$($permerror[0])" | Should -BeLike "*delete the other: `"$old`"."
        $records = $again.DnsRecords | Where-Object { $_.Type -eq 'TXT' -and $_.Name -eq $domain }
        ($records | Where-Object Action -eq 'Keep').Value | Should -Be $merged
        ($records | Where-Object Action -eq 'Remove').Value | Should -Be $old
        ($again | Export-DnsRecord) | Should -BeLike "*; remove: delete this record at your DNS host: $domain. 1800 IN TXT `"$old`"*"

        # Following that advice leaves one SPF record, which is Present.
        Remove-ZoneLine "$domain. * IN TXT `"$old`""
        $final = $again | Test-DnsRecord @dns | Where-Object { $_.Type -eq 'TXT' -and $_.Name -eq $domain }
        ($final | Where-Object { $_.Record.Action -eq 'Keep' }).Status | Should -Be 'Present'
        ($final | Where-Object { $_.Record.Action -eq 'Remove' }).Status | Should -Be 'Missing'
    }
}

Describe 'DNS hand-off: Export-DnsRecord -Path' {
    BeforeAll {
        $dir = New-Item -ItemType Directory -Path (Join-Path ([System.IO.Path]::GetTempPath()) ("ocdsaws-handoff-" + [guid]::NewGuid().ToString('n').Substring(0, 8)))
        $record = @{ Zone = 'example.org'; Name = 'www.example.org'; HostLabel = 'www'; Type = 'A'; Value = '192.0.2.1'; Ttl = 60 }
    }
    AfterAll { Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue }

    It 'keeps an existing file unless -Force is given, as Out-File -NoClobber does' {
        $file = Join-Path $dir 'records.zone'
        Export-DnsRecord -InputObject $record -Path $file
        Get-Content -Raw $file | Should -Be "www.example.org. 60 IN A 192.0.2.1`n"
        Set-Content $file 'mine'
        # A bad -Path stops the cmdlet (a terminating error), as Out-File -NoClobber does.
        $failure = try { Export-DnsRecord -InputObject $record -Path $file; $null } catch { $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'OcdsAws.FileExists,*'
        $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-Content $file) | Should -Be 'mine'
        Export-DnsRecord -InputObject $record -Path $file -Force
        Get-Content -Raw $file | Should -Be "www.example.org. 60 IN A 192.0.2.1`n"
    }

    It 'refuses a FIFO at once instead of waiting for a reader' -Skip:($IsWindows) {
        $fifo = Join-Path $dir 'fifo'
        & mkfifo $fifo
        $job = Start-ThreadJob { param($module, $record, $fifo) Import-Module $module; try { Export-DnsRecord -InputObject $record -Path $fifo -Force; 'written' } catch { $_.FullyQualifiedErrorId } } -ArgumentList $bed.Module, $record, $fifo
        $done = Wait-Job $job -Timeout 60
        $done | Should -Not -BeNullOrEmpty -Because 'writing to a FIFO no one reads must not hang'
        Receive-Job $job | Should -BeLike 'OcdsAws.NotARegularFile,*'
        Remove-Job $job -Force
    }

    It 'refuses a line break in a name, writing nothing' {
        $file = Join-Path $dir 'injected.zone'
        $failure = try { Export-DnsRecord -InputObject @{ Name = "www.example.org`n@ 60 IN NS ns.evil.example"; Type = 'A'; Value = '192.0.2.1' } -Path $file; $null } catch { $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'OcdsAws.InvalidDnsRecord,*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $file | Should -Not -Exist
    }
}

Describe 'DNS hand-off: DMARC reports and the SPF-alignment warning' {
    It 'proposes rua for -DmarcReportAddress and warns about SPF alignment once per identity and session' {
        $domain = "rua$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $v = New-SesDomainVerification $domain @aws @dns -InboundMx Never -DmarcReportAddress "dmarc@$domain" -WarningVariable first -WarningAction SilentlyContinue
        ($v.DnsRecords | Where-Object Name -eq "_dmarc.$domain").Value | Should -Be "v=DMARC1; p=none; rua=mailto:dmarc@$domain"
        ($v | Export-DnsRecord) | Should -BeLike "*_dmarc.$domain. 1800 IN TXT `"v=DMARC1; p=none; rua=mailto:dmarc@$domain`"*"
        @($first | Where-Object { "$_" -like '*does not align*' }) | Should -HaveCount 1
        $null = 1..2 | ForEach-Object { Get-SesDomainVerification $domain @aws @dns -InboundMx Never -WarningVariable +later -WarningAction SilentlyContinue }
        @($later | Where-Object { "$_" -like '*does not align*' }) | Should -HaveCount 0
    }
}
