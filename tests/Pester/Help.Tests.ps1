# Help through the published module: Get-Help for every exported cmdlet and about_OcdsAws (the MAML that
# build/New-MamlHelp.ps1 makes from docs/en-US), the build step's own checks, and every example of the help
# run as written against moto and the loopback DNS server.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    $cmdlets = @((Import-PowerShellDataFile $bed.Module).CmdletsToExport | Sort-Object | ForEach-Object { @{ Name = $_ } })
    # The examples as shipped: the dev:code of each command:example in the published MAML.
    $maml = Join-Path (Split-Path $bed.Module) 'en-US/OcdsAws.dll-Help.xml'
    $examples = @()
    if (Test-Path $maml) {
        $xml = [xml](Get-Content -Raw $maml)
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        foreach ($command in $xml.SelectNodes('//command:command', $ns)) {
            $name = $command.SelectSingleNode('command:details/command:name', $ns).InnerText
            $n = 0
            foreach ($example in $command.SelectNodes('command:examples/command:example', $ns)) {
                $n++
                $examples += @{ Command = $name; Number = $n; Code = $example.SelectSingleNode('dev:code', $ns).InnerText }
            }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $moduleDir = Split-Path $bed.Module
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $docs = Join-Path $repo 'docs/en-US'
    $newMamlHelp = Join-Path $repo 'build/New-MamlHelp.ps1'
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    # DontShow parameters (the piped object the cmdlet template reads the Region of) have no help, as in build/New-MamlHelp.ps1.
    function Test-HiddenParameter($Parameter) {
        [bool]@($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }).Count
    }

    # Runs the build step in a fresh pwsh against the published module; returns exit code and output.
    function Invoke-NewMamlHelp([string] $DocsPath, [string] $OutputPath) {
        $script = "`$ErrorActionPreference = 'Stop'; `$PSStyle.OutputRendering = 'PlainText'; try { & '$newMamlHelp' -DocsPath '$DocsPath' -ModulePath '$($bed.Module)' -OutputPath '$OutputPath' | Out-Null; 'BUILT' } catch { `$_.Exception.Message; exit 1 }"
        Invoke-ChildPwsh $script
    }

    function Copy-Docs {
        $copy = Join-Path ([System.IO.Path]::GetTempPath()) ("ocdsaws-docs-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
        Copy-Item -Recurse $docs $copy
        $copy
    }
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    It 'shows synopsis, description, every parameter, two or more examples and related links' {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ("^" + [regex]::Escape($Name) + " ")   # without MAML the synopsis is the syntax line
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters -and -not (Test-HiddenParameter $_) }) {
            $entry = @($help.parameters.parameter | Where-Object name -eq $parameter.Name)
            $entry | Should -HaveCount 1 -Because "-$($parameter.Name) of $Name must be in its help"
            ($entry[0].description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $Name must be described"
            $entry[0].type.name | Should -Not -BeNullOrEmpty
        }
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        @($help.examples.example | Where-Object { $_.code -match '\|' }).Count | Should -BeGreaterOrEqual 1 -Because 'one example pipes into the next step'
        @($help.relatedLinks.navigationLink.linkText) | Should -Contain 'about_OcdsAws'
        $text = Get-Help $Name -Full | Out-String -Width 200
        $text | Should -BeLike "*$($help.Synopsis)*"
        $text | Should -BeLike '*Example 1:*'
        $text | Should -BeLike '*Example 2:*'
    }

    It 'has the syntax and parameter metadata of the real cmdlet' {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
        @($help.syntax.syntaxItem).Count | Should -Be $command.ParameterSets.Count
        foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters -and -not (Test-HiddenParameter $_) }) {
            $entry = $help.parameters.parameter | Where-Object name -eq $parameter.Name
            $attributes = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
            $entry.required | Should -Be ([bool]($attributes | Where-Object Mandatory)).ToString().ToLowerInvariant()
            $position = @($attributes | Where-Object Position -ge 0 | ForEach-Object Position)
            $entry.position | Should -Be $(if ($position.Count) { [string]$position[0] } else { 'named' })
            $byValue = [bool]($attributes | Where-Object ValueFromPipeline)
            $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
            $entry.pipelineInput | Should -Be $(if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' })
        }
    }
}

