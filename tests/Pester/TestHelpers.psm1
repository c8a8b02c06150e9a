# Shared by the Pester files: the published module, moto and the test key that build.ps1 provides.

function Get-TestBed {
    foreach ($name in 'OCDSAWS_MODULE', 'OCDSAWS_TEST_ENDPOINT', 'OCDSAWS_TEST_ACCESS_KEY', 'OCDSAWS_TEST_SECRET_KEY') {
        if (-not [Environment]::GetEnvironmentVariable($name)) { throw "$name is not set: run the tests with 'dotnet pwsh ./build.ps1 -Task Test'." }
    }
    [pscustomobject]@{
        Module    = $env:OCDSAWS_MODULE
        Endpoint  = $env:OCDSAWS_TEST_ENDPOINT
        AccessKey = $env:OCDSAWS_TEST_ACCESS_KEY
        SecretKey = $env:OCDSAWS_TEST_SECRET_KEY
        Packages  = $env:OCDSAWS_PACKAGES
        Python    = $env:OCDSAWS_PYTHON
        DnsServer = $env:OCDSAWS_DNS_SERVER
        ZoneFile  = $env:OCDSAWS_ZONE_FILE
        # Directory.Build.props is the one source of the ReadyToRun folder name (net10.0-linux-x64 today).
        ReadyToRunFolder = & {
            $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props'))
            '{0}-{1}' -f $props.SelectSingleNode('/Project/PropertyGroup/ReadyToRunFramework').InnerText, $props.SelectSingleNode('/Project/PropertyGroup/ReadyToRunRid').InnerText
        }
    }
}

# This process's runtime in the ReadyToRun folder's terms (DependencyLoader.CurrentRuntimeFolder).
function Get-RuntimeFolder {
    $os = if ($IsLinux) { 'linux' } elseif ($IsMacOS) { 'osx' } else { 'win' }
    'net{0}.0-{1}-{2}' -f [Environment]::Version.Major, $os, "$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant()
}

# Runs a script in a fresh pwsh (so assembly loading starts clean) and returns its output lines.
function Invoke-ChildPwsh([string] $Script) {
    # As a dotnet tool this pwsh runs as `dotnet pwsh.dll`: start the child the same way.
    $pwsh = [Environment]::ProcessPath
    $prefix = @(if ((Split-Path -Leaf $pwsh) -match '^dotnet(\.exe)?$') { Join-Path $PSHOME 'pwsh.dll' })
    $output = '' | & $pwsh @prefix -NoProfile -NonInteractive -Command $Script 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
}

# Asks boto3 (tests/testbed/witness.py, the independent witness) one question of moto's state; returns its answer
# (result, or error with Code and Message).
function Invoke-Witness([string] $Service, [string] $Method, [hashtable] $Params = @{}, [string] $Region = 'us-east-1') {
    $python = if ($env:OCDSAWS_PYTHON) { $env:OCDSAWS_PYTHON } else { 'python3' }
    $request = @{ service = $Service; method = $Method; params = $Params; region = $Region } | ConvertTo-Json -Compress -Depth 10
    $answer = $request | & $python (Join-Path $PSScriptRoot '../testbed/witness.py')
    if ($LASTEXITCODE -ne 0) { throw "witness.py failed ($LASTEXITCODE)" }
    $answer | ConvertFrom-Json
}

Export-ModuleMember -Function Get-TestBed, Invoke-ChildPwsh, Get-RuntimeFolder, Invoke-Witness
