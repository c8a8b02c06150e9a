# The runbook scripts users copy, against moto and the loopback DNS server: they run, -WhatIf changes
# nothing, and a re-run makes no successful change. And the CI examples parse and call what exists.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $examples = Join-Path $PSScriptRoot '../../examples'
    $env:AWS_ACCESS_KEY_ID = $bed.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $bed.SecretKey
    $env:AWS_ENDPOINT_URL = $bed.Endpoint   # the SDK's own override: the scripts run exactly as written

    # Runs a script with -Verbose and returns its output and the AWS calls it made.
    function Invoke-Example([string] $Script, [hashtable] $Arguments) {
        $all = & (Join-Path $examples $Script) @Arguments -Verbose 4>&1 3>$null
        [pscustomobject]@{
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            Calls  = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'AWS call:*' } | ForEach-Object Message)
        }
    }

    # A change that happened: a mutating operation answered with success.
    function Get-Change($Run) { @($Run.Calls | Where-Object { $_ -match 'AWS call: \S+( \S+)? (Create|Put|Set|Enable|Delete|Subscribe|Authorize|Run|Modify|Associate|Attach|Request|Verify)\w* -> HTTP 2' }) }
}

AfterAll { Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY, Env:AWS_ENDPOINT_URL -ErrorAction SilentlyContinue }

Describe 'examples/Initialize-SesDomain.ps1' {
    It 'verifies the domain, writes the records, sets MAIL FROM, and a re-run changes nothing' {
        $domain = "d$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"
        $records = Join-Path $TestDrive 'ses.zone'
        $arguments = @{ Domain = $domain; Region = 'eu-west-1'; RecordsPath = $records; MailFromSubdomain = 'bounce'; DnsServer = $bed.DnsServer }
        $first = Invoke-Example 'Initialize-SesDomain.ps1' $arguments
        ($first.Output | Where-Object { $_ -is [OcdsAws.Ses.SesDomainVerification] }).Domain | Should -Be $domain
        (Get-Content -Raw $records) | Should -Match "(?m)^\S+\._domainkey\.$([regex]::Escape($domain))\. \d+ IN CNAME "
        (Get-Content -Raw $records) | Should -BeLike "*bounce.$domain. * IN MX 10 feedback-smtp.eu-west-1.amazonses.com.*"
        (Get-Change $first).Count | Should -BeGreaterThan 0

        $again = Invoke-Example 'Initialize-SesDomain.ps1' $arguments
        Get-Change $again | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $run = Invoke-Example 'Initialize-SesDomain.ps1' @{ Domain = 'whatif.pester.example'; Region = 'eu-west-1'; DnsServer = $bed.DnsServer; WhatIf = $true }
        $run.Calls | Should -BeNullOrEmpty
    }
}

Describe 'examples/Initialize-SesSender.ps1' {
    BeforeAll {
        # SES receives mail only for verified domains: when the sender's mail is captured, its domain must be verified
        # (the runbook's first step; the test bed plays SES's check).
        New-SesDomainVerification -Domain example.org -Region eu-west-1 -DnsServer $bed.DnsServer -WarningAction SilentlyContinue | Out-Null
        $status = @{ account = (Get-OcdsAwsContext -Region eu-west-1).Account; region = 'eu-west-1'; identity = 'example.org'; verification = 'SUCCESS'; dkim = 'SUCCESS' } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri ($bed.Endpoint.TrimEnd('/') + '/ocds-testbed/sesv2/identity-status') -ContentType 'application/json' -Body $status | Out-Null
    }

    It 'verifies the sender, sets up notifications, and a re-run changes nothing' {
        $address = "s$([guid]::NewGuid().ToString('n').Substring(0, 8))@example.org"
        $arguments = @{ EmailAddress = $address; Subscribe = 'ops@example.org'; Region = 'eu-west-1'; DnsServer = $bed.DnsServer }
        $first = Invoke-Example 'Initialize-SesSender.ps1' $arguments
        ($first.Output | Where-Object { $_ -is [OcdsAws.Notifications.SesIdentityNotification] }).HeadersInBounceNotificationsEnabled | Should -BeTrue
        $again = Invoke-Example 'Initialize-SesSender.ps1' $arguments
        Get-Change $again | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf, SMTP credentials included' {
        $run = Invoke-Example 'Initialize-SesSender.ps1' @{ EmailAddress = 'whatif@example.org'; SmtpUserName = 'ses-smtp-whatif'; NewSmtpCredential = $true; Region = 'eu-west-1'; DnsServer = $bed.DnsServer; WhatIf = $true }
        Get-Change $run | Should -BeNullOrEmpty
    }
}

