<#
.SYNOPSIS
    Turns docs/en-US/*.md (the one source of OcdsAws's help) into MAML (OcdsAws.dll-Help.xml) and
    about_OcdsAws.help.txt.
.DESCRIPTION
    Synopsis, description, parameter descriptions, examples, notes and related links come from the
    markdown; syntax, parameter types, required, position, pipeline input, aliases, accepted values and
    default values come from the real cmdlets (Get-Command on the published module, a new cmdlet object's
    property values), so they cannot drift. Each cmdlet's first related link, the one Get-Help -Online
    opens, is its page under docs/en-US in the repository the manifest's ProjectUri names.

    The markdown layout (docs/README.md describes it):
        # Cmdlet-Name
        ## SYNOPSIS            one paragraph
        ## DESCRIPTION         paragraphs
        ## PARAMETERS          ### -Name + paragraphs, one per parameter
        ## EXAMPLES            ### Example N: title + one ```powershell block + paragraphs
        ## INPUTS / ## OUTPUTS / ## NOTES (optional)   paragraphs
        ## RELATED LINKS       "- [text](uri)" or "- text" lines
    The common AWS parameters (-Region, -ProfileName, -AccessKey...) are described once, in
    about_OcdsAws.md's "## COMMON AWS PARAMETERS" section; a cmdlet's own "### -Region" overrides it.

    Fails, listing every problem, when an exported cmdlet has no .md, a parameter (other than
    PowerShell's common parameters) is described neither in its .md nor as a common AWS parameter,
    an .md describes a parameter the cmdlet does not have, a cmdlet has no synopsis or description,
    or fewer than two examples.
.EXAMPLE
    ./build/New-MamlHelp.ps1 -DocsPath docs/en-US -ModulePath out/module/OcdsAws/OcdsAws.psd1 -OutputPath out/module/OcdsAws/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# ---- markdown --------------------------------------------------------------------------------

# Splits a markdown file into { Title; Sections = ordered name -> @{ Text; Subsections = ordered name -> text } }.
function Read-HelpMarkdown([string] $Path) {
    $doc = [ordered]@{ Title = $null; Sections = [ordered]@{} }
    $section = $null; $sub = $null; $inCode = $false
    foreach ($line in (Get-Content -LiteralPath $Path -Encoding utf8)) {
        if ($line -match '^\s*```') { $inCode = -not $inCode }
        if (-not $inCode -and $line -match '^# (.+?)\s*$' -and $null -eq $doc.Title) { $doc.Title = $Matches[1]; continue }
        if (-not $inCode -and $line -match '^## (.+?)\s*$') {
            $section = @{ Lines = [System.Collections.Generic.List[string]]::new(); Subsections = [ordered]@{} }
            $doc.Sections[$Matches[1].ToUpperInvariant()] = $section; $sub = $null; continue
        }
        if (-not $inCode -and $line -match '^### (.+?)\s*$' -and $null -ne $section) {
            $sub = [System.Collections.Generic.List[string]]::new()
            $section.Subsections[$Matches[1]] = $sub; continue
        }
        if ($null -ne $sub) { $sub.Add($line) } elseif ($null -ne $section) { $section.Lines.Add($line) }
    }
    foreach ($s in $doc.Sections.Values) {
        $s.Text = ($s.Lines -join "`n").Trim()
        foreach ($k in @($s.Subsections.Keys)) { $s.Subsections[$k] = ($s.Subsections[$k] -join "`n").Trim() }
    }
    return $doc
}

# Paragraphs of plain text: blank lines separate them; lines inside one are joined; list items stay lines.
function ConvertTo-Paragraphs([string] $Text) {
    if (-not $Text) { return @() }
    $paras = [System.Collections.Generic.List[string]]::new()
    foreach ($block in ($Text -split '\n\s*\n')) {
        $lines = @($block -split '\n' | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ })
        if (-not $lines) { continue }
        if ($lines[0] -match '^\s*```') { $paras.Add(($lines | Where-Object { $_ -notmatch '^\s*```' }) -join "`n"); continue }
        $current = ''
        foreach ($l in $lines) {
            if ($l -match '^\s*([-*]|\d+\.|\|) ') { if ($current) { $paras.Add($current) }; $current = $l.Trim() }
            else { $current = if ($current) { "$current $($l.Trim())" } else { $l.Trim() } }
        }
        if ($current) { $paras.Add($current) }
    }
    return @($paras | ForEach-Object { ConvertFrom-InlineMarkdown $_ })
}

function ConvertFrom-InlineMarkdown([string] $Text) {
    $Text = $Text -replace '\[([^\]]+)\]\(([^)]*)\)', '$1'        # [text](uri) -> text
    $Text = $Text -replace '(?<![\w`])\*\*([^*]+)\*\*', '$1' -replace '(?<![\w`*])\*([^*\s][^*]*)\*', '$1'
    return $Text -replace '`([^`]+)`', '$1'
}

# Example subsection: ```powershell block = code, the rest = remarks.
function Split-Example([string] $Text) {
    if ($Text -notmatch '(?s)```(?:powershell|ps1|pwsh)?[^\n]*\n(.*?)\n?```') { return $null }
    $code = $Matches[1].TrimEnd()
    $remarks = ($Text -replace '(?s)```(?:powershell|ps1|pwsh)?[^\n]*\n.*?\n?```', '').Trim()
    [pscustomobject]@{ Code = $code; Remarks = $remarks }
}

function Get-HelpExamples($Doc) {
    if (-not $Doc.Sections.Contains('EXAMPLES')) { return @() }
    $n = 0
    foreach ($entry in $Doc.Sections['EXAMPLES'].Subsections.GetEnumerator()) {
        $n++
        $parts = Split-Example $entry.Value
        if ($parts) {
            $title = $entry.Key -replace '^Example\s+\d+\s*:\s*', ''
            [pscustomobject]@{ Number = $n; Title = $title; Code = $parts.Code; Remarks = $parts.Remarks }
        }
    }
}

function Get-RelatedLinks([string] $Text) {
    foreach ($line in ($Text -split '\n')) {
        if ($line -match '^\s*[-*]\s+\[([^\]]+)\]\(([^)]*)\)') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
        elseif ($line -match '^\s*[-*]\s+(.+?)\s*$') { [pscustomobject]@{ Text = (ConvertFrom-InlineMarkdown $Matches[1]); Uri = '' } }
    }
}

# ---- MAML ------------------------------------------------------------------------------------

$ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Add-Element($Parent, [string] $Name, [string] $Text) {
    $prefix, $local = $Name -split ':', 2
    $el = $Parent.OwnerDocument.CreateElement($prefix, $local, $ns[$prefix])
    if ($PSBoundParameters.ContainsKey('Text')) { $el.InnerText = $Text }
    [void]$Parent.AppendChild($el)
    return $el
}

function Add-Paragraphs($Parent, [string[]] $Paragraphs) {
    foreach ($p in $Paragraphs) { [void](Add-Element $Parent 'maml:para' $p) }
}

function Get-TypeName([type] $Type) {
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    if ($Type.IsArray) { return (Get-TypeName $Type.GetElementType()) + '[]' }
    $nullable = [Nullable]::GetUnderlyingType($Type)
    if ($nullable) { return (Get-TypeName $nullable) }
    return $Type.Name
}

function Get-PipelineInput($Attributes) {
    $byValue = [bool]($Attributes | Where-Object ValueFromPipeline)
    $byName = [bool]($Attributes | Where-Object ValueFromPipelineByPropertyName)
    if ($byValue -and $byName) { return 'True (ByValue, ByPropertyName)' }
    if ($byValue) { return 'True (ByValue)' }
    if ($byName) { return 'True (ByPropertyName)' }
    return 'False'
}

function Get-AcceptedValues($Parameter) {
    $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return @($set.ValidValues) }
    $type = $Parameter.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    $underlying = [Nullable]::GetUnderlyingType($type)
    if ($underlying) { $type = $underlying }
    if ($type.IsEnum) { return @([enum]::GetNames($type)) }
    return @()
}

# One <command:parameter>; $Attribute is the set's ParameterAttribute (syntax) or all of them (parameters).
function Add-Parameter($Parent, $Parameter, $Attributes, [string[]] $Description, [string] $DefaultValue, [switch] $InSyntax) {
    $required = [bool]($Attributes | Where-Object Mandatory)
    $position = @($Attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Select-Object -First 1)
    $el = Add-Element $Parent 'command:parameter'
    $el.SetAttribute('required', $required.ToString().ToLowerInvariant())
    $el.SetAttribute('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
    $el.SetAttribute('globbing', 'false')
    $el.SetAttribute('pipelineInput', (Get-PipelineInput $Attributes))
    $el.SetAttribute('position', $(if ($position.Count) { [string]$position[0] } else { 'named' }))
    $el.SetAttribute('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    [void](Add-Element $el 'maml:name' $Parameter.Name)
    Add-Paragraphs (Add-Element $el 'maml:description') $Description
    $typeName = Get-TypeName $Parameter.ParameterType
    $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $values = @(Get-AcceptedValues $Parameter)
    if ($InSyntax -and $values) {
        $group = Add-Element $el 'command:parameterValueGroup'
        foreach ($v in $values) {
            $pv = Add-Element $group 'command:parameterValue' $v
            $pv.SetAttribute('required', 'false'); $pv.SetAttribute('variableLength', 'false')
        }
    }
    elseif (-not $isSwitch) {
        $pv = Add-Element $el 'command:parameterValue' $typeName
        $pv.SetAttribute('required', 'true'); $pv.SetAttribute('variableLength', $Parameter.ParameterType.IsArray.ToString().ToLowerInvariant())
    }
    $type = Add-Element $el 'dev:type'
    [void](Add-Element $type 'maml:name' $typeName)
    [void](Add-Element $type 'maml:uri' '')
    [void](Add-Element $el 'dev:defaultValue' $(if ($isSwitch) { 'False' } elseif ($DefaultValue) { $DefaultValue } else { 'None' }))
}

# The value a parameter has when it is not given: its property's initial value on a new cmdlet object, so that help
# cannot drift from the code. None for mandatory parameters and for properties that start empty (the cmdlet then
# works the default out itself, as the parameter's description says).
function Get-DefaultValue($Command, $Parameter, [hashtable] $Instances) {
    $mandatory = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    if ($mandatory.Count -and -not ($mandatory | Where-Object { -not $_.Mandatory })) { return $null }
    $type = $Command.ImplementingType
    if (-not $Instances.ContainsKey($Command.Name)) { $Instances[$Command.Name] = [Activator]::CreateInstance($type) }
    # The most derived declaration: a cmdlet may hide a base property (Get-SmtpCredential's -Region).
    for ($t = $type; $t; $t = $t.BaseType) {
        $property = $t.GetProperty($Parameter.Name, [System.Reflection.BindingFlags]'Public,Instance,DeclaredOnly')
        if ($property) { break }
    }
    if (-not $property) { return $null }
    $value = $property.GetValue($Instances[$Command.Name])
    if ($null -eq $value) { return $null }
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    if ($value -is [string]) { return $value }
    if ($value -is [System.Collections.IEnumerable]) {
        $items = @($value | ForEach-Object { [System.Convert]::ToString($_, $invariant) })
        return $(if ($items.Count) { $items -join ', ' } else { $null })
    }
    if ($value -is [timespan]) { return $value.ToString('c', $invariant) }
    return [System.Convert]::ToString($value, $invariant)
}

# ---- main ------------------------------------------------------------------------------------

$common = [System.Collections.Generic.HashSet[string]]::new([string[]]([System.Management.Automation.Cmdlet]::CommonParameters +
    [System.Management.Automation.Cmdlet]::OptionalCommonParameters), [StringComparer]::OrdinalIgnoreCase)

# A DontShow parameter (the piped object the cmdlet template reads the Region of) is not for users: no help, no syntax.
function Test-Hidden($Parameter) {
    [bool]@($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }).Count
}

$aboutPath = Join-Path $DocsPath 'about_OcdsAws.md'
if (-not (Test-Path -LiteralPath $aboutPath)) { throw "New-MamlHelp: $aboutPath is missing." }
$about = Read-HelpMarkdown $aboutPath
$commonAws = @{}
if ($about.Sections.Contains('COMMON AWS PARAMETERS')) {
    foreach ($entry in $about.Sections['COMMON AWS PARAMETERS'].Subsections.GetEnumerator()) {
        if ($entry.Key -match '^-(\w+)$') { $commonAws[$Matches[1]] = @(ConvertTo-Paragraphs $entry.Value) + 'This parameter is common to the AWS cmdlets of OcdsAws: see about_OcdsAws.' }
    }
}

# The published module, in a fresh module table entry; its commands are the truth about parameters.
$module = Import-Module -Name (Resolve-Path -LiteralPath $ModulePath).Path -PassThru -Force -DisableNameChecking -ErrorAction Stop |
    Where-Object Name -eq 'OcdsAws' | Select-Object -First 1
$exported = @($module.ExportedCmdlets.Values | Sort-Object Name)
if (-not $exported) { throw "New-MamlHelp: $ModulePath exports no cmdlet." }

# -WhatIf and -Confirm are PowerShell's, but Get-Help lists them for cmdlets that support ShouldProcess.
$shouldProcess = @{
    WhatIf  = @('Shows what would happen if the cmdlet runs. The cmdlet is not run: no AWS call changes anything.')
    Confirm = @('Prompts you for confirmation before running the cmdlet. -Force, where the cmdlet has it, skips the prompt.')
}

$problems = [System.Collections.Generic.List[string]]::new()
$instances = @{}
# -Online: Get-Help opens the help's first related link that has a URI (PowerShell's BaseCommandHelpInfo.GetUriForOnlineHelp),
# here the cmdlet's page in the docs of the repository the manifest names (PSData.ProjectUri), as the repository shows it.
$projectUri = (Import-PowerShellDataFile -LiteralPath (Resolve-Path -LiteralPath $ModulePath).Path).PrivateData.PSData.ProjectUri
if (-not $projectUri) { throw "New-MamlHelp: $ModulePath has no PrivateData.PSData.ProjectUri to link the online help to." }
$onlineRoot = "$($projectUri.TrimEnd('/'))/blob/main/docs/en-US/"
$xml = [System.Xml.XmlDocument]::new()
[void]$xml.AppendChild($xml.CreateXmlDeclaration('1.0', 'utf-8', $null))
$root = $xml.CreateElement('helpItems', $ns.msh)
$root.SetAttribute('schema', 'maml')
foreach ($p in 'maml', 'command', 'dev') { $root.SetAttribute("xmlns:$p", $ns[$p]) }
[void]$xml.AppendChild($root)

$mdNames = @(Get-ChildItem -LiteralPath $DocsPath -Filter '*.md' | ForEach-Object BaseName)
foreach ($name in $mdNames) {
    if ($name -notin @($exported.Name) -and $name -notin 'about_OcdsAws', 'README') { $problems.Add("${name}.md: no exported cmdlet has this name") }
}

foreach ($cmd in $exported) {
    $mdPath = Join-Path $DocsPath "$($cmd.Name).md"
    if (-not (Test-Path -LiteralPath $mdPath)) { $problems.Add("$($cmd.Name): no $mdPath"); continue }
    $doc = Read-HelpMarkdown $mdPath
    if ($doc.Title -ne $cmd.Name) { $problems.Add("$($cmd.Name): the first heading is '# $($doc.Title)', not '# $($cmd.Name)'") }
    $synopsis = if ($doc.Sections.Contains('SYNOPSIS')) { @(ConvertTo-Paragraphs $doc.Sections['SYNOPSIS'].Text) } else { @() }
    $description = if ($doc.Sections.Contains('DESCRIPTION')) { @(ConvertTo-Paragraphs $doc.Sections['DESCRIPTION'].Text) } else { @() }
    if (-not $synopsis) { $problems.Add("$($cmd.Name): no SYNOPSIS") }
    if (-not $description) { $problems.Add("$($cmd.Name): no DESCRIPTION") }

    $described = @{}
    if ($doc.Sections.Contains('PARAMETERS')) {
        foreach ($entry in $doc.Sections['PARAMETERS'].Subsections.GetEnumerator()) {
            if ($entry.Key -notmatch '^-(\w+)$') { continue }   # e.g. "### Common AWS parameters": prose only
            $paras = @(ConvertTo-Paragraphs $entry.Value)
            if (-not $paras) { $problems.Add("$($cmd.Name): -$($Matches[1]) has an empty description"); continue }
            $described[$Matches[1]] = $paras
        }
    }
    $parameters = @($cmd.Parameters.Values | Where-Object { -not $common.Contains($_.Name) -and -not (Test-Hidden $_) })
    $descriptions = @{}
    foreach ($k in $shouldProcess.Keys) { if ($cmd.Parameters.ContainsKey($k)) { $descriptions[$k] = $shouldProcess[$k] } }
    $documented = @($parameters) + @($cmd.Parameters.Values | Where-Object { $shouldProcess.ContainsKey($_.Name) })
    foreach ($p in $parameters) {
        $key = @($described.Keys | Where-Object { $_ -eq $p.Name })
        if ($key) { $descriptions[$p.Name] = $described[$key[0]] }
        elseif ($commonAws.ContainsKey($p.Name)) { $descriptions[$p.Name] = $commonAws[$p.Name] }
        else { $problems.Add("$($cmd.Name): parameter -$($p.Name) is not described") }
    }
    foreach ($k in $described.Keys) {
        if ($k -notin @($parameters.Name)) { $problems.Add("$($cmd.Name): the .md describes -$k, which the cmdlet does not have") }
    }
    $examples = @(Get-HelpExamples $doc)
    if ($examples.Count -lt 2) { $problems.Add("$($cmd.Name): $($examples.Count) example(s) with a powershell code block; at least two are needed") }
    if ($problems.Count) { continue }   # keep checking the other cmdlets, build nothing

    $c = Add-Element $root 'command:command'
    $details = Add-Element $c 'command:details'
    [void](Add-Element $details 'command:name' $cmd.Name)
    [void](Add-Element $details 'command:verb' $cmd.Verb)
    [void](Add-Element $details 'command:noun' $cmd.Noun)
    Add-Paragraphs (Add-Element $details 'maml:description') $synopsis
    Add-Paragraphs (Add-Element $c 'maml:description') $description

    $syntax = Add-Element $c 'command:syntax'
    $sets = @($cmd.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        $item = Add-Element $syntax 'command:syntaxItem'
        [void](Add-Element $item 'maml:name' $cmd.Name)
        $setParameters = @($set.Parameters | Where-Object { (-not $common.Contains($_.Name) -or $shouldProcess.ContainsKey($_.Name)) -and -not (Test-Hidden $_) } |
            Sort-Object { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } }, { -not $_.IsMandatory })
        foreach ($sp in $setParameters) {
            $p = $cmd.Parameters[$sp.Name]
            $attr = [pscustomobject]@{ Mandatory = $sp.IsMandatory; Position = $sp.Position; ValueFromPipeline = $sp.ValueFromPipeline; ValueFromPipelineByPropertyName = $sp.ValueFromPipelineByPropertyName }
            Add-Parameter $item $p @($attr) $descriptions[$p.Name] (Get-DefaultValue $cmd $p $instances) -InSyntax
        }
    }

    $paramsEl = Add-Element $c 'command:parameters'
    foreach ($p in $documented) {
        $attrs = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        Add-Parameter $paramsEl $p $attrs $descriptions[$p.Name] (Get-DefaultValue $cmd $p $instances)
    }

    foreach ($kind in @(@('INPUTS', 'command:inputTypes', 'command:inputType'), @('OUTPUTS', 'command:returnValues', 'command:returnValue'))) {
        $listEl = Add-Element $c $kind[1]
        $text = if ($doc.Sections.Contains($kind[0])) { $doc.Sections[$kind[0]] } else { $null }
        $entries = if ($text -and $text.Subsections.Count) { $text.Subsections.GetEnumerator() | ForEach-Object { [pscustomobject]@{ Name = $_.Key; Text = $_.Value } } }
        elseif ($kind[0] -eq 'OUTPUTS') { $cmd.OutputType | ForEach-Object { [pscustomobject]@{ Name = $_.Name; Text = $(if ($text) { $text.Text } else { '' }) } } }
        else {
            # What binds from the pipeline, from the real parameter metadata.
            foreach ($p in $parameters) {
                $pipe = Get-PipelineInput @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
                if ($pipe -ne 'False') { [pscustomobject]@{ Name = (Get-TypeName $p.ParameterType); Text = "-$($p.Name): $($pipe -replace '^True ', '')" } }
            }
        }
        foreach ($e in $entries) {
            $t = Add-Element $listEl $kind[2]
            $type = Add-Element $t 'dev:type'
            [void](Add-Element $type 'maml:name' $e.Name)
            Add-Paragraphs (Add-Element $t 'maml:description') @(ConvertTo-Paragraphs $e.Text)
        }
    }
    if ($doc.Sections.Contains('NOTES') -and $doc.Sections['NOTES'].Text) {
        Add-Paragraphs (Add-Element (Add-Element $c 'maml:alertSet') 'maml:alert') @(ConvertTo-Paragraphs $doc.Sections['NOTES'].Text)
    }

    $examplesEl = Add-Element $c 'command:examples'
    foreach ($e in $examples) {
        $ex = Add-Element $examplesEl 'command:example'
        [void](Add-Element $ex 'maml:title' ("---------- Example {0}: {1} ----------" -f $e.Number, $e.Title))
        [void](Add-Element $ex 'dev:code' $e.Code)
        Add-Paragraphs (Add-Element $ex 'dev:remarks') @(ConvertTo-Paragraphs $e.Remarks)
    }
    $links = Add-Element $c 'command:relatedLinks'
    $online = Add-Element $links 'maml:navigationLink'
    [void](Add-Element $online 'maml:linkText' 'Online Version:')
    [void](Add-Element $online 'maml:uri' "$onlineRoot$($cmd.Name).md")
    if ($doc.Sections.Contains('RELATED LINKS')) {
        foreach ($l in Get-RelatedLinks $doc.Sections['RELATED LINKS'].Text) {
            $nav = Add-Element $links 'maml:navigationLink'
            [void](Add-Element $nav 'maml:linkText' $l.Text)
            [void](Add-Element $nav 'maml:uri' $l.Uri)
        }
    }
}

if ($problems.Count) {
    throw ("New-MamlHelp: the help in $DocsPath is incomplete ($($problems.Count) problem(s)):`n  " + ($problems -join "`n  "))
}

# ---- about_OcdsAws.help.txt ----------------------------------------------------------------------

function ConvertTo-AboutText($Doc) {
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC'); $out.Add("    $($Doc.Title)"); $out.Add('')
    foreach ($entry in $Doc.Sections.GetEnumerator()) {
        $out.Add($entry.Key.ToUpperInvariant())
        $body = [System.Collections.Generic.List[string]]::new()
        if ($entry.Value.Text) { $body.AddRange([string[]]($entry.Value.Text -split '\n')) }
        foreach ($s in $entry.Value.Subsections.GetEnumerator()) {
            if ($body.Count) { $body.Add('') }
            $body.Add($s.Key); $body.Add('-' * $s.Key.Length)
            if ($s.Value) { $body.AddRange([string[]]($s.Value -split '\n')) }
        }
        $inCode = $false
        foreach ($line in $body) {
            if ($line -match '^\s*```') { $inCode = -not $inCode; continue }
            if ($inCode) { $out.Add("        $line".TrimEnd()); continue }
            $out.Add($(if ($line.Trim()) { '    ' + (ConvertFrom-InlineMarkdown $line.TrimEnd()) } else { '' }))
        }
        $out.Add('')
    }
    return $out
}

New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
$mamlPath = Join-Path $OutputPath 'OcdsAws.dll-Help.xml'
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$writer = [System.Xml.XmlWriter]::Create($mamlPath, $settings)
try { $xml.Save($writer) } finally { $writer.Dispose() }
$aboutOut = Join-Path $OutputPath 'about_OcdsAws.help.txt'
[System.IO.File]::WriteAllLines($aboutOut, [string[]](ConvertTo-AboutText $about), [System.Text.UTF8Encoding]::new($false))
Write-Host "Help for $($exported.Count) cmdlets: $mamlPath, $aboutOut"
