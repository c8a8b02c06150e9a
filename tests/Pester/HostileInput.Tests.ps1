# Hostile input and errors with context (#16 items 1 and 10, #15 item 10) through the published module, as a user meets them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $aws = @{ AccessKey = $bed.AccessKey; SecretKey = $bed.SecretKey; EndpointUrl = $bed.Endpoint; Region = 'eu-west-1' }

    # Runs a script in a child pwsh that imports the published module and gives up after $Seconds: what used to hang
    # (a FIFO, a self-referencing credential object) must come back, and a hang must fail the test, not the run.
    function Invoke-Bounded([string] $Script, [int] $Seconds = 60) {
        $pwsh = [Environment]::ProcessPath
        $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
        if ((Split-Path -Leaf $pwsh) -match '^dotnet(\.exe)?$') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$($bed.Module)'; `$ErrorActionPreference = 'Continue'; $Script") { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($info)
        $out = $process.StandardOutput.ReadToEndAsync()
        $err = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($Seconds * 1000)) { $process.Kill($true); throw "did not finish within $Seconds s: $Script" }
        [pscustomobject]@{ Output = $out.Result; Errors = $err.Result }
    }
}

Describe 'HostileInput: refused before any AWS call' {
    It 'refuses a FIFO given as a message file at once instead of blocking for good' {
        $fifo = Join-Path ([IO.Path]::GetTempPath()) "pester-fifo-$([guid]::NewGuid().ToString('n'))"
        & mkfifo $fifo
        try {
            $r = Invoke-Bounded "Test-DmarcCompliance -Path '$fifo' -DnsServer 127.0.0.1:9 -ErrorVariable e -ErrorAction SilentlyContinue; `$e[0].FullyQualifiedErrorId; `$e[0].CategoryInfo.Category; `$e[0].Exception.Message"
            $lines = $r.Output -split "`n" | ForEach-Object Trim
            $lines[0] | Should -BeLike 'OcdsAws.NotAMessage,*'
            $lines[1] | Should -Be 'InvalidArgument'
            $lines[2] | Should -BeLike '*is a named pipe (FIFO), not a regular file*'
        }
        finally { Remove-Item -LiteralPath $fifo -ErrorAction SilentlyContinue }
    }

    It 'refuses a self-referencing $StoredAWSCredentials instead of looping at 100 % CPU' {
        $r = Invoke-Bounded "class Loop { `$Credentials }; `$x = [Loop]::new(); `$x.Credentials = `$x; `$StoredAWSCredentials = `$x; try { Get-SesAccount -Region eu-west-1 -EndpointUrl '$($bed.Endpoint)' } catch { `$_.FullyQualifiedErrorId }"
        $r.Output.Trim() | Should -BeLike 'OcdsAws.SelfReferencingValue,*'
    }

    It 'refuses a line break in -AccessKey up front, with no call and without showing the key' {
        $bad = @{} + $aws
        $bad.AccessKey = "$($bed.AccessKey)`r`nX-Injected: 1"
        # A session problem stops the cmdlet (a terminating error) before any call.
        $calls = @()
        $failure = $null
        try {
            Get-SesAccount @bad -Verbose 4>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'AWS call:*') { $calls += $_ } }
        }
        catch { $failure = $_ }
        $calls | Should -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'OcdsAws.InvalidKeyText,*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$failure" | Should -Not -BeLike '*X-Injected*'
    }

    It 'refuses an -EndpointUrl with a password without showing the password' {
        $failure = $null
        try { Get-SesAccount @aws -EndpointUrl 'http://bob:hunter2@127.0.0.1:9' } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'OcdsAws.InvalidEndpointUrl,*'
        $failure.Exception.Message | Should -BeLike "*'http://bob:``*``*``*@127.0.0.1:9'*"
        "$failure" | Should -Not -BeLike '*hunter2*'
    }

    It 'refuses an unknown region, naming its neighbours' {
        $failure = $null
        try { Get-SesAccount @aws -Region eu-west-9 } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'OcdsAws.UnknownRegion,*'
        $failure.Exception.Message | Should -BeLike '*eu-west-1, eu-west-2, eu-west-3*'
    }
}

Describe 'HostileInput: errors say where and what next' {
    It 'names the region a missing identity was looked for in' {
        Get-SesDomainVerification "missing-$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example" @aws -Region eu-west-2 -DnsServer $bed.DnsServer -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure[0].ErrorDetails.Message | Should -BeLike '*looked in region eu-west-2*'
    }
}
