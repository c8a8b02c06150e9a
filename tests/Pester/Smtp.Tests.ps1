# SMTP credentials through the published module: the cmdlet's name, its view, the SSM SecureString hand-over, the listing.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $aws = @{ AccessKey = $bed.AccessKey; SecretKey = $bed.SecretKey; EndpointUrl = $bed.Endpoint }

    # boto3 (tests/testbed/witness.py) as the independent client: one call, its answer as an object.
    function Invoke-Witness([string] $Service, [string] $Method, [hashtable] $Params = @{}, [string] $Region = 'us-east-1') {
        $line = @{ service = $Service; method = $Method; params = $Params; region = $Region } | ConvertTo-Json -Compress -Depth 5
        $answer = $line | & $bed.Python (Join-Path $PSScriptRoot '../testbed/witness.py') | ConvertFrom-Json
        if ($answer.PSObject.Properties['exception']) { throw $answer.exception }
        $answer
    }
}

Describe 'SMTP credentials' {
    It 'is New-SesSmtpCredential, exported with Get-SmtpCredential as its alias' {
        $module = Get-Module OcdsAws
        $module.ExportedCmdlets.Keys | Should -Contain 'New-SesSmtpCredential'
        $module.ExportedCmdlets.Keys | Should -Not -Contain 'Get-SmtpCredential'
        $module.ExportedAliases.Keys | Should -Contain 'Get-SmtpCredential'
        (Get-Command Get-SmtpCredential).ResolvedCommand.Name | Should -Be 'New-SesSmtpCredential'
    }

    It 'shows what a mail client needs first: SMTP user name (the access key id), host, port; never the password' {
        $c = New-SesSmtpCredential -AccessKeyId AKIAIOSFODNN7EXAMPLE -SecretAccessKey 'some+secret+key' -Region eu-central-1 @aws
        $lines = ($c | Out-String -Width 80).Trim().Split("`n") | Select-Object -First 3 | ForEach-Object { ($_ -split '\s*:\s*', 2) -join '=' }
        $lines | Should -Be 'SmtpUserName=AKIAIOSFODNN7EXAMPLE', 'SmtpHost=email-smtp.eu-central-1.amazonaws.com', 'Port=587'
        ($c | Format-Table | Out-String) + ($c | Format-List | Out-String) | Should -Not -BeLike '*BMXhUYlu5Z3gSXVQORxlVa7XPaz91aGWdfHxvkOZdWZ2*'
    }

    It 'stores the SMTP password as an SSM SecureString (read back by boto3) and names it on the output' {
        $user = "ses-smtp-p$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $c = New-SesSmtpCredential -UserName $user -Region eu-west-1 -SsmParameterName "/pester/$user" -Force @aws
        $c.SsmParameterName | Should -Be "/pester/$user"
        $stored = (Invoke-Witness ssm get_parameter @{ Name = "/pester/$user"; WithDecryption = $true } 'eu-west-1').result.Parameter
        $stored.Type | Should -Be 'SecureString'
        $stored.Value | Should -Be $c.Credential.GetNetworkCredential().Password
    }
}

Describe 'Listing SMTP users' {
    It 'Get-SesSmtpCredential lists the SMTP users this module made, with key ages and no secret' {
        $user = "ses-smtp-l$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $made = New-SesSmtpCredential -UserName $user -Region eu-west-1 -Force @aws
        $rows = @(Get-SesSmtpCredential -UserName $user @aws -Region eu-west-1)
        $rows.Count | Should -Be 1
        $rows[0].SmtpUserName | Should -Be $made.SmtpUserName
        $rows[0].Status | Should -Be 'Active'
        $rows[0].AgeDays | Should -Be 0
        $text = $rows | Out-String
        $text | Should -BeLike "*$($made.SmtpUserName)*Active*$user*"
        $text | Should -Not -BeLike "*$($made.Credential.GetNetworkCredential().Password)*"
    }
}
