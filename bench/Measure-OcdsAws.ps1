<#
.SYNOPSIS
    The OcdsAws benchmark (issue "Measured"): import and first-call cost against their floors, the runbook by
    OcdsAws, boto3 and the aws CLI, the idempotent re-run, the emulator's own cost per call, DMARC throughput.
    build.ps1 -Task Bench runs it against a fresh local moto and a loopback DNS server and writes results.md.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EndpointUrl,
    [Parameter(Mandatory)] [string] $DnsServer,
    [Parameter(Mandatory)] [string] $ZoneFile,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $Python,
    # bench/floors/EmptyModule's build output and bench/floors/SdkFirstCall's (build.ps1 Invoke-Bench builds both).
    [Parameter(Mandatory)] [string] $EmptyModulePath,
    [Parameter(Mandatory)] [string] $SdkFirstCallPath,
    [int] $Runs = 10,
    [int] $RunbookRuns = 3
)
$ErrorActionPreference = 'Stop'
$pwsh = [Environment]::ProcessPath
$prefix = @(if ((Split-Path -Leaf $pwsh) -match '^dotnet(\.exe)?$') { Join-Path $PSHOME 'pwsh.dll' })

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 1)
}

# Child processes, named, run round-robin $Count times (so a slow spell of the machine hits every variant alike); "{i}"
# in an argument becomes the run's number (names of its own for each run). Returns name -> median wall time and
# name -> the output lines of each run.
function Measure-Children([System.Collections.Specialized.OrderedDictionary] $Commands, [int] $Count) {
    $wall = @{}; $outputs = @{}
    foreach ($name in $Commands.Keys) { $wall[$name] = [System.Collections.Generic.List[double]]::new(); $outputs[$name] = [System.Collections.Generic.List[object]]::new() }
    foreach ($i in 1..$Count) {
        foreach ($name in $Commands.Keys) {
            $command = @($Commands[$name] | ForEach-Object { $_ -replace '\{i\}', $i })
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $output = & $command[0] @($command | Select-Object -Skip 1) 2>&1
            $wall[$name].Add($clock.Elapsed.TotalMilliseconds)
            if ($LASTEXITCODE -ne 0) { throw "$name failed ($LASTEXITCODE): $($output | Select-Object -Last 5)" }
            $outputs[$name].Add(@($output))
        }
    }
    $medians = @{}
    foreach ($name in $Commands.Keys) { $medians[$name] = Get-Median $wall[$name] }
    [pscustomobject]@{ Wall = $medians; Output = $outputs }
}

$rows = [System.Collections.Generic.List[object]]::new()
function Add-Row([string] $What, $Value, [string] $Unit, [string] $Note = '') {
    $rows.Add([pscustomobject]@{ What = $What; Value = $Value; Unit = $Unit; Note = $Note })
    Write-Host ("{0,-60} {1,10} {2} {3}" -f $What, $Value, $Unit, $Note)
}

