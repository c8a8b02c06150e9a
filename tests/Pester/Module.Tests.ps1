# The published module as users get it, imported into this (child) pwsh, against moto with signature checking on.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
}

Describe 'The published module' {
    It 'has a valid manifest whose version comes from Directory.Build.props' {
        $manifest = Test-ModuleManifest $bed.Module
        $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props'))
        $manifest.Version.ToString() | Should -Be $props.SelectSingleNode('/Project/PropertyGroup/OcdsAwsVersion').InnerText
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $listed = (Import-PowerShellDataFile $bed.Module).CmdletsToExport | Sort-Object
        (Get-Command -Module OcdsAws).Name | Sort-Object | Should -Be $listed
    }

    It 'keeps its dependencies out of the module root' {
        $folder = Split-Path $bed.Module
        (Get-ChildItem $folder -Filter *.dll).Name | Should -Be 'OcdsAws.dll'
        Join-Path $folder 'dependencies/AWSSDK.Core.dll' | Should -Exist
    }
}

Describe 'Get-OcdsAwsContext' {
    It 'returns moto''s account and the region' {
        $context = Get-OcdsAwsContext -EndpointUrl $bed.Endpoint -AccessKey $bed.AccessKey -SecretKey $bed.SecretKey -Region eu-west-1
        $context.Account | Should -Be '123456789012'
        $context.Region | Should -Be 'eu-west-1'
        $context.Arn | Should -BeLike '*:user/ocdsaws-test'
        ($context.Endpoints | Where-Object Service -eq 'SESv2').Url | Should -Be $bed.Endpoint.TrimEnd('/')
    }

    It 'takes credentials from the environment as the SDK does' {
        $env:AWS_ACCESS_KEY_ID = $bed.AccessKey
        $env:AWS_SECRET_ACCESS_KEY = $bed.SecretKey
        try {
            $context = Get-OcdsAwsContext -EndpointUrl $bed.Endpoint
            $context.Account | Should -Be '123456789012'
            $context.CredentialSource | Should -BeLike 'environment variables*'
        }
        finally { Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY }
    }

    It 'reports a wrong secret key as a security error record' {
        $result = Get-OcdsAwsContext -EndpointUrl $bed.Endpoint -AccessKey $bed.AccessKey -SecretKey 'not-the-key' -ErrorVariable failure -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failure[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'Aws.SignatureDoesNotMatch,*'
    }

    It 'writes one Verbose line per AWS call' {
        $verbose = Get-OcdsAwsContext -EndpointUrl $bed.Endpoint -AccessKey $bed.AccessKey -SecretKey $bed.SecretKey -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose | Where-Object Message -like 'AWS call:*').Count | Should -Be 1
        $verbose.Message | Should -Match '^AWS call: STS GetCallerIdentity -> HTTP 200, 1 attempt, \d+ ms, request id \S+$'
    }

    It 'runs the precompiled (ReadyToRun) AWSSDK and OcdsAws.Engine on the runtime they were compiled for, the IL copies elsewhere' {
        $run = Invoke-ChildPwsh ("Import-Module '$($bed.Module)'; Get-OcdsAwsContext -EndpointUrl '$($bed.Endpoint)' -AccessKey '$($bed.AccessKey)' -SecretKey `$env:OCDSAWS_TEST_SECRET_KEY | Out-Null; " +
            "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'AWSSDK.Core', 'AWSSDK.SecurityToken', 'OcdsAws.Engine' } | ForEach-Object Location")
        $locations = @($run.Output | Where-Object { $_ -like '*AWSSDK*' -or $_ -like '*OcdsAws.Engine*' })
        $locations.Count | Should -Be 3
        $expected = if ((Get-RuntimeFolder) -eq $bed.ReadyToRunFolder) { $bed.ReadyToRunFolder } else { 'dependencies' }
        $locations | ForEach-Object { Split-Path -Leaf (Split-Path $_) | Should -Be $expected }
    }

    It 'runs with -Debug alone in a non-interactive job without prompting' {
        # PowerShell sets a compiled cmdlet's Verbose preference to Inquire under -Debug alone; CI cannot answer.
        $run = Invoke-ChildPwsh "Import-Module '$($bed.Module)'; (Get-OcdsAwsContext -EndpointUrl '$($bed.Endpoint)' -AccessKey '$($bed.AccessKey)' -SecretKey `$env:OCDSAWS_TEST_SECRET_KEY -Debug 5>&1) | ForEach-Object { if (`$_.Account) { `$_.Account } else { `"`$_`" } }"
        $run.Output | Should -Contain '123456789012'
        ($run.Output | Where-Object { $_ -like 'AWS call: STS GetCallerIdentity*' }) | Should -Not -BeNullOrEmpty
        ($run.Output -join "`n") | Should -Not -BeLike '*NonInteractive*'
    }

    It 'never lets a secret reach the transcript, any stream or an error view' {
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $ErrorView = 'DetailedView'
        # Secrets arrive in variables, as in real scripts (a literal on the command line is echoed by PowerShell itself).
        $wrongSecret = 'leaky-wrong-secret-42'
        $token = 'leaky-token-43'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $all = & {
                Get-OcdsAwsContext -EndpointUrl $bed.Endpoint -AccessKey $bed.AccessKey -SecretKey $bed.SecretKey -Verbose -Debug
                Get-OcdsAwsContext -EndpointUrl $bed.Endpoint -AccessKey $bed.AccessKey -SecretKey $wrongSecret -SessionToken $token -Verbose -Debug -ErrorAction Continue
            } *>&1 | Out-String -Width 400
            $all | Out-Host
        }
        finally { Stop-Transcript | Out-Null }
        $text = $all + (Get-Content -Raw $transcript) + ($Error | Out-String -Width 400)
        $text | Should -Not -BeLike "*$($bed.SecretKey)*"
        $text | Should -Not -BeLike '*leaky-wrong-secret-42*'
        $text | Should -Not -BeLike '*leaky-token-43*'
        $text | Should -BeLike '*credentials from parameters -AccessKey/-SecretKey*'
    }
}

Describe 'The manifest''s links' {
    BeforeAll {
        $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
        $psData = (Import-PowerShellDataFile $bed.Module).PrivateData.PSData
        # ProjectUri names the repository; a link to one of its files is <ProjectUri>/blob/main/<path>.
        $prefix = "$($psData.ProjectUri)/blob/main/"
    }

    It 'LicenseUri points at the repository''s LICENSE, which exists and names the copyright holder' {
        $psData.LicenseUri | Should -BeLike "$prefix*"
        $path = Join-Path $repo $psData.LicenseUri.Substring($prefix.Length)
        $path | Should -Exist
        Get-Content -Raw $path | Should -Match 'Copyright \(c\) \d{4} Open Contracting Partnership'
    }

    It 'ReleaseNotes link to CHANGELOG.md, which exists and has an entry for the manifest''s version and none later' {
        $manifest = Test-ModuleManifest $bed.Module
        $psData.ReleaseNotes | Should -Match ([regex]::Escape("${prefix}CHANGELOG.md"))
        $path = Join-Path $repo 'CHANGELOG.md'
        $path | Should -Exist
        $versions = @([regex]::Matches((Get-Content -Raw $path), '(?m)^## (\d+\.\d+\.\d+)\b').ForEach({ [version]$_.Groups[1].Value }))
        $versions | Should -Contain $manifest.Version
        $versions | Where-Object { $_ -gt $manifest.Version } | Should -BeNullOrEmpty
    }
}
