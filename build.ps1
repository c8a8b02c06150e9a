<#
.SYNOPSIS
    Builds OcdsAws, runs the runbook demo against a local moto, or runs every test.
.DESCRIPTION
    -Task Default  build + publish the module to out/module/OcdsAws, then run examples/Demo.ps1 against moto
    -Task Build    build + publish only
    -Task Test     xunit + Pester; ends with one line "Tests: N passed, N failed"; exit code 1 on any failure
    -Task Bench    build + publish, then bench/Measure-OcdsAws.ps1 against moto; writes bench/results.md
    -Task Package  build + publish, then out/package/OcdsAws.<version>.nupkg (PSResourceGet installs it)
    -Task Clean    remove out/
    -Filter X      with -Task Test: only the tests whose full name contains X (xunit: FullyQualifiedName~X, or X as
                   a dotnet test --filter expression when it holds one of = ~ | &; Pester: FullName *X*); the test
                   bed self-test runs only when X is 'selftest'. The same servers start as for the full run.
    Every server this script starts listens on 127.0.0.1 and is stopped before the script ends.
#>
[CmdletBinding()]
param(
    [ValidateSet('Default', 'Build', 'Test', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Default',
    [string] $Configuration = 'Release',
    [string] $Filter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out 'module/OcdsAws'
# This pwsh, for child processes. As a dotnet tool it runs as `dotnet pwsh.dll`: start it the same way.
$Pwsh = [Environment]::ProcessPath
$PwshPrefix = @(if ((Split-Path -Leaf $Pwsh) -match '^dotnet(\.exe)?$') { Join-Path $PSHOME 'pwsh.dll' })
# Never let the SDK's credential chain fall through to the EC2 instance metadata address.
$env:AWS_EC2_METADATA_DISABLED = 'true'

function Write-Step([string] $Message) { Write-Host "==> $Message" -ForegroundColor Cyan }

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# Directory.Build.props is the one source of the module version, the tools' versions and the ReadyToRun target.
function Get-BuildProperty([string] $Name) {
    $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
    $node = $props.SelectSingleNode("/Project/PropertyGroup/$Name")
    if (-not $node -or -not $node.InnerText) { throw "Directory.Build.props defines no $Name." }
    return $node.InnerText
}

function Get-ModuleVersion { Get-BuildProperty 'OcdsAwsVersion' }

# dependencies/<this>/ holds the ReadyToRun copies (DependencyLoader.ReadyToRunFolder reads the same properties).
function Get-ReadyToRunFolder { '{0}-{1}' -f (Get-BuildProperty 'ReadyToRunFramework'), (Get-BuildProperty 'ReadyToRunRid') }

function Invoke-BuildModule {
    Write-Step "Publishing the module to $ModuleDir"
    if (Test-Path $ModuleDir) { Remove-Item -Recurse -Force $ModuleDir }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/OcdsAws/OcdsAws.csproj'), '-c', $Configuration, '-o', $ModuleDir, '--nologo', '-v', 'quiet')
    # The manifest's version comes from Directory.Build.props, the one source.
    $manifest = Get-Content -Raw (Join-Path $Root 'OcdsAws.psd1')
    $manifest = $manifest -replace "ModuleVersion(\s*)= '0\.0\.0'", "ModuleVersion`$1= '$(Get-ModuleVersion)'"
    Set-Content -Path (Join-Path $ModuleDir 'OcdsAws.psd1') -Value $manifest -NoNewline
    Copy-Item (Join-Path $Root 'OcdsAws.format.ps1xml') $ModuleDir
    # Ship exactly build/module-files.txt: no deps.json or pdb. Dependencies go to dependencies/, where
    # PowerShell does not probe: DependencyLoader.cs loads them so they never clash with AWS.Tools' copies.
    $files = Get-ModuleFiles
    Get-ChildItem $ModuleDir -File | Where-Object { $_.Extension -in '.json', '.pdb' } | Remove-Item
    $dependencies = New-Item -ItemType Directory -Force (Join-Path $ModuleDir 'dependencies')
    foreach ($file in Get-ChildItem $ModuleDir -File | Where-Object { $_.Extension -in '.dll', '.xml' -and $_.Name -notin 'OcdsAws.dll', 'OcdsAws.xml' }) {
        if ("dependencies/$($file.Name)" -notin $files) {
            throw "dotnet publish made $($file.Name), which build/module-files.txt does not list: add it there if the module needs it."
        }
        Move-Item $file.FullName $dependencies
    }
    Invoke-ReadyToRun $dependencies.FullName ($files | Where-Object { $_ -like '{ReadyToRun}/*' } | ForEach-Object { Split-Path -Leaf $_ })
    # Help: docs/en-US/*.md -> en-US/OcdsAws.dll-Help.xml and en-US/about_OcdsAws.help.txt, checked against the
    # published cmdlets in a fresh pwsh (this session never loads the module); fails listing what is undocumented.
    Write-Step 'Building help from docs/en-US'
    Invoke-Native $Pwsh @($PwshPrefix + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'build/New-MamlHelp.ps1'),
        '-DocsPath', (Join-Path $Root 'docs/en-US'), '-ModulePath', (Join-Path $ModuleDir 'OcdsAws.psd1'), '-OutputPath', (Join-Path $ModuleDir 'en-US')))
    $readyToRun = Join-Path $ModuleDir "dependencies/$(Get-ReadyToRunFolder)"
    $expected = $files | Where-Object { $_ -notlike '{ReadyToRun}/*' -or (Test-Path $readyToRun) } |
        ForEach-Object { $_ -replace '^\{ReadyToRun\}', "dependencies/$(Get-ReadyToRunFolder)" }
    $shipped = Get-ChildItem $ModuleDir -File -Recurse | ForEach-Object { [IO.Path]::GetRelativePath($ModuleDir, $_.FullName).Replace('\', '/') }
    $difference = Compare-Object @($expected) @($shipped)
    if ($difference) {
        throw ('The published module differs from build/module-files.txt: ' + (($difference | ForEach-Object {
            if ($_.SideIndicator -eq '<=') { "missing $($_.InputObject)" } else { "unlisted $($_.InputObject)" } }) -join ', '))
    }
}

# build/module-files.txt without its comments: every file the published module holds.
function Get-ModuleFiles {
    Get-Content (Join-Path $Root 'build/module-files.txt') | ForEach-Object { $_.Trim() } | Where-Object { $_ -and -not $_.StartsWith('#') }
}

function Invoke-Bench {
    $python = Find-TestPython
    Invoke-BuildDnsTestServer
    $zoneFile = Join-Path (New-Item -ItemType Directory -Force (Join-Path $Out 'bench')) 'bench.zone'
    Set-Content $zoneFile '_dmarc.ocp-demo.example. 3600 IN TXT "v=DMARC1; p=reject; adkim=r"'
    # The floors the import and first-call rows stand beside (bench/floors/*.csproj). The SDK floor runs on the
    # module's ReadyToRun SDK copies when the build made them, as the module does.
    $floors = @{}
    foreach ($name in 'EmptyModule', 'SdkFirstCall') {
        $floors[$name] = Join-Path $Out "bench/floors/$name"
        Invoke-Native dotnet @('build', (Join-Path $Root "bench/floors/$name/$name.csproj"), '-c', $Configuration, '-o', $floors[$name], '--nologo', '-v', 'quiet')
    }
    $readyToRun = Join-Path $ModuleDir "dependencies/$(Get-ReadyToRunFolder)"
    if (Test-Path $readyToRun) { Copy-Item (Join-Path $readyToRun 'AWSSDK.Core.dll'), (Join-Path $readyToRun 'AWSSDK.SecurityToken.dll') $floors.SdkFirstCall }
    $moto = Start-Moto $python
    $dns = $null
    try {
        $dns = Start-DnsTestServer $zoneFile @('ocp-demo.example')
        $env:AWS_ACCESS_KEY_ID = $moto.AccessKey
        $env:AWS_SECRET_ACCESS_KEY = $moto.SecretKey
        $env:AWS_REGION = 'us-east-1'
        Invoke-Native $Pwsh @($PwshPrefix + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'bench/Measure-OcdsAws.ps1'),
            '-ModulePath', (Join-Path $ModuleDir 'OcdsAws.psd1'), '-EndpointUrl', $moto.Url, '-DnsServer', $dns.Address,
            '-ZoneFile', $zoneFile, '-ResultPath', (Join-Path $Root 'bench/results.md'), '-Python', $python,
            '-EmptyModulePath', $floors.EmptyModule, '-SdkFirstCallPath', $floors.SdkFirstCall))
    }
    finally {
        Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY, Env:AWS_REGION -ErrorAction SilentlyContinue
        if ($dns) { Stop-Process-Tree $dns.Process }
        Stop-Moto $moto
    }
}

function Invoke-Package {
    # PSResourceGet publishes into a "repository" that is just a folder; the nupkg it writes there is the
    # package. A child pwsh with its own HOME keeps the repository registration out of the user's settings.
    $packageDir = Join-Path $Out 'package'
    if (Test-Path $packageDir) { Remove-Item -Recurse -Force $packageDir }
    $feed = New-Item -ItemType Directory -Force (Join-Path $packageDir 'feed')
    $home_ = New-Item -ItemType Directory -Force (Join-Path $packageDir 'home')
    # .NET reports a missing ~/.config as "", and NuGet then writes NuGet/NuGet.Config into the current folder.
    New-Item -ItemType Directory -Force (Join-Path $home_ '.config'), (Join-Path $home_ '.local/share') | Out-Null
    $script = "`$ErrorActionPreference = 'Stop'; Register-PSResourceRepository -Name OcdsAwsBuild -Uri '$feed' -Trusted; " +
        "Publish-PSResource -Path '$ModuleDir' -Repository OcdsAwsBuild"
    $savedHome = $env:HOME
    try {
        $env:HOME = $home_.FullName
        Push-Location $home_
        Invoke-Native $Pwsh @($PwshPrefix + @('-NoProfile', '-NonInteractive', '-Command', $script))
    }
    finally {
        Pop-Location
        $env:HOME = $savedHome
    }
    $nupkg = Get-ChildItem $feed -Filter 'OcdsAws.*.nupkg' | Select-Object -First 1
    if (-not $nupkg) { throw "Publish-PSResource wrote no package into $feed" }
    Write-Step "Package: $($nupkg.FullName)"
    return $nupkg.FullName
}

# The test bed reads moto's internal models and uses botocore's as the oracle: say so when the versions differ
# from the ones it was written against (tests/testbed/requirements.txt). A warning, not a failure: a newer moto may
# well work, and the tests will say if it does not.
function Test-TestBedVersions([string] $Python) {
    $check = @'
import re, sys
from importlib.metadata import version, PackageNotFoundError
for line in open(sys.argv[1]):
    m = re.match(r"^([A-Za-z0-9_.-]+)(\[[^]]*\])?==([^\s#]+)", line.strip())
    if not m: continue
    try: have = version(m.group(1))
    except PackageNotFoundError: have = "not installed"
    if have != m.group(3): print(f"{m.group(1)} {have} (pinned {m.group(3)})")
'@
    $requirements = Join-Path $Root 'tests/testbed/requirements.txt'
    $differences = @(& $Python -c $check $requirements)
    if ($differences) {
        Write-Warning ("The test bed was written against other versions: $($differences -join '; '). " +
            "If tests fail in the test bed, install the pinned ones:  $Python -m pip install -r tests/testbed/requirements.txt")
    }
}

function Find-TestPython {
    # Debian's python3 lacks moto; the image's pyenv interpreter has it. Use the first that imports everything.
    $candidates = [System.Collections.Generic.List[string]]::new()
    foreach ($name in 'python3', 'python') {
        $cmd = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($cmd) { $candidates.Add($cmd.Source) }
    }
    foreach ($pyenvRoot in @($env:PYENV_ROOT, (Join-Path $HOME '.pyenv')) | Where-Object { $_ }) {
        Get-ChildItem (Join-Path $pyenvRoot 'versions/*/bin/python3') -ErrorAction SilentlyContinue |
            Sort-Object FullName -Descending | ForEach-Object { $candidates.Add($_.FullName) }
    }
    foreach ($python in $candidates | Select-Object -Unique) {
        & $python -c 'import moto, flask, botocore, boto3' 2>$null
        if ($LASTEXITCODE -eq 0) {
            $versions = & $python -c 'import moto, botocore; print(f"moto {moto.__version__}, botocore {botocore.__version__}")'
            Write-Step "Test bed Python: $python ($versions)"
            Test-TestBedVersions $python
            return $python
        }
    }
    throw ("No Python interpreter with moto, flask, botocore and boto3 was found (tried: $($candidates -join ', ')). " +
        'Install them with:  python3 -m pip install -r tests/testbed/requirements.txt')
}

function Start-Moto([string] $Python) {
    $log = Join-Path $Out ("moto-{0}.log" -f [guid]::NewGuid().ToString('n').Substring(0, 8))
    $start = [System.Diagnostics.ProcessStartInfo]::new($Python)
    foreach ($a in @((Join-Path $Root 'tests/testbed/ocds_moto.py'), '--host', '127.0.0.1', '--port', '0')) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    # Signature (and IAM policy) checking starts after the three unauthenticated calls of create_test_key.py.
    $start.Environment['INITIAL_NO_AUTH_ACTION_COUNT'] = '3'
    $process = [System.Diagnostics.Process]::Start($start)
    $errTask = $process.StandardError.ReadToEndAsync()
    $readLine = $process.StandardOutput.ReadLineAsync()
    if (-not $readLine.Wait(60000) -or -not ($readLine.Result -match '^READY (http://127\.0\.0\.1:\d+)$')) {
        if (-not $process.HasExited) { $process.Kill($true) }
        throw "moto did not start: $($readLine.Result) $($errTask.Result)"
    }
    $url = $Matches[1]
    $key = & $Python (Join-Path $Root 'tests/testbed/create_test_key.py') $url
    if ($LASTEXITCODE -ne 0) { $process.Kill($true); throw "Could not create the test access key on moto at $url" }
    $accessKey, $secretKey = ($key -split ' ')
    Write-Step "moto at $url (signature checking on, process $($process.Id))"
    return [pscustomobject]@{ Url = $url; Process = $process; AccessKey = $accessKey; SecretKey = $secretKey; Python = $Python }
}

function Stop-Moto($Moto) {
    if ($Moto -and -not $Moto.Process.HasExited) {
        $Moto.Process.Kill($true)
        [void]$Moto.Process.WaitForExit(10000)
    }
}

function Use-MotoEnvironment($Moto) {
    $env:OCDSAWS_TEST_ENDPOINT = $Moto.Url
    $env:OCDSAWS_TEST_ACCESS_KEY = $Moto.AccessKey
    $env:OCDSAWS_TEST_SECRET_KEY = $Moto.SecretKey
    $env:OCDSAWS_PYTHON = $Moto.Python
    $env:OCDSAWS_MODULE = Join-Path $ModuleDir 'OcdsAws.psd1'
}

function Invoke-BuildDnsTestServer {
    Invoke-Native dotnet @('build', (Join-Path $Root 'tests/DnsTestServer/DnsTestServer.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet')
}

# The demo's stand-in for GoDaddy: a DNS server on 127.0.0.1 serving a zone file it re-reads on change.
function Start-DnsTestServer([string] $ZoneFile, [string[]] $Zones) {
    $dll = Join-Path $Out "bin/DnsTestServer/$Configuration/net10.0/DnsTestServer.dll"
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, $ZoneFile) + $Zones) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    while ($true) {
        $line = $process.StandardOutput.ReadLine()
        if ($null -eq $line) { throw 'The DNS test server ended before it was ready.' }
        if ($line -match '^READY (127\.0\.0\.1:\d+)$') { break }
    }
    $address = $Matches[1]
    # Keep draining its output so it never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    Write-Step "DNS test server at $address serving $ZoneFile"
    [pscustomobject]@{ Address = $address; Process = $process }
}