# 1. Import and first call, each beside its floor. A child's own stopwatch times one command inside it, since the
#    difference of two noisy process times is noise of its own; the process rows are kept as the issue defines them.
$emptyManifest = Join-Path $EmptyModulePath 'EmptyModule.psd1'
$inside = { param($before, $timed) "$before; `$s = [Diagnostics.Stopwatch]::StartNew(); $timed; `$s.Elapsed.TotalMilliseconds" }
$child = { param($script) @($pwsh) + $prefix + @('-NoProfile', '-NonInteractive', '-Command', $script) }
$processes = Measure-Children ([ordered]@{
    exit        = & $child 'exit'
    empty       = & $child "Import-Module '$emptyManifest'"
    import      = & $child "Import-Module '$ModulePath'"
    first       = & $child "Import-Module '$ModulePath'; Get-OcdsAwsContext -EndpointUrl '$EndpointUrl' | Out-Null"
    ownImport   = & $child (& $inside "Import-Module '$emptyManifest'" "Import-Module '$ModulePath'")
    ownFirst    = & $child (& $inside "Import-Module '$ModulePath'" "Get-OcdsAwsContext -EndpointUrl '$EndpointUrl' | Out-Null")
    sdkFirst    = @('dotnet', (Join-Path $SdkFirstCallPath 'SdkFirstCall.dll'), $EndpointUrl, 'us-east-1')
}) $Runs
$w = $processes.Wall
$lastLines = { param($name) $processes.Output[$name] | ForEach-Object { $_ | Select-Object -Last 1 } }
$ownImport = Get-Median @(& $lastLines ownImport | ForEach-Object { [double]$_ })
$ownFirst = Get-Median @(& $lastLines ownFirst | ForEach-Object { [double]$_ })
$sdk = @(& $lastLines sdkFirst | ForEach-Object { if ($_ -match '^FIRST (\S+) CLIENT (\S+) CALL (\S+)$') { [pscustomobject]@{ First = [double]$Matches[1]; Client = [double]$Matches[2]; Call = [double]$Matches[3] } } else { throw "SdkFirstCall printed '$_'" } })
$adds = { param($a, $b) [math]::Round($a - $b, 1) }
Add-Row 'pwsh -NoProfile -c exit (median)' $w.exit 'ms'
Add-Row 'pwsh -NoProfile -c Import-Module OcdsAws (median)' $w.import 'ms' ("import adds {0} ms (target <= 50)" -f (& $adds $w.import $w.exit))
Add-Row 'floor: Import-Module of an empty binary module (bench/floors/EmptyModule: one cmdlet, one view)' $w.empty 'ms' ("adds {0} ms: what this pwsh charges any binary module's import" -f (& $adds $w.empty $w.exit))
Add-Row 'Import-Module OcdsAws after the empty module, timed inside pwsh (median)' $ownImport 'ms' 'what OcdsAws itself adds to an import (target <= 50)'
Add-Row 'first Get-OcdsAwsContext after the import, timed inside pwsh (median)' $ownFirst 'ms' 'the first cmdlet, its STS call included (target <= 200)'
Add-Row 'floor: the AWS SDK alone, first GetCallerIdentity in a fresh .NET process (bench/floors/SdkFirstCall)' (Get-Median $sdk.First) 'ms' ("client {0} ms + call {1} ms, timed from Main, same SDK copies as the module" -f (Get-Median $sdk.Client), (Get-Median $sdk.Call))
Add-Row 'import + first cmdlet Get-OcdsAwsContext (median)' $w.first 'ms' ("first cmdlet adds {0} ms (target <= 200)" -f (& $adds $w.first $w.import))

# 2. Steady-state per-call latency in one session.
Import-Module $ModulePath
Get-OcdsAwsContext -EndpointUrl $EndpointUrl | Out-Null
$steady = Get-Median @(foreach ($i in 1..50) { (Measure-Command { Get-OcdsAwsContext -EndpointUrl $EndpointUrl | Out-Null }).TotalMilliseconds })
Add-Row 'Get-OcdsAwsContext, warm session (median of 50)' $steady 'ms'

