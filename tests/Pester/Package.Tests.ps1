# The package as users get it: PSResourceGet installs the nupkg from a local folder repository, a fresh
# pwsh imports it and talks to moto. And what Windows PowerShell 5.1 needs, checked without running it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    if (-not $env:OCDSAWS_PACKAGE) { throw 'OCDSAWS_PACKAGE is not set: run the tests with build.ps1 -Task Test.' }
}

Describe 'The OcdsAws package' {
    It 'installs with PSResourceGet and works in a fresh pwsh' {
        $feed = Split-Path $env:OCDSAWS_PACKAGE
        $modules = Join-Path $TestDrive 'modules'
        $home_ = Join-Path $TestDrive 'home'
        # .NET reports a missing ~/.config as "", and NuGet then writes NuGet/NuGet.Config into the current folder.
        New-Item -ItemType Directory -Force $home_, $modules, (Join-Path $home_ '.config'), (Join-Path $home_ '.local/share') | Out-Null
        # The child starts with its own HOME (it must inherit it: .NET reads it at start), so the repository
        # registration stays out of the user's PSResourceGet settings.
        $savedHome = $env:HOME
        try {
            $env:HOME = $home_
            $install = Invoke-ChildPwsh ("`$ErrorActionPreference = 'Stop'; Register-PSResourceRepository -Name OcdsAwsTest -Uri '$feed' -Trusted; " +
                "Save-PSResource -Name OcdsAws -Repository OcdsAwsTest -Path '$modules' -TrustRepository -PassThru | ForEach-Object { 'saved ' + `$_.Name + ' ' + `$_.Version }")
        }
        finally { $env:HOME = $savedHome }
        $install.Output | Should -Contain "saved OcdsAws $((Import-PowerShellDataFile $bed.Module).ModuleVersion)"
        $manifest = Get-ChildItem -Recurse (Join-Path $modules 'OcdsAws') -Filter OcdsAws.psd1 | Select-Object -First 1
        $manifest | Should -Not -BeNullOrEmpty

        $run = Invoke-ChildPwsh "Import-Module '$($manifest.FullName)'; (Get-OcdsAwsContext -EndpointUrl '$($bed.Endpoint)' -AccessKey '$($bed.AccessKey)' -SecretKey `$env:OCDSAWS_TEST_SECRET_KEY).Account"
        $run.Output | Should -Contain '123456789012'
    }

    It 'holds exactly the files build/module-files.txt lists' {
        $folder = Split-Path $bed.Module
        $listed = Get-Content (Join-Path $PSScriptRoot '../../build/module-files.txt') | ForEach-Object { $_.Trim() } |
            Where-Object { $_ -and -not $_.StartsWith('#') } | ForEach-Object { $_ -replace '^\{ReadyToRun\}', "dependencies/$($bed.ReadyToRunFolder)" }
        if ((Get-RuntimeFolder) -ne $bed.ReadyToRunFolder) { $listed = $listed | Where-Object { $_ -notlike "dependencies/$($bed.ReadyToRunFolder)/*" } }
        $shipped = Get-ChildItem $folder -File -Recurse | ForEach-Object { [IO.Path]::GetRelativePath($folder, $_.FullName).Replace('\', '/') }
        Compare-Object @($listed) @($shipped) | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" } | Should -BeNullOrEmpty
        $listed.Count | Should -BeGreaterThan 30
    }

    It 'carries the metadata galleries show' {
        $data = Import-PowerShellDataFile $bed.Module
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.PrivateData.PSData.Tags | Should -Contain 'SES'
        $data.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
        $data.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
        $data.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'ships only assemblies Windows PowerShell 5.1 can load' {
        # 5.1 cannot run here. What it needs is checkable: the module targets netstandard2.0 and references no
        # .NET Core-only assembly, and every dependency targets netstandard2.0 or .NET Framework.
        $folder = Split-Path $bed.Module
        # The ReadyToRun copies load only on the runtime they were compiled for (DependencyLoader.cs); 5.1 takes their IL twins.
        foreach ($dll in Get-ChildItem $folder -Recurse -Filter *.dll | Where-Object { (Split-Path -Leaf $_.DirectoryName) -ne $bed.ReadyToRunFolder }) {
            $stream = [IO.File]::OpenRead($dll.FullName)
            try {
                $reader = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                $md = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($reader)
                $target = $null
                foreach ($h in $md.GetAssemblyDefinition().GetCustomAttributes()) {
                    $attribute = $md.GetCustomAttribute($h)
                    if ($attribute.Constructor.Kind -ne 'MemberReference') { continue }
                    $ctor = $md.GetMemberReference([System.Reflection.Metadata.MemberReferenceHandle]$attribute.Constructor)
                    if ($ctor.Parent.Kind -ne 'TypeReference') { continue }
                    $type = $md.GetTypeReference([System.Reflection.Metadata.TypeReferenceHandle]$ctor.Parent)
                    if ($md.GetString($type.Name) -eq 'TargetFrameworkAttribute') {
                        $blob = $md.GetBlobBytes($attribute.Value)
                        $target = [Text.Encoding]::UTF8.GetString($blob, 3, $blob[2])
                    }
                }
                $references = @($md.AssemblyReferences | ForEach-Object { $md.GetString($md.GetAssemblyReference($_).Name) })
            }
            finally { $stream.Dispose() }
            if ($target) {
                $target | Should -Match '^\.NET(Standard,Version=v2\.0|Framework,Version=v4\.\d+)' -Because "$($dll.Name) must load on Windows PowerShell 5.1"
            }
            else {
                # Small facades carry no TargetFramework attribute: what they reference tells the same.
                $references | Should -Not -Contain 'System.Runtime' -Because "$($dll.Name) must not need .NET Core"
                ($references -contains 'netstandard' -or $references -contains 'mscorlib') | Should -BeTrue -Because "$($dll.Name) must be a netstandard/.NET Framework build"
            }
            if ($dll.Name -eq 'OcdsAws.dll') {
                $references | Should -Not -Contain 'System.Runtime' -Because 'a netstandard2.0 build references netstandard, not .NET Core facades'
                $references | Should -Contain 'netstandard'
            }
        }
    }

    It 'precompiles the AWSSDK, MimeKit, DnsClient and OcdsAws.Engine copies for the pwsh runtime, each beside its IL twin' {
        $dependencies = Join-Path (Split-Path $bed.Module) 'dependencies'
        $precompiled = @(Get-ChildItem (Join-Path $dependencies $bed.ReadyToRunFolder) -Filter *.dll)
        $precompiled.Name | Should -Contain 'AWSSDK.Core.dll'
        $precompiled.Name | Should -Contain 'AWSSDK.EC2.dll'
        $precompiled.Name | Should -Contain 'MimeKit.dll'
        $precompiled.Name | Should -Contain 'OcdsAws.Engine.dll'
        function Get-Image([string] $Path) {
            $stream = [IO.File]::OpenRead($Path)
            try {
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                $name = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe).GetAssemblyDefinition().GetAssemblyName()
                [pscustomobject]@{ Name = $name.FullName; ReadyToRun = $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 }
            }
            finally { $stream.Dispose() }
        }
        foreach ($dll in $precompiled) {
            $twin = Join-Path $dependencies $dll.Name
            $twin | Should -Exist
            $r2r = Get-Image $dll.FullName
            $il = Get-Image $twin
            $r2r.ReadyToRun | Should -BeTrue -Because "$($dll.Name) is precompiled"
            $il.ReadyToRun | Should -BeFalse -Because "its twin is the plain IL build 5.1 loads"
            $r2r.Name | Should -Be $il.Name
        }
        # The RootModule is loaded by path on every platform, Windows PowerShell included: plain IL, one file.
        (Get-Image (Join-Path (Split-Path $bed.Module) 'OcdsAws.dll')).ReadyToRun | Should -BeFalse
    }
}