function Stop-Process-Tree($Process) {
    if ($Process -and -not $Process.HasExited) { $Process.Kill($true); [void]$Process.WaitForExit(10000) }
}

function Invoke-Demo {
    $python = Find-TestPython
    Invoke-BuildDnsTestServer
    $demoDir = New-Item -ItemType Directory -Force (Join-Path $Out 'demo')
    $zoneFile = Join-Path $demoDir 'ocp-demo.example.zone'
    # What the domain publishes before the runbook: Google Workspace's SPF and a site verification.
    Set-Content $zoneFile @(
        'ocp-demo.example. 3600 IN TXT "v=spf1 include:_spf.google.com ~all"'
        'ocp-demo.example. 3600 IN TXT "google-site-verification=demo"'
        # The blocklists' RFC 5782 test point (127.0.0.2 listed), so the demo's Test-DnsBlocklist reads NotListed, not NotAnswering.
        '2.0.0.127.zen.spamhaus.org. 300 IN A 127.0.0.2'
        '2.0.0.127.bl.spamcop.net. 300 IN A 127.0.0.2'
        '2.0.0.127.b.barracudacentral.org. 300 IN A 127.0.0.2'
    )
    $moto = Start-Moto $python
    $dns = $null
    try {
        $dns = Start-DnsTestServer $zoneFile @('ocp-demo.example')
        Write-Step 'Running examples/Demo.ps1 against moto'
        $demo = Join-Path $Root 'examples/Demo.ps1'
        $env:AWS_ACCESS_KEY_ID = $moto.AccessKey
        $env:AWS_SECRET_ACCESS_KEY = $moto.SecretKey
        $env:AWS_REGION = 'us-east-1'
        Invoke-Native $Pwsh @($PwshPrefix + @('-NoProfile', '-NonInteractive', '-File', $demo, '-ModulePath', (Join-Path $ModuleDir 'OcdsAws.psd1'),
            '-EndpointUrl', $moto.Url, '-DnsServer', $dns.Address, '-ZoneFile', $zoneFile))
    }
    finally {
        Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY, Env:AWS_REGION -ErrorAction SilentlyContinue
        if ($dns) { Stop-Process-Tree $dns.Process }
        Stop-Moto $moto
    }
}