Describe 'examples/Initialize-AuroraDatabase.ps1' {
    It 'builds the network and cluster, runs SQL through the Data API, and a re-run changes nothing' {
        $name = "a$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $arguments = @{ Name = $name; DBClusterIdentifier = $name; Region = 'us-east-1' }
        $first = Invoke-Example 'Initialize-AuroraDatabase.ps1' $arguments
        $cluster = $first.Output | Where-Object { $_ -is [OcdsAws.Aurora.AuroraCluster] }
        $cluster.HttpEndpointEnabled | Should -BeTrue
        $cluster.SecondsUntilAutoPause | Should -Be 3600
        $again = Invoke-Example 'Initialize-AuroraDatabase.ps1' $arguments
        Get-Change $again | Should -BeNullOrEmpty
        Remove-AuroraServerlessCluster -DBClusterIdentifier $name -SkipFinalSnapshot -Force -Region us-east-1 | Out-Null
        Remove-AuroraNetwork -Name $name -Force -Region us-east-1 | Out-Null
    }

    It 'changes nothing with -WhatIf' {
        $run = Invoke-Example 'Initialize-AuroraDatabase.ps1' @{ DBClusterIdentifier = 'whatif'; Region = 'us-east-1'; WhatIf = $true }
        Get-Change $run | Should -BeNullOrEmpty
    }
}