Describe 'about_OcdsAws' {
    It 'maps the runbook to every exported cmdlet and says what changed' {
        $text = Get-Help about_OcdsAws | Out-String -Width 200
        $text | Should -BeLike '*THE RUNBOOK, SECTION BY SECTION*'
        $text | Should -BeLike '*THE WHOLE FLOW AS ONE SCRIPT*'
        $text | Should -BeLike '*WHAT CHANGED FROM THE CONSOLE RUNBOOK*'
        $text | Should -BeLike '*Serverless v2*'
        $text | Should -BeLike '*0.0.0.0/0*'
        foreach ($name in (Get-Command -Module OcdsAws).Name) { $text | Should -BeLike "*$name*" -Because "about_OcdsAws maps $name" }
    }

    It 'ships beside the MAML in the published module' {
        Join-Path $moduleDir 'en-US/about_OcdsAws.help.txt' | Should -Exist
        Join-Path $moduleDir 'en-US/OcdsAws.dll-Help.xml' | Should -Exist
    }
}

Describe 'build/New-MamlHelp.ps1' {
    It 'builds MAML with one command per exported cmdlet' {
        $out = Join-Path ([System.IO.Path]::GetTempPath()) ("ocdsaws-help-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
        try {
            $run = Invoke-NewMamlHelp $docs $out
            $run.Output | Should -Contain 'BUILT'
            $xml = [xml](Get-Content -Raw (Join-Path $out 'OcdsAws.dll-Help.xml'))
            $names = @($xml.helpItems.command | ForEach-Object { $_.details.name })
            $names | Sort-Object | Should -Be @((Get-Command -Module OcdsAws).Name | Sort-Object)
            Get-Content -Raw (Join-Path $out 'about_OcdsAws.help.txt') | Should -BeLike 'TOPIC*about_OcdsAws*'
        }
        finally { Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue }
    }

    It 'fails listing a cmdlet without .md, an undescribed parameter and a cmdlet with one example' {
        $copy = Copy-Docs
        try {
            Remove-Item (Join-Path $copy 'Get-SesAccount.md')
            $md = Join-Path $copy 'Export-DnsRecord.md'
            (Get-Content -Raw $md) -replace '(?s)### -Format.*?(?=### -Path)', '' | Set-Content $md
            $md = Join-Path $copy 'Test-DnsBlocklist.md'
            (Get-Content -Raw $md) -replace '(?s)### Example 2:.*?(?=## RELATED LINKS)', '' | Set-Content $md
            $run = Invoke-NewMamlHelp $copy (Join-Path $copy 'out')
            $run.ExitCode | Should -Not -Be 0
            $text = $run.Output -join "`n"
            $text | Should -BeLike '*Get-SesAccount: no *Get-SesAccount.md*'
            $text | Should -BeLike '*Export-DnsRecord: parameter -Format is not described*'
            $text | Should -BeLike '*Test-DnsBlocklist: 1 example(s)*at least two*'
            Join-Path $copy 'out/OcdsAws.dll-Help.xml' | Should -Not -Exist
        }
        finally { Remove-Item -Recurse -Force $copy -ErrorAction SilentlyContinue }
    }

    It 'fails when an .md describes a parameter the cmdlet does not have' {
        $copy = Copy-Docs
        try {
            $md = Join-Path $copy 'Get-DmarcRecord.md'
            (Get-Content -Raw $md) -replace '## EXAMPLES', "### -Selector`n`nNo such parameter.`n`n## EXAMPLES" | Set-Content $md
            $run = Invoke-NewMamlHelp $copy (Join-Path $copy 'out')
            $run.ExitCode | Should -Not -Be 0
            ($run.Output -join "`n") | Should -BeLike '*Get-DmarcRecord: the .md describes -Selector*'
        }
        finally { Remove-Item -Recurse -Force $copy -ErrorAction SilentlyContinue }
    }
}

Describe 'Help examples against moto' {
    BeforeAll {
        # The SDK reads these, so the examples stay exactly as written and still talk only to 127.0.0.1.
        $saved = @{}
        $variables = @{
            AWS_ENDPOINT_URL = $bed.Endpoint; AWS_ACCESS_KEY_ID = $bed.AccessKey; AWS_SECRET_ACCESS_KEY = $bed.SecretKey
            AWS_REGION = 'us-west-2'; AWS_DEFAULT_REGION = $null; AWS_PROFILE = $null; AWS_SESSION_TOKEN = $null
        }
        foreach ($v in $variables.GetEnumerator()) {
            $saved[$v.Key] = [Environment]::GetEnvironmentVariable($v.Key)
            [Environment]::SetEnvironmentVariable($v.Key, $v.Value)
        }
        $savedDefaults = $PSDefaultParameterValues.Clone()
        $PSDefaultParameterValues['*:DnsServer'] = $bed.DnsServer

        # What the runbook's earlier steps (and SES) would have done, played on the test bed.
        function Send-TestBed([string] $Path, [hashtable] $Body) {
            Invoke-RestMethod -Method Post -Uri ($bed.Endpoint.TrimEnd('/') + $Path) -ContentType 'application/json' -Body ($Body | ConvertTo-Json) | Out-Null
        }
        $context = Get-OcdsAwsContext
        $account = $context.Account
        $region = 'us-west-2'
        New-SesDomainVerification -Domain example.org -WarningAction SilentlyContinue | Out-Null
        Send-TestBed '/ocds-testbed/sesv2/identity-status' @{ account = $account; region = $region; identity = 'example.org'; verification = 'SUCCESS'; dkim = 'SUCCESS' }
        New-SesEmailVerification -EmailAddress data@example.org -WarningAction SilentlyContinue | Out-Null
        Send-TestBed '/ocds-testbed/ses/deliver-verification-mail' @{ account = $account; region = $region; address = 'data@example.org' }
        Send-TestBed '/ocds-testbed/sesv2/identity-status' @{ account = $account; region = $region; identity = 'data@example.org'; verification = 'SUCCESS' }
        New-AuroraNetwork -Name ocp-aurora -WarningAction SilentlyContinue | New-AuroraServerlessCluster -DBClusterIdentifier ocp-db -Wait -WarningAction SilentlyContinue | Out-Null
    }

    AfterAll {
        foreach ($v in $saved.GetEnumerator()) { [Environment]::SetEnvironmentVariable($v.Key, $v.Value) }
        $PSDefaultParameterValues.Clear()
        foreach ($d in $savedDefaults.GetEnumerator()) { $PSDefaultParameterValues[$d.Key] = $d.Value }
    }

    It 'sends every service the examples use to the test bed (AWS_ENDPOINT_URL)' {
        $context.Endpoints | Should -Not -BeNullOrEmpty
        foreach ($endpoint in $context.Endpoints) {
            $endpoint.Url | Should -BeLike "$($bed.Endpoint.TrimEnd('/'))*" -Because "$($endpoint.Service) must go to moto on 127.0.0.1"
        }
    }

    It 'the published help has examples to run' -TestCases @(@{ Found = $examples.Count; Needed = 2 * $cmdlets.Count }) {
        $Found | Should -BeGreaterOrEqual $Needed
    }

    It '<Command> example <Number> runs as written' -ForEach $examples {
        $dir = New-Item -ItemType Directory -Path (Join-Path ([System.IO.Path]::GetTempPath()) ("ocdsaws-example-" + [guid]::NewGuid().ToString('n').Substring(0, 8)))
        Push-Location $dir
        try {
            $ErrorActionPreference = 'Stop'
            # Formatting the output too: an example whose output cannot be shown does not run as written.
            $null = & ([scriptblock]::Create($Code)) 3>$null 6>$null | Out-String -Width 200
        }
        finally {
            Pop-Location
            Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Defaults and online help' {
    BeforeAll {
        # The value a parameter has when it is not given: the property's initial value on a new cmdlet object.
        function Get-InitialValue($Command, [string] $Parameter) {
            $type = $Command.ImplementingType
            $instance = [Activator]::CreateInstance($type)
            for ($t = $type; $t; $t = $t.BaseType) {
                $property = $t.GetProperty($Parameter, [System.Reflection.BindingFlags]'Public,Instance,DeclaredOnly')
                if ($property) { return $property.GetValue($instance) }
            }
        }
        $manifest = Import-PowerShellDataFile (Join-Path $repo 'OcdsAws.psd1')
        $projectUri = $manifest.PrivateData.PSData.ProjectUri
    }

    It 'shows the real default of <Cmdlet> -<Parameter>: <Default>' -ForEach @(
        @{ Cmdlet = 'New-AuroraServerlessCluster'; Parameter = 'Timeout'; Default = '00:30:00' }
        @{ Cmdlet = 'New-AuroraServerlessCluster'; Parameter = 'MaxCapacity'; Default = '2' }
        @{ Cmdlet = 'New-AuroraServerlessCluster'; Parameter = 'MinCapacity'; Default = '0' }
        @{ Cmdlet = 'New-SesDomainVerification'; Parameter = 'DkimKeyLength'; Default = '2048' }
        @{ Cmdlet = 'Wait-SesDomainVerification'; Parameter = 'Timeout'; Default = '00:30:00' }
        @{ Cmdlet = 'Set-SesIdentityNotification'; Parameter = 'NotificationType'; Default = 'Bounce, Complaint' }
        @{ Cmdlet = 'Export-DnsRecord'; Parameter = 'Format'; Default = 'Bind' }
        @{ Cmdlet = 'New-SesDomainVerification'; Parameter = 'Domain'; Default = 'None' }
    ) {
        (Get-Help $Cmdlet -Parameter $Parameter).defaultValue | Should -BeExactly $Default
        (Get-Help $Cmdlet -Parameter $Parameter | Out-String -Width 200) | Should -Match "Default value\s+$([regex]::Escape($Default))\s*$([Environment]::NewLine)"
    }

    It '<Name>: every parameter with a default shows it, every other shows None' -ForEach $cmdlets {
        $command = Get-Command $Name
        foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters -and -not (Test-HiddenParameter $_) }) {
            $shown = (Get-Help $Name -Parameter $parameter.Name).defaultValue
            if ($parameter.ParameterType -eq [switch]) { $shown | Should -Be 'False'; continue }
            $initial = Get-InitialValue $command $parameter.Name
            # Mandatory in every parameter set: the cmdlet never runs without it, so it has no default.
            $sets = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
            $mandatory = $sets.Count -gt 0 -and -not ($sets | Where-Object { -not $_.Mandatory })
            $hasDefault = -not $mandatory -and $null -ne $initial -and "$initial" -ne '' -and -not ($initial -is [array] -and $initial.Count -eq 0)
            if ($hasDefault) { $shown | Should -Not -Be 'None' -Because "-$($parameter.Name) of $Name is $initial when not given" }
            else { $shown | Should -Be 'None' -Because "-$($parameter.Name) of $Name has no default" }
        }
    }

    It '-Online opens each cmdlet''s page in the docs of the repository the manifest names' {
        # Get-Help -Online takes the help's first related link that has a URI, then the cmdlet's HelpUri (PowerShell's
        # BaseCommandHelpInfo.GetUriForOnlineHelp); on Linux it hands the URI to xdg-open, here a stand-in that writes it
        # down. One child pwsh for every cmdlet, so that PATH holds the stand-in from the start.
        $bin = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) ("ocdsaws-open-" + [guid]::NewGuid().ToString('n').Substring(0, 8)))
        try {
            $opened = Join-Path $bin 'opened.txt'
            # xdg-open runs apart from Get-Help: the stand-in appends, and the child waits for one line per cmdlet.
            Set-Content (Join-Path $bin 'xdg-open') "#!/bin/sh`nprintf '%s\n' `"`$1`" >> '$opened'`n"
            chmod +x (Join-Path $bin 'xdg-open')
            $names = @((Import-PowerShellDataFile $bed.Module).CmdletsToExport)
            $script = "`$env:PATH = '$bin' + [IO.Path]::PathSeparator + `$env:PATH; Import-Module '$($bed.Module)'; " +
                "foreach (`$n in '$($names -join "','")') { Get-Help `$n -Online }; " +
                "for (`$i = 0; `$i -lt 100 -and @(Get-Content '$opened' -ErrorAction Ignore).Count -lt $($names.Count); `$i++) { Start-Sleep -Milliseconds 100 }"
            $run = Invoke-ChildPwsh $script
            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output | Should -BeNullOrEmpty -Because 'Get-Help -Online finds a URI for every cmdlet'
            $expected = @($names | ForEach-Object { "$projectUri/blob/main/docs/en-US/$_.md" } | Sort-Object)
            @(Get-Content $opened | Sort-Object) | Should -Be $expected
            foreach ($name in $names) {
                (Get-Command $name).HelpUri | Should -BeExactly "$projectUri/blob/main/docs/en-US/$name.md"
                Join-Path $docs "$name.md" | Should -Exist
            }
        }
        finally { Remove-Item -Recurse -Force $bin -ErrorAction SilentlyContinue }
    }
}