# What the Pester run needs from npm (GitHub's workflow parser: tests/tools/node/package.json), installed with `npm ci`
# from its lock file when node_modules is missing or older than the lock.
function Install-NodeTools {
    $folder = Join-Path $Root 'tests/tools/node'
    if (-not (Get-Command npm -CommandType Application -ErrorAction SilentlyContinue) -or -not (Get-Command node -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'The tests need Node.js and npm (GitHub''s workflow parser validates examples/ci). Install them with:  apt-get install -y nodejs npm'
    }
    $modules = Join-Path $folder 'node_modules'
    $lock = Join-Path $folder 'package-lock.json'
    if (-not (Test-Path $modules) -or (Get-Item $modules).LastWriteTimeUtc -lt (Get-Item $lock).LastWriteTimeUtc) {
        Write-Step 'npm ci (tests/tools/node)'
        Invoke-Native npm @('ci', '--prefix', $folder, '--no-audit', '--no-fund', '--loglevel', 'error') | Out-Host
    }
    return $folder
}

function Get-ToolsPackageRoot([string] $Project = 'tests/tools/tools.csproj') {
    # Tools come from NuGet (Pester: there is no PowerShell Gallery here): restore the tools project, find its package folder.
    $tools = Join-Path $Root $Project
    Invoke-Native dotnet @('restore', $tools, '--nologo', '-v', 'quiet')
    $assets = Get-Content -Raw (Join-Path $Out "obj/$([IO.Path]::GetFileNameWithoutExtension($tools))/project.assets.json") | ConvertFrom-Json
    return @($assets.packageFolders.PSObject.Properties.Name)[0]
}

function Invoke-ReadyToRun([string] $Dependencies, [string[]] $Names) {
    # The first AWS call of a session used to wait ~1 s in all for the JIT (EC2's, S3's, Core's pipeline), and a fresh
    # session's runbook spends most of its time there. ReadyToRun copies of the SDK, MimeKit, DnsClient and OcdsAws.Engine,
    # precompiled against the runtime this pwsh runs on, go to dependencies/<ReadyToRunFolder>/; DependencyLoader.cs takes
    # them only on that runtime and platform, and the IL copies everywhere else (Windows PowerShell included). OcdsAws.dll,
    # the RootModule PowerShell loads by path, stays IL: one file for every platform.
    $folder = Get-ReadyToRunFolder
    $rid = Get-BuildProperty 'ReadyToRunRid'
    $os = if ($IsLinux) { 'linux' } elseif ($IsMacOS) { 'osx' } else { 'win' }
    $here = 'net{0}.0-{1}-{2}' -f [Environment]::Version.Major, $os, "$([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant()
    if ($here -ne $folder) {
        Write-Step "ReadyToRun: skipped (only built on $folder; this is $here)"
        return
    }
    $packages = Get-ToolsPackageRoot 'build/build-tools.csproj'
    $crossgen = Join-Path $packages "microsoft.netcore.app.crossgen2.$rid/$(Get-BuildProperty 'Crossgen2Version')/tools/crossgen2"
    $framework = Split-Path ([object].Assembly.Location)
    $target = New-Item -ItemType Directory -Force (Join-Path $Dependencies $folder)
    $inputs = $Names | ForEach-Object { Get-Item (Join-Path $Dependencies $_) }   # build/module-files.txt's {ReadyToRun}/ lines
    # OcdsAws.Engine uses PowerShell's own types: compile it against the System.Management.Automation of this pwsh
    # (outside the version bubble, so the code stays valid across PowerShell 7.6 updates).
    $automation = Join-Path $PSHOME 'System.Management.Automation.dll'
    $arch = $rid.Split('-')[1]
    Write-Step "ReadyToRun: $($inputs.Count) assemblies for .NET $([Environment]::Version) $rid into $target"
    $failed = $inputs | ForEach-Object -ThrottleLimit ([Environment]::ProcessorCount) -Parallel {
        $output = & $using:crossgen $_.FullName -o (Join-Path $using:target $_.Name) -r "$($using:framework)/*.dll" -r "$($using:Dependencies)/*.dll" -r $using:automation --targetos $using:os --targetarch $using:arch -O 2>&1
        if ($LASTEXITCODE -ne 0) { "$($_.Name): $($output | Select-Object -Last 3)" }
    }
    if ($failed) { throw "crossgen2 failed: $($failed -join '; ')" }
}

function Invoke-Tests {
    $python = Find-TestPython
    $passed = 0; $failed = 0; $problems = @()

    # 1. xunit: units, wire conformance, hosted cmdlets, against its own moto.
    $trxDir = Join-Path $Out 'test-results'
    if (Test-Path $trxDir) { Remove-Item -Recurse -Force $trxDir }
    $moto = Start-Moto $python
    try {
        Use-MotoEnvironment $moto
        Write-Step 'xunit'
        $xunitFilter = @(if ($Filter) { '--filter'; if ($Filter -match '[=~|&]') { $Filter } else { "FullyQualifiedName~$Filter" } })
        & dotnet test (Join-Path $Root 'tests/OcdsAws.Tests/OcdsAws.Tests.csproj') -c $Configuration --nologo `
            --logger 'trx;LogFileName=xunit.trx' --logger 'console;verbosity=minimal' --results-directory $trxDir @xunitFilter
        $xunitExit = $LASTEXITCODE
    }
    finally { Stop-Moto $moto }
    $trx = Join-Path $trxDir 'xunit.trx'
    if (Test-Path $trx) {
        $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        if ([int]$counters.total -eq 0 -and -not $Filter) { $problems += 'xunit ran no test' }
    }
    else { $problems += "xunit produced no result file (exit code $xunitExit)" }
    if ($xunitExit -ne 0 -and $failed -eq 0) { $problems += "xunit exited with $xunitExit" }

    # 2. Pester: the published module in a child pwsh, against a fresh moto and a loopback DNS server.
    $packages = Get-ToolsPackageRoot
    $pester = Join-Path $packages "pester/$(Get-BuildProperty 'PesterVersion')/tools/Pester.psd1"
    $env:OCDSAWS_PACKAGE = Invoke-Package
    $env:OCDSAWS_NODE_TOOLS = Install-NodeTools
    $pesterResult = Join-Path $Out 'test-results/pester.json'
    Invoke-BuildDnsTestServer
    $zoneFile = Join-Path (New-Item -ItemType Directory -Force (Join-Path $Out 'test-results')) 'pester.zone'
    Set-Content $zoneFile 'ocp-demo.example. 3600 IN TXT "v=spf1 include:_spf.google.com ~all"'
    $moto = Start-Moto $python
    $dns = $null
    try {
        $dns = Start-DnsTestServer $zoneFile @('ocp-demo.example', 'pester.example')
        Use-MotoEnvironment $moto
        $env:OCDSAWS_PACKAGES = $packages
        $env:OCDSAWS_DNS_SERVER = $dns.Address
        $env:OCDSAWS_ZONE_FILE = $zoneFile
        Write-Step 'Pester'
        & $Pwsh @PwshPrefix -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Pester/Invoke-PesterRun.ps1') -PesterPath $pester -ResultPath $pesterResult -Filter "$Filter"
        $pesterExit = $LASTEXITCODE
    }
    finally {
        if ($dns) { Stop-Process-Tree $dns.Process }
        Stop-Moto $moto
    }
    if (Test-Path $pesterResult) {
        $counts = Get-Content -Raw $pesterResult | ConvertFrom-Json
        $passed += $counts.Passed; $failed += $counts.Failed
        if ($counts.Passed + $counts.Failed -eq 0 -and -not $Filter) { $problems += 'Pester ran no test' }
    }
    else { $problems += "Pester produced no result file (exit code $pesterExit)" }

    # 3. The test bed's own self-test: the companion's answers pass botocore's parser and validator.
    if ($Filter -and $Filter -ne 'selftest') { Write-Host "Tests: $passed passed, $failed failed"; if ($failed -gt 0 -or $problems) { exit 1 }; return }
    Write-Step 'Test bed self-test'
    $selftest = & $python (Join-Path $Root 'tests/testbed/selftest.py') 2>&1 | ForEach-Object { "$_" }
    # Only the final "Tests:" line may look like a test runner's summary: CI reads it.
    $selftest | Where-Object { $_ -notmatch '^selftest: ' } | Select-Object -Last 5 | Write-Host
    $summary = $selftest | Where-Object { $_ -match '^selftest: (\d+) passed, (\d+) failed$' } | Select-Object -Last 1
    if ($summary -and $summary -match '^selftest: (\d+) passed, (\d+) failed$') {
        $passed += [int]$Matches[1]; $failed += [int]$Matches[2]
        Write-Host "test bed self-test finished with $($Matches[1]) checks passing and $($Matches[2]) failing"
    }
    else { $problems += "the test bed self-test printed no summary (exit code $LASTEXITCODE)" }

    foreach ($p in $problems) { Write-Host "PROBLEM: $p" -ForegroundColor Red }
    Write-Host "Tests: $passed passed, $failed failed"
    if ($failed -gt 0 -or $problems) { exit 1 }
}

New-Item -ItemType Directory -Force $Out | Out-Null
switch ($Task) {
    'Clean' { if (Test-Path $Out) { Remove-Item -Recurse -Force $Out }; Write-Step 'Removed out/' }
    'Build' { Invoke-BuildModule }
    'Default' { Invoke-BuildModule; Invoke-Demo }
    'Test' { Invoke-BuildModule; Invoke-Tests }
    'Package' { Invoke-BuildModule; Invoke-Package | Out-Null }
    'Bench' { Invoke-BuildModule; Invoke-Bench }
}
