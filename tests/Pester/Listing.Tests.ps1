# Read-only listings through the published module: the region's SES identities of one type, and the SMTP users.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $aws = @{ AccessKey = $bed.AccessKey; SecretKey = $bed.SecretKey; EndpointUrl = $bed.Endpoint }

    # boto3 (tests/testbed/witness.py) as the independent client: one call, its result or error as an object.
    function Invoke-Witness([string] $Service, [string] $Method, [hashtable] $Params = @{}, [string] $Region = 'us-east-1') {
        $env:OCDSAWS_TEST_SECRET_KEY = $bed.SecretKey
        $line = @{ service = $Service; method = $Method; params = $Params; region = $Region } | ConvertTo-Json -Compress -Depth 5
        $answer = $line | & $bed.Python (Join-Path $PSScriptRoot '../testbed/witness.py') | ConvertFrom-Json
        if ($answer.PSObject.Properties['exception']) { throw $answer.exception }
        $answer
    }
}

Describe 'Listing SES identities' {
    BeforeAll {
        # A region of its own, so the listing holds only what this block made.
        $region = 'eu-north-1'
        $suffix = [guid]::NewGuid().ToString('n').Substring(0, 8)
        $domains = "a$suffix.listing.example", "b$suffix.listing.example"
        $address = "sender@c$suffix.listing.example"
        foreach ($identity in $domains + $address) { $null = Invoke-Witness sesv2 create_email_identity @{ EmailIdentity = $identity } $region }
    }

    It 'Get-SesDomainVerification with no -Domain returns every domain identity of the region, and no address' {
        $all = @(Get-SesDomainVerification @aws -Region $region -DnsServer $bed.DnsServer -InboundMx Never -ErrorAction Stop)
        $all.Domain | Should -Contain $domains[0]
        $all.Domain | Should -Contain $domains[1]
        $all.Domain | Should -Not -Contain $address
        $all | ForEach-Object { $_ | Should -BeOfType ([OcdsAws.Ses.SesDomainVerification]) }
    }

    It 'Get-SesEmailVerification with no -EmailAddress returns every address identity of the region, and no domain' {
        $all = @(Get-SesEmailVerification @aws -Region $region -ErrorAction Stop)
        $all.EmailAddress | Should -Be @($address)
        $all[0] | Should -BeOfType ([OcdsAws.Ses.SesEmailVerification])
    }

    It 'returns nothing, and no error, in a region without identities' {
        @(Get-SesDomainVerification @aws -Region 'me-south-1' -DnsServer $bed.DnsServer -ErrorVariable failures) | Should -BeNullOrEmpty
        @(Get-SesEmailVerification @aws -Region 'me-south-1' -ErrorVariable +failures) | Should -BeNullOrEmpty
        $failures | Should -BeNullOrEmpty
    }
}