# 3. The runbook: OcdsAws (bench/runbook-ocdsaws.ps1: the three scripts in examples/), boto3 in one Python process
#    and the aws CLI from bash, against the same moto under names of their own. moto imports a service's backend on
#    its first request and sets a region up on its first change (up to a second for EC2 and RDS): whichever variant
#    ran first paid that for the others, so the runbook runs once untimed first (boto3, names of its own).
$warm = & $Python (Join-Path $PSScriptRoot 'runbook_boto3.py') $EndpointUrl 'us-east-1' 'warm.ocp-demo.example' 2>&1
if ($LASTEXITCODE -ne 0) { throw "the warm-up run of runbook_boto3.py failed: $($warm | Select-Object -Last 5)" }
$env:AWS_ENDPOINT_URL = $EndpointUrl
$runbookOcds = Join-Path $PSScriptRoot 'runbook-ocdsaws.ps1'
$value = { param($lines, $word) [double]((@($lines | Where-Object { "$_" -match "^$word (\S+)" }) | Select-Object -Last 1) -replace "^$word ", '') }
# OcdsAws and boto3 alternate, each in a fresh process, $RunbookRuns times: the whole process (start, imports,
# work) from outside, and from inside the work after the imports (WORK), which is what the two differ in.
$fresh = Measure-Children ([ordered]@{
    ocds = @($pwsh) + $prefix + @('-NoProfile', '-NonInteractive', '-File', $runbookOcds, '-ModulePath', $ModulePath, '-Domain', 'cold{i}.ocp-demo.example', '-DnsServer', $DnsServer)
    boto = @($Python, (Join-Path $PSScriptRoot 'runbook_boto3.py'), $EndpointUrl, 'us-east-1', 'boto{i}.ocp-demo.example')
}) $RunbookRuns
$ocdsWork = Get-Median @($fresh.Output.ocds | ForEach-Object { & $value $_ 'WORK' }); $ocdsWall = $fresh.Wall.ocds
$botoWork = Get-Median @($fresh.Output.boto | ForEach-Object { & $value $_ 'WORK' }); $botoWall = $fresh.Wall.boto
$ocdsCalls = & $value $fresh.Output.ocds[0] 'CALLS'
$botoCalls = & $value $fresh.Output.boto[0] 'CALLS'
$awsCli = & $Python -c "import os, sys; print(os.path.join(os.path.dirname(sys.executable), 'aws'))"
$env:AWS_CLI = $awsCli
$clock = [Diagnostics.Stopwatch]::StartNew()
$cli = & bash (Join-Path $PSScriptRoot 'runbook-cli.sh') $EndpointUrl 'us-east-1' 'cli.ocp-demo.example' 2>&1
if ($LASTEXITCODE -ne 0) { throw "runbook-cli.sh failed: $($cli | Select-Object -Last 5)" }
$cliMs = $clock.ElapsedMilliseconds
Remove-Item Env:AWS_CLI
# Then the same scripts in this session, which has imported the module and made calls (section 2): a first run of
# new names when the JIT has done most of its work, and the idempotent re-run of those names.
$warmRun = @(& $runbookOcds -ModulePath $ModulePath -Domain 'bench.ocp-demo.example' -DnsServer $DnsServer)
$reRun = @(& $runbookOcds -ModulePath $ModulePath -Domain 'bench.ocp-demo.example' -DnsServer $DnsServer)
$warmWork = & $value $warmRun 'WORK'; $warmCalls = & $value $warmRun 'CALLS'
Remove-Item Env:AWS_ENDPOINT_URL
$ratio = { param($a, $b) '{0:0.00}' -f ($a / [math]::Max(1, $b)) }
Add-Row "runbook, OcdsAws: fresh pwsh, the three scripts after Import-Module (median of $RunbookRuns)" $ocdsWork 'ms' ("{0} AWS calls (reads first: every step is re-runnable); whole process (pwsh start + import + scripts) {1} ms" -f $ocdsCalls, $ocdsWall)
Add-Row "runbook, boto3: one Python process, after its imports (median of $RunbookRuns)" $botoWork 'ms' ("{0} calls; whole process {1} ms; boto3/OcdsAws time: {2} after the imports, {3} whole process (target >= 1)" -f $botoCalls, $botoWall, (& $ratio $botoWork $ocdsWork), (& $ratio $botoWall $ocdsWall))
Add-Row 'runbook, aws CLI (bash, one process per call)' $cliMs 'ms' ("{0} calls; {1}x OcdsAws's scripts, {2}x its whole process (target >= 10)" -f (& $value $cli 'CALLS'), (& $ratio $cliMs $ocdsWork), (& $ratio $cliMs $ocdsWall))
Add-Row 'runbook, OcdsAws: the same scripts, new names, in a session that has made calls already' $warmWork 'ms' ("{0} AWS calls; boto3/OcdsAws {1} after the imports" -f $warmCalls, (& $ratio $botoWork $warmWork))
Add-Row 'runbook, OcdsAws: idempotent re-run of those names' (& $value $reRun 'WORK') 'ms' ("{0} AWS calls, {1} successful changes" -f (& $value $reRun 'CALLS'), (& $value $reRun 'CHANGES'))
$floor = & $Python (Join-Path $PSScriptRoot 'floor.py') $EndpointUrl 'us-east-1' 200 2>&1
if ($LASTEXITCODE -ne 0) { throw "floor.py failed: $($floor | Select-Object -Last 5)" }
Add-Row 'floor: pre-signed raw requests replayed (median per call)' (& $value $floor 'FLOOR') 'ms' ("OcdsAws per call: {0:0.0} ms in a fresh session, {1:0.0} ms in a used one" -f ($ocdsWork / [math]::Max(1, $ocdsCalls)), ($warmWork / [math]::Max(1, $warmCalls)))

