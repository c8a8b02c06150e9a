# examples/Demo.ps1 is what the default build task runs: it must keep running as written.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
}

Describe 'examples/Demo.ps1' {
    It 'runs the runbook against moto' {
        $env:AWS_ACCESS_KEY_ID = $bed.AccessKey
        $env:AWS_SECRET_ACCESS_KEY = $bed.SecretKey
        try {
            $output = & (Join-Path $PSScriptRoot '../../examples/Demo.ps1') -ModulePath $bed.Module -EndpointUrl $bed.Endpoint `
                -DnsServer $bed.DnsServer -ZoneFile $bed.ZoneFile 3>$null
        }
        finally { Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY }
        $text = $output | Out-String -Width 200
        $text | Should -BeLike '*Account 123456789012*'
        $text | Should -BeLike '*ocp-demo.example: verified for sending = True*'
        $text | Should -Match 'Present +CNAME'
        $text | Should -Not -Match 'Missing|Different'
        $text | Should -BeLike '*data@ocp-demo.example: verified for sending = True*'
        $text | Should -Match 'Remove +MX'
        $text | Should -BeLike '*Bounces -> arn:aws:sns:*:data-ocp-demo-example (headers True)*'
        $text | Should -BeLike '*ses-smtp-ocp-demo*email-smtp.us-east-1.amazonaws.com*587*465*'
        $text | Should -BeLike '*Review: PENDING*'
        $text | Should -BeLike '*SES accepted the test message:*'
        $text | Should -BeLike '*DMARC for ocp-demo.example: p=none*'
        $text | Should -Match 'Bounce +jane@example.com +Permanent'
        $text | Should -Match 'HttpEndpointEnabled\s*: True'
        $text | Should -Match 'SecondsUntilAutoPause\s*: 3600'
        $text | Should -BeLike '*ssh*-N -L 5432:*'
        $text | Should -BeLike '*Suppressed reasons now: `[`]*'
    }
}