Describe 'CI examples' {
    BeforeAll {
        if (-not $env:OCDSAWS_NODE_TOOLS) { throw 'OCDSAWS_NODE_TOOLS is not set: run the tests with build.ps1 -Task Test (it installs tests/tools/node).' }
        function ConvertFrom-Yaml([string] $Path) { & $bed.Python -c "import sys, yaml, json; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))" $Path | ConvertFrom-Json -AsHashtable }
    }

    It '<Name> parses as YAML and calls only cmdlets and scripts that exist' -ForEach @(
        @{ Name = 'github-actions.yml' }, @{ Name = 'azure-pipelines.yml' }
    ) {
        $path = Join-Path $examples "ci/$Name"
        & $bed.Python -c "import sys, yaml; yaml.safe_load(open(sys.argv[1]))" $path
        $LASTEXITCODE | Should -Be 0
        $text = Get-Content -Raw $path
        foreach ($script in [regex]::Matches($text, '\./examples/[\w.-]+\.ps1').Value) {
            Join-Path $PSScriptRoot "../../$($script.Substring(2))" | Should -Exist
        }
        $scripts = [regex]::Matches($text, '\./examples/([\w.-]+)\.ps1').ForEach({ $_.Groups[1].Value })
        $cmdlets = [regex]::Matches($text, '\b[A-Z][a-z]+-(?:Ses|Smtp|Aurora|OcdsAws|Dmarc|Dns)\w*\b').Value | Sort-Object -Unique | Where-Object { $_ -notin $scripts }
        $cmdlets | Should -Not -BeNullOrEmpty
        foreach ($cmdlet in $cmdlets) { Get-Command $cmdlet -Module OcdsAws -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "$Name calls $cmdlet" }
        # The module comes from the package the job builds (build.ps1 -Task Package writes out/package/feed).
        $feed = [IO.Path]::GetRelativePath((Resolve-Path "$PSScriptRoot/../..").Path, (Split-Path $env:OCDSAWS_PACKAGE)).Replace('\', '/')
        $text | Should -Match ([regex]::Escape("./$feed"))
        $text | Should -Match 'build\.ps1 -Task Package'
    }

    It 'github-actions.yml passes GitHub''s own workflow parser, runs on Linux and never pastes an input into a script' {
        $parsed = & node --import (Join-Path $env:OCDSAWS_NODE_TOOLS 'register-json.mjs') (Join-Path $env:OCDSAWS_NODE_TOOLS 'validate-workflow.mjs') (Join-Path $examples 'ci/github-actions.yml') | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $parsed.errors | Should -BeNullOrEmpty
        $parsed.jobs | Should -Not -BeNullOrEmpty
        foreach ($job in $parsed.jobs) {
            $job.runsOn | Should -BeLike 'ubuntu-*'
            foreach ($step in $job.steps) {
                # Script injection: an expression inside `run` is pasted into the script before it runs.
                if ($step.run) { $step.run | Should -Not -Match '\$\{\{' -Because "inputs reach scripts through env (step: $($step.run))" }
                if ($step.uses) { ($step.uses -split '@')[0] | Should -BeIn @('actions/checkout', 'actions/setup-dotnet', 'aws-actions/configure-aws-credentials') }
            }
        }
        $workflow = ConvertFrom-Yaml (Join-Path $examples 'ci/github-actions.yml')
        $workflow.permissions['id-token'] | Should -Be 'write'   # OIDC: no stored keys
        $credentials = $workflow.jobs.Values.steps | Where-Object { $_.uses -like 'aws-actions/configure-aws-credentials@*' }
        $credentials.with['role-to-assume'] | Should -Match '^arn:aws:iam::\d{12}:role/'
        $credentials.with.Keys | Should -Not -Contain 'aws-secret-access-key'
    }

    It 'GitHub''s workflow parser catches what this test relies on it for' {
        $bad = Join-Path $TestDrive 'bad.yml'
        Set-Content $bad "on: push`njobs:`n  a:`n    runs-on: ubuntu-latest`n    stepz: []`n"
        $parsed = & node --import (Join-Path $env:OCDSAWS_NODE_TOOLS 'register-json.mjs') (Join-Path $env:OCDSAWS_NODE_TOOLS 'validate-workflow.mjs') $bad | ConvertFrom-Json
        $parsed.errors | Should -Not -BeNullOrEmpty
    }

    It 'azure-pipelines.yml runs on Linux with tasks that run there, and never pastes a parameter into a script' {
        $pipeline = ConvertFrom-Yaml (Join-Path $examples 'ci/azure-pipelines.yml')
        $pipeline.pool.vmImage | Should -BeLike 'ubuntu-*'
        # AWSShellScript@1's inputs, from its task.json (aws/aws-toolkit-azure-devops, src/tasks/AWSShellScript/task.json;
        # its "demands" is sh: it runs on Linux). AWSPowerShellModuleScript runs powershell.exe: Windows agents only.
        $shellInputs = 'awsCredentials', 'regionName', 'arguments', 'scriptType', 'filePath', 'inlineScript', 'disableAutoCwd', 'workingDirectory', 'failOnStandardError'
        $tasks = @($pipeline.steps | Where-Object { $_.task })
        $tasks.task | Should -Not -Contain 'AWSPowerShellModuleScript@1'
        foreach ($task in $tasks) {
            $task.task | Should -BeIn @('UseDotNet@2', 'AWSShellScript@1')
            if ($task.task -eq 'AWSShellScript@1') {
                foreach ($input in $task.inputs.Keys) { $input | Should -BeIn $shellInputs }
                $task.inputs.awsCredentials | Should -Not -BeNullOrEmpty   # the OIDC service connection
            }
        }
        foreach ($step in $pipeline.steps) {
            foreach ($script in @($step.bash, $step.pwsh, $step.script, $step.inputs.inlineScript) | Where-Object { $_ }) {
                $script | Should -Not -Match '\$\{\{' -Because 'parameters reach scripts through env'
            }
        }
    }
}

Describe 'examples/ci/iam: the least-privilege policy of each runbook script' {
    BeforeAll {
        # The sender's mail is captured, and SES receives only for verified domains: verify example.org in eu-west-2
        # first (as the test key, not the policy's user; the test bed plays SES's check).
        New-SesDomainVerification -Domain example.org -Region eu-west-2 -DnsServer $bed.DnsServer -WarningAction SilentlyContinue | Out-Null
        $status = @{ account = (Get-OcdsAwsContext -Region eu-west-2).Account; region = 'eu-west-2'; identity = 'example.org'; verification = 'SUCCESS'; dkim = 'SUCCESS' } | ConvertTo-Json
        Invoke-RestMethod -Method Post -Uri ($bed.Endpoint.TrimEnd('/') + '/ocds-testbed/sesv2/identity-status') -ContentType 'application/json' -Body $status | Out-Null

        # An IAM user on moto that holds only the policy; moto and the companion enforce IAM for signed calls.
        function New-PolicyUser([string] $PolicyPath) {
            $script = @'
import boto3, sys, uuid
iam = boto3.client("iam", endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3], region_name="us-east-1")
name = "ci-" + uuid.uuid4().hex[:10]
iam.create_user(UserName=name)
iam.put_user_policy(UserName=name, PolicyName="runbook", PolicyDocument=open(sys.argv[4]).read())
key = iam.create_access_key(UserName=name)["AccessKey"]
print(key["AccessKeyId"], key["SecretAccessKey"])
'@
            $key = & $bed.Python -c $script $bed.Endpoint $bed.AccessKey $bed.SecretKey $PolicyPath
            $LASTEXITCODE | Should -Be 0
            $id, $secret = $key -split ' '
            [pscustomobject]@{ AccessKey = $id; SecretKey = $secret }
        }

        # Runs a script as that user: every error (AccessDenied names the missing action) fails the test.
        function Invoke-AsUser($User, [string] $Script, [hashtable] $Arguments) {
            $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
            try {
                $env:AWS_ACCESS_KEY_ID = $User.AccessKey
                $env:AWS_SECRET_ACCESS_KEY = $User.SecretKey
                Invoke-Example $Script $Arguments
            }
            finally { $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved }
        }
    }

    It '<Script> runs, and re-runs, with only <Policy>' -ForEach @(
        @{ Script = 'Initialize-SesDomain.ps1'; Policy = 'Initialize-SesDomain.json'; Arguments = { @{ Domain = "i$([guid]::NewGuid().ToString('n').Substring(0, 8)).pester.example"; Region = 'eu-west-2'; MailFromSubdomain = 'bounce'; DisableSuppressionList = $true; RequestProductionAccess = $true; WebsiteUrl = 'https://example.org'; UseCaseDescription = 'Transactional mail of a data registry'; DnsServer = $bed.DnsServer } } }
        @{ Script = 'Initialize-SesSender.ps1'; Policy = 'Initialize-SesSender.json'; Arguments = { @{ EmailAddress = "i$([guid]::NewGuid().ToString('n').Substring(0, 8))@example.org"; SmtpUserName = "ses-smtp-$([guid]::NewGuid().ToString('n').Substring(0, 6))"; NewSmtpCredential = $true; Subscribe = 'ops@example.org'; Region = 'eu-west-2'; DnsServer = $bed.DnsServer } } }
        @{ Script = 'Initialize-AuroraDatabase.ps1'; Policy = 'Initialize-AuroraDatabase.json'; Arguments = { $n = "i$([guid]::NewGuid().ToString('n').Substring(0, 8))"; @{ Name = $n; DBClusterIdentifier = $n; Region = 'eu-west-2' } } }
    ) {
        $user = New-PolicyUser (Join-Path $examples "ci/iam/$Policy")
        $values = & $Arguments
        $first = Invoke-AsUser $user $Script $values
        # The script stops at the first error (it sets ErrorActionPreference Stop), so getting here means it ran
        # through; no call may have been refused either (a refusal some step tolerates would still be a missing action).
        $refused = 'error (AccessDenied\w*|UnauthorizedOperation|AuthorizationError|InvalidClientTokenId)\b'
        $first.Calls | Should -Not -BeNullOrEmpty
        $first.Calls | Where-Object { $_ -match $refused } | Should -BeNullOrEmpty
        $values.Remove('NewSmtpCredential'); $values.Remove('RequestProductionAccess')
        $again = Invoke-AsUser $user $Script $values
        $again.Calls | Should -Not -BeNullOrEmpty
        $again.Calls | Where-Object { $_ -match $refused } | Should -BeNullOrEmpty
    }

    It '<_> names only actions that an OcdsAws call needs' -ForEach @('Initialize-SesDomain.json', 'Initialize-SesSender.json', 'Initialize-AuroraDatabase.json') {
        $policy = Get-Content -Raw (Join-Path $examples "ci/iam/$_") | ConvertFrom-Json
        $actions = @($policy.Statement.Action)
        $actions | Should -Not -Contain '*'
        $actions | Where-Object { $_ -like '*`**' } | Should -BeNullOrEmpty
        # IAM actions whose name is not the operation's (Service Authorization Reference), or that an operation needs
        # besides its own (tags on create; the secret RDS makes for ManageMasterUserPassword; the Data API's secret).
        $aliases = @{
            's3:CreateBucket' = 'PutBucket'; 's3:PutBucketPublicAccessBlock' = 'PutPublicAccessBlock'; 's3:ListBucket' = 'ListObjectsV2'
            's3:DeleteObject' = 'DeleteObjects'; 'ec2:CreateTags' = 'TagSpecifications'; 'rds:AddTagsToResource' = 'CreateDBCluster'
            'ses:TagResource' = 'CreateEmailIdentity'; 'secretsmanager:CreateSecret' = 'ManageMasterUserPassword'
            'secretsmanager:RotateSecret' = 'ManageMasterUserPassword'; 'secretsmanager:TagResource' = 'ManageMasterUserPassword'
            'secretsmanager:GetSecretValue' = 'ExecuteStatement'
        }
        $engine = (Get-ChildItem (Join-Path $PSScriptRoot '../../src/OcdsAws.Engine') -Recurse -Filter *.cs | Get-Content -Raw) -join "`n"
        foreach ($action in $actions) {
            $operation = if ($aliases.ContainsKey($action)) { $aliases[$action] } else { ($action -split ':')[1] }
            $engine | Should -Match "\b$operation" -Because "$action must be needed by an OcdsAws call"
        }
    }
}