# 4. DMARC: 1000 messages signed the way SES signs them (our domain's key), through Test-DmarcCompliance.
#    The key is published in the loopback DNS server's zone file; DNS questions are counted by the server log.
Add-Type -Path (Join-Path (Split-Path $ModulePath) 'dependencies/BouncyCastle.Cryptography.dll')
Add-Type -Path (Join-Path (Split-Path $ModulePath) 'dependencies/MimeKit.dll')
$rsa = [System.Security.Cryptography.RSA]::Create(2048)
$keyFile = [IO.Path]::GetTempFileName()
Set-Content -Path $keyFile -Value $rsa.ExportRSAPrivateKeyPem()
$public = [Convert]::ToBase64String($rsa.ExportSubjectPublicKeyInfo())
$txt = "v=DKIM1; k=rsa; p=$public"
$chunks = for ($i = 0; $i -lt $txt.Length; $i += 250) { '"' + $txt.Substring($i, [Math]::Min(250, $txt.Length - $i)) + '"' }
Add-Content -Path $ZoneFile -Value ("bench._domainkey.ocp-demo.example. 300 IN TXT " + ($chunks -join ' '))
Start-Sleep -Milliseconds 600   # the DNS server re-reads its zone file
$signer = [MimeKit.Cryptography.DkimSigner]::new($keyFile, 'ocp-demo.example', 'bench')
$signer.HeaderCanonicalizationAlgorithm = 'Relaxed'
$signer.BodyCanonicalizationAlgorithm = 'Relaxed'
$mail = Join-Path ([IO.Path]::GetTempPath()) ("ocdsaws-bench-" + [guid]::NewGuid().ToString('n'))
New-Item -ItemType Directory $mail | Out-Null
try {
    foreach ($i in 1..1000) {
        $message = [MimeKit.MimeMessage]::new()
        $message.From.Add([MimeKit.MailboxAddress]::new('', 'data@ocp-demo.example'))
        $message.To.Add([MimeKit.MailboxAddress]::new('', 'ops@example.org'))
        $message.Subject = "bench $i"
        $message.MessageId = "bench$i@ocp-demo.example"
        $message.Body = [MimeKit.TextPart]::new('plain')
        $message.Body.Text = "message $i"
        $message.Prepare([MimeKit.EncodingConstraint]::SevenBit)
        $signer.Sign($message, [string[]]@('From', 'To', 'Subject', 'Date', 'Message-ID'))
        $message.WriteTo((Join-Path $mail "m$i.eml"))
    }
    $clock.Restart()
    $output = Get-ChildItem $mail -Filter *.eml | Test-DmarcCompliance -DnsServer $DnsServer -Verbose 4>&1
    $seconds = $clock.Elapsed.TotalSeconds
    $verdicts = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
    $passed = @($verdicts | Where-Object { "$($_.Verdict)" -eq 'Pass' }).Count
    $dnsNote = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'DNS' } | Select-Object -Last 1).Message
    Add-Row 'Test-DmarcCompliance, 1000 DKIM-signed messages' ([math]::Round(1000 / $seconds, 0)) 'messages/s' ("{0} of {1} pass; {2}" -f $passed, $verdicts.Count, $dnsNote)
}
finally {
    Remove-Item -Recurse -Force $mail
    Remove-Item $keyFile
}

$lines = @("# OcdsAws benchmark", "", "Run $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC on $([Environment]::ProcessorCount) cores against a local moto and a loopback DNS server.", "",
    '| measure | value | unit | note |', '|---|---:|---|---|')
$lines += $rows | ForEach-Object { "| $($_.What) | $($_.Value) | $($_.Unit) | $($_.Note) |" }
$lines += '', 'How to read it. The import and first-call rows stand beside their floors: the empty binary module is what this pwsh',
    'charges any binary module''s import, the SDK row what the AWS SDK for .NET itself takes for a first call in a fresh',
    'process. The pwsh here is the PowerShell dotnet tool, whose System.Management.Automation.dll is IL only (not',
    'ReadyToRun): PowerShell''s own code paths JIT on first use. OcdsAws.Engine.dll and the dependencies are precompiled',
    '(ReadyToRun); OcdsAws.dll, the RootModule with the cmdlet classes, is IL on every platform. The runbook rows make different numbers of calls:',
    'OcdsAws reads before it creates (so every step can be re-run); bench/runbook-cli.sh and runbook_boto3.py are one-off',
    'scripts that only create. Every runbook variant meets an emulator warmed by one untimed boto3 run. "After the imports"',
    'leaves out the runtime''s start and the import (pwsh + Import-Module, Python + import boto3), which the whole-process',
    'figures include; a fresh pwsh session spends most of its runbook time on one-time JIT, which the used-session row and',
    'the re-run (the steady state) show. Timings on a 2-core machine are noisy: the child processes run round-robin.'
Set-Content -Path $ResultPath -Value $lines
