# The whole runbook (examples/Demo.ps1) with every stream on, a transcript and the detailed error view:
# no secret key, SMTP password or database password may appear anywhere.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
}

Describe 'Secrets in the whole runbook' {
    It 'never reach the output, any stream, the errors or the transcript' {
        $transcript = Join-Path $TestDrive 'demo-transcript.txt'
        $env:AWS_ACCESS_KEY_ID = $bed.AccessKey
        $env:AWS_SECRET_ACCESS_KEY = $bed.SecretKey
        $ErrorView = 'DetailedView'
        $Error.Clear()
        Start-Transcript -Path $transcript | Out-Null
        try {
            $all = & (Join-Path $PSScriptRoot '../../examples/Demo.ps1') -ModulePath $bed.Module -EndpointUrl $bed.Endpoint `
                -DnsServer $bed.DnsServer -ZoneFile $bed.ZoneFile -Verbose -Debug `
                -DBClusterIdentifier 'ocp-secrets' *>&1 | Out-String -Width 400
            $all | Out-Host
        }
        finally {
            Stop-Transcript | Out-Null
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY
        }
        $text = $all + (Get-Content -Raw $transcript) + ($Error | Out-String -Width 400)

        # The secrets the run made: the SMTP user's keys (moto hands their secrets to the test bed only),
        # the SMTP passwords derived from them, and the cluster's master password in Secrets Manager.
        $secrets = [System.Collections.Generic.List[string]]::new()
        $secrets.Add($bed.SecretKey)
        $keys = & $bed.Python -c @"
import boto3, json, os, urllib.request
for name in ('AWS_PROFILE', 'AWS_DEFAULT_PROFILE'):
    os.environ.pop(name, None)   # other tests may leave these set; this witness uses explicit keys
s = boto3.session.Session(aws_access_key_id='$($bed.AccessKey)', aws_secret_access_key='$($bed.SecretKey)', region_name='us-east-1')
iam = s.client('iam', endpoint_url='$($bed.Endpoint)')
for k in iam.list_access_keys(UserName='ses-smtp-ocp-demo')['AccessKeyMetadata']:
    print(json.load(urllib.request.urlopen('$($bed.Endpoint.TrimEnd('/'))/ocds-testbed/iam/secret?access_key_id=' + k['AccessKeyId']))['secret_access_key'])
sm = s.client('secretsmanager', endpoint_url='$($bed.Endpoint)')
for secret in sm.list_secrets()['SecretList']:
    try:
        print(json.loads(sm.get_secret_value(SecretId=secret['ARN'])['SecretString']).get('password', ''))
    except Exception:
        pass
"@
        $LASTEXITCODE | Should -Be 0
        Import-Module $bed.Module
        foreach ($value in @($keys | Where-Object { $_ })) {
            $secrets.Add($value)
            foreach ($region in 'us-east-1', 'eu-west-1') {
                $secure = ConvertTo-SecureString $value -AsPlainText -Force
                $secrets.Add((ConvertTo-SesSmtpPassword -SecretAccessKey $secure -Region $region -AsPlainText))
            }
        }
        $secrets.Count | Should -BeGreaterThan 2 -Because 'the run made an SMTP key whose secret and password are checked'
        $text | Should -BeLike '*AWS call:*'   # the streams really were captured
        $text | Should -BeLike '*Vpc * deleted*'   # ...and the demo ran to its end
        foreach ($secret in $secrets) {
            $text.Contains($secret) | Should -BeFalse -Because "a secret ($($secret.Substring(0, 4))…) leaked"
        }
    }
}
