# AWS.Tools ships its own AWSSDK.Core with the same identity (4.0.0.0). A stand-in module that carries a
# different served Core build in its own folder, loaded the way AWS.Tools loads it (RequiredAssemblies),
# is imported before and after OcdsAws in one fresh pwsh: both must keep working.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    if (-not $bed.Packages) { throw 'OCDSAWS_PACKAGES is not set: run the tests with build.ps1 -Task Test.' }

    function New-StandIn([string] $Name, [string] $CoreVersion, [switch] $WithSts) {
        $folder = New-Item -ItemType Directory -Force (Join-Path $TestDrive $Name)
        Copy-Item (Join-Path $bed.Packages "awssdk.core/$CoreVersion/lib/netstandard2.0/AWSSDK.Core.dll") $folder
        $assemblies = @("'AWSSDK.Core.dll'")
        if ($WithSts) {
            Copy-Item (Join-Path $bed.Packages 'awssdk.securitytoken/4.0.101.10/lib/netstandard2.0/AWSSDK.SecurityToken.dll') $folder
            $assemblies += "'AWSSDK.SecurityToken.dll'"
        }
        Set-Content (Join-Path $folder "$Name.psd1") @"
@{ RootModule = '$Name.psm1'; ModuleVersion = '5.0.0'; GUID = '$([guid]::NewGuid())'
   RequiredAssemblies = @($($assemblies -join ', ')); FunctionsToExport = @('Get-StandInAccount', 'New-StandInCredential') }
"@
        Set-Content (Join-Path $folder "$Name.psm1") @'
function New-StandInCredential([string] $AccessKey, [string] $SecretKey) { [Amazon.Runtime.BasicAWSCredentials]::new($AccessKey, $SecretKey) }
function Get-StandInAccount([string] $EndpointUrl, [string] $AccessKey, [string] $SecretKey) {
    $config = [Amazon.SecurityToken.AmazonSecurityTokenServiceConfig]::new()
    $config.ServiceURL = $EndpointUrl
    $config.AuthenticationRegion = 'us-east-1'
    $client = [Amazon.SecurityToken.AmazonSecurityTokenServiceClient]::new((New-StandInCredential $AccessKey $SecretKey), $config)
    $client.GetCallerIdentityAsync([Amazon.SecurityToken.Model.GetCallerIdentityRequest]::new()).GetAwaiter().GetResult().Account
}
'@
        Join-Path $folder "$Name.psd1"
    }

    $standIn = New-StandIn 'AwsToolsStandIn' '4.0.102.19' -WithSts
    $tooOld = New-StandIn 'OldAwsToolsStandIn' '4.0.3.3'
    $prelude = "`$ErrorActionPreference = 'Stop'; `$e = '$($bed.Endpoint)'; `$ak = '$($bed.AccessKey)'; `$sk = '$($bed.SecretKey)'; "
    $coreReport = '[AppDomain]::CurrentDomain.GetAssemblies() | ? { $_.GetName().Name -eq ''AWSSDK.Core'' } | % { ''core '' + [Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).FileVersion }'
}