Describe 'The runbook scripts under -WhatIf' {
    BeforeAll {
        # -WhatIf's "What if:" lines go to the host, not to a stream: run the script in a child pwsh and read its output.
        # The child inherits AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_ENDPOINT_URL from this file's BeforeAll.
        function Invoke-WhatIf([string] $Script, [string] $Arguments) {
            $run = Invoke-ChildPwsh "`$ErrorActionPreference = 'Stop'; Import-Module '$($bed.Module)'; & '$(Join-Path $examples $Script)' $Arguments -WhatIf -Verbose"
            [pscustomobject]@{
                ExitCode = $run.ExitCode
                Text     = $run.Output -join "`n"
                WhatIf   = @($run.Output | Where-Object { $_ -like 'What if:*' })
                Calls    = @($run.Output | Where-Object { $_ -like 'VERBOSE: AWS call:*' })
            }
        }
    }

    It 'Initialize-SesDomain.ps1 previews every step: identity, records file, check, wait, MAIL FROM, production access, suppression list' {
        $records = Join-Path $TestDrive 'whatif.zone'
        $run = Invoke-WhatIf 'Initialize-SesDomain.ps1' ("-Domain whatif-all.pester.example -Region eu-west-1 -RecordsPath '$records' -MailFromSubdomain bounce -Wait " +
            "-RequestProductionAccess -WebsiteUrl https://www.example.org -UseCaseDescription 'Account notifications.' -DisableSuppressionList -DnsServer $($bed.DnsServer)")
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Calls | Should -BeNullOrEmpty
        $run.WhatIf | Should -HaveCount 8 -Because $run.Text
        $run.WhatIf[0] | Should -BeLike '*Create SES email identity*whatif-all.pester.example*'
        $run.WhatIf[1] | Should -BeLike "*Write the DNS records*$records*"
        $run.WhatIf[2] | Should -BeLike '*Check the DNS records*whatif-all.pester.example*'
        $run.WhatIf[3] | Should -BeLike '*Wait up to 00:30:00*whatif-all.pester.example*'
        $run.WhatIf[4] | Should -BeLike '*Set MAIL FROM domain bounce.whatif-all.pester.example*'
        $run.WhatIf[5] | Should -BeLike "*Add the MAIL FROM records*$records*"
        $run.WhatIf[6] | Should -BeLike '*Request SES production access*'
        $run.WhatIf[7] | Should -BeLike '*account-level suppression*'
        $records | Should -Not -Exist
    }

    It 'Initialize-SesSender.ps1 previews every step: sender, link and wait, SMTP credentials, topic, notifications' {
        $run = Invoke-WhatIf 'Initialize-SesSender.ps1' "-EmailAddress whatif-all@example.org -SmtpUserName ses-smtp-whatif-all -NewSmtpCredential -Subscribe ops@example.org -Wait -Region eu-west-1 -DnsServer $($bed.DnsServer)"
        $run.ExitCode | Should -Be 0 -Because $run.Text
        # Get-SmtpCredential reads the IAM user (GetUser) to say what it would change; nothing is changed.
        Get-Change $run | Should -BeNullOrEmpty
        $run.WhatIf | Should -HaveCount 5 -Because $run.Text
        $run.WhatIf[0] | Should -BeLike '*whatif-all@example.org*'
        $run.WhatIf[1] | Should -BeLike '*Wait up to 00:30:00*whatif-all@example.org*'
        $run.WhatIf[2] | Should -BeLike '*ses-smtp-whatif-all*'
        $run.WhatIf[3] | Should -BeLike '*SNS topic*whatif-all*'
        $run.WhatIf[4] | Should -BeLike '*Bounce and Complaint notifications*whatif-all@example.org*'
    }

    It 'Initialize-AuroraDatabase.ps1 previews every step: network, cluster, Data API check, bastion' {
        $run = Invoke-WhatIf 'Initialize-AuroraDatabase.ps1' '-Name whatif-all -DBClusterIdentifier whatif-all -AllowedSshCidr 203.0.113.7/32 -Region us-east-1'
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Calls | Should -BeNullOrEmpty
        $run.WhatIf | Should -HaveCount 4 -Because $run.Text
        $run.WhatIf[0] | Should -BeLike '*Create or reuse VPC*whatif-all*'
        $run.WhatIf[1] | Should -BeLike '*Aurora Serverless v2 PostgreSQL cluster*whatif-all*'
        $run.WhatIf[2] | Should -BeLike '*select 1*whatif-all*'
        $run.WhatIf[3] | Should -BeLike '*bastion*whatif-all*'
    }
}