Describe 'OcdsAws beside an AWS.Tools-like module with its own AWSSDK.Core' {
    It 'works when the stand-in is imported first, on the stand-in''s Core, and accepts its credential objects' {
        $run = Invoke-ChildPwsh ($prelude + @"
Import-Module '$standIn'
'standin ' + (Get-StandInAccount `$e `$ak `$sk)
Import-Module '$($bed.Module)'
'ocds ' + (Get-OcdsAwsContext -EndpointUrl `$e -AccessKey `$ak -SecretKey `$sk).Account
'ocds-credential ' + (Get-OcdsAwsContext -EndpointUrl `$e -Credential (New-StandInCredential `$ak `$sk)).Account
'standin-again ' + (Get-StandInAccount `$e `$ak `$sk)
$coreReport
"@)
        $run.Output | Should -Contain 'standin 123456789012'
        $run.Output | Should -Contain 'ocds 123456789012'
        $run.Output | Should -Contain 'ocds-credential 123456789012'
        $run.Output | Should -Contain 'standin-again 123456789012'
        $run.Output | Should -Contain 'core 4.0.102.19'
        $run.ExitCode | Should -Be 0
    }

    It 'works when OcdsAws is imported and used first: each module keeps its own Core' {
        $run = Invoke-ChildPwsh ($prelude + @"
Import-Module '$($bed.Module)'
'ocds ' + (Get-OcdsAwsContext -EndpointUrl `$e -AccessKey `$ak -SecretKey `$sk).Account
Import-Module '$standIn'
'standin ' + (Get-StandInAccount `$e `$ak `$sk)
'ocds-again ' + (Get-OcdsAwsContext -EndpointUrl `$e -AccessKey `$ak -SecretKey `$sk).Account
'ocds-credential ' + (Get-OcdsAwsContext -EndpointUrl `$e -Credential (New-StandInCredential `$ak `$sk)).Account
`$StoredAWSCredentials = New-StandInCredential `$ak `$sk
'ocds-stored ' + (Get-OcdsAwsContext -EndpointUrl `$e).Account
$coreReport
"@)
        $run.Output | Should -Contain 'ocds 123456789012'
        $run.Output | Should -Contain 'standin 123456789012'
        $run.Output | Should -Contain 'ocds-again 123456789012'
        $run.Output | Should -Contain 'ocds-credential 123456789012'
        $run.Output | Should -Contain 'ocds-stored 123456789012'
        ($run.Output | Where-Object { $_ -like 'core *' } | Sort-Object) | Should -Be @('core 4.0.102.19', 'core 4.1.0.0')
        $run.ExitCode | Should -Be 0
    }

    It 'refuses, saying what to do, when a Core too old for its SDK packages was loaded first' {
        $run = Invoke-ChildPwsh ($prelude + @"
Import-Module '$tooOld'
try { Import-Module '$($bed.Module)'; 'imported' } catch { 'refused: ' + `$_.Exception.Message }
"@)
        $message = $run.Output | Where-Object { $_ -like 'refused:*' }
        $message | Should -Not -BeNullOrEmpty
        $message | Should -BeLike '*AWSSDK.Core 4.0.102.19 or later*4.0.3.3*Import OcdsAws first*'
    }
}

# PSResourceGet's ModuleInitAndCleanup.cs is the model: the resolver answers only its own module's requests and is
# unhooked when the module is removed, so Remove-Module then Import-Module works in one session.
Describe 'OcdsAws''s assembly resolver' {
    BeforeAll {
        $eml = Join-Path $TestDrive 'plain.eml'
        Set-Content $eml "From: a@ocp-demo.example`r`nTo: b@example.org`r`nSubject: x`r`nDate: Thu, 03 Dec 2026 10:00:00 +0000`r`nMessage-ID: <1@ocp-demo.example>`r`n`r`nhello`r`n"
        # The handlers on AppDomain.AssemblyResolve that come from OcdsAws (.NET keeps them on AssemblyLoadContext).
        $ownHandlers = '@(([System.Runtime.Loader.AssemblyLoadContext].GetField(''AssemblyResolve'', [Reflection.BindingFlags]''NonPublic,Static'').GetValue($null))?.GetInvocationList() | Where-Object { $_.Method.DeclaringType.Assembly.GetName().Name -eq ''OcdsAws'' }).Count'
        $dmarc = "(Test-DmarcCompliance -Path '$eml' -DnsServer '$($bed.DnsServer)').Verdict"
    }

    It 'does not hand its private copies to code that is not OcdsAws''s' {
        $run = Invoke-ChildPwsh ($prelude + @"
Import-Module '$($bed.Module)'
try { [Reflection.Assembly]::Load('MimeKit') | Out-Null; 'loaded for the script' } catch { 'not answered' }
"@)
        $run.Output | Should -Contain 'not answered'
    }

    It 'unhooks on Remove-Module and works again after Import-Module in the same session<_>' -ForEach @('', ' beside an AWS.Tools-like module') {
        $first = if ($_) { "Import-Module '$standIn'; 'standin ' + (Get-StandInAccount `$e `$ak `$sk)" } else { '' }
        $run = Invoke-ChildPwsh ($prelude + @"
$first
Import-Module '$($bed.Module)'
'ocds ' + (Get-OcdsAwsContext -EndpointUrl `$e -AccessKey `$ak -SecretKey `$sk).Account
'handlers after import ' + $ownHandlers
Remove-Module OcdsAws
'handlers after remove ' + $ownHandlers
Import-Module '$($bed.Module)'
'handlers after re-import ' + $ownHandlers
'ocds-again ' + (Get-OcdsAwsContext -EndpointUrl `$e -AccessKey `$ak -SecretKey `$sk).Account
'dmarc ' + $dmarc
"@)
        $run.Output | Should -Contain 'ocds 123456789012'
        $run.Output | Should -Contain 'handlers after import 1'
        $run.Output | Should -Contain 'handlers after remove 0'
        $run.Output | Should -Contain 'handlers after re-import 1'
        $run.Output | Should -Contain 'ocds-again 123456789012'
        # MimeKit loads only now, through the re-hooked resolver.
        ($run.Output | Where-Object { $_ -like 'dmarc *' }) | Should -Not -BeNullOrEmpty
        $run.Output | Should -Not -Contain 'dmarc '
        $run.ExitCode | Should -Be 0
    }
}
