# The default views (OcdsAws.format.ps1xml) as users see them through the published module: a view's labels are the
# property names users type next, and realistic values stay whole (copyable) at 80 and 160 columns.

BeforeDiscovery {
    # Realistic values, at the long end of what AWS returns: the longest status (TEMPORARY_FAILURE) and region name
    # (us-isof-south-1, botocore's endpoints.json), an Easy DKIM record of a subdomain in a region with its own DKIM zone (af-south-1), an IPv6
    # target. Prose (reasons, meanings) may wrap; identifiers and record values may not.
    $token = 'abcdefghijklmnopqrstuvwxyz234567'
    $samples = @(
        @{ Type = 'OcdsAws.Dns.DnsRecord'; Values = @(
                @{ Zone = 'example.org'; Name = "$token._domainkey.mail.example.org"; HostLabel = "$token._domainkey.mail"; Type = 'CNAME'
                    Value = "$token.dkim.af-south-1.amazonses.com"; Ttl = 3600; Purpose = 'Easy DKIM'; Action = 'Update'; CurrentValue = "$token.dkim.amazonses.com" }
                @{ Zone = 'example.org'; Name = 'bounce.mail.example.org'; HostLabel = 'bounce.mail'; Type = 'MX'; Priority = 10
                    Value = 'feedback-smtp.ap-southeast-4.amazonses.com'; Ttl = 3600; Purpose = 'MAIL FROM'; Action = 'Add' }
                @{ Zone = 'example.org'; Name = 'example.org'; HostLabel = '@'; Type = 'TXT'; Value = 'v=spf1 include:_spf.google.com include:amazonses.com ~all'
                    Ttl = 3600; Purpose = 'SPF'; Action = 'Keep' }) }
        @{ Type = 'OcdsAws.Dns.DnsRecordCheck'; Values = @(
                @{ Name = "$token._domainkey.mail.example.org"; Type = 'CNAME'; Expected = "$token.dkim.af-south-1.amazonses.com"; Status = 'Unreachable'
                    Found = [string[]]@("$token.dkim.amazonses.com"); Server = 'ns-1536.awsdns-00.co.uk' }) }
        @{ Type = 'OcdsAws.Ses.SesDomainVerification'; Values = @(
                @{ Domain = 'mail.open-contracting.org'; EmailIdentity = 'mail.open-contracting.org'; Region = 'us-isof-south-1'; VerificationStatus = 'TEMPORARY_FAILURE'; DkimStatus = 'TEMPORARY_FAILURE' }
                @{ Domain = 'open-contracting.org'; EmailIdentity = 'open-contracting.org'; Region = 'eu-west-1'; VerifiedForSending = $true; VerificationStatus = 'SUCCESS'; DkimStatus = 'NOT_STARTED' }) }
        @{ Type = 'OcdsAws.Ses.SesEmailVerification'; Values = @(
                @{ EmailAddress = 'data@open-contracting.org'; EmailIdentity = 'data@open-contracting.org'; Region = 'us-isof-south-1'; VerificationStatus = 'TEMPORARY_FAILURE' }) }
        @{ Type = 'OcdsAws.Ses.ReceiptCapture'; Values = @(
                @{ EmailAddress = 'data@open-contracting.org'; Region = 'eu-west-1'; BucketName = 'ocdsaws-capture-123456789012-eu-west-1'; RuleSetName = 'ocdsaws-capture'; RuleName = 'ocdsaws-capture-data-open-contracting-org' }) }
        @{ Type = 'OcdsAws.Ses.SesVerificationLink'; Values = @(
                @{ EmailAddress = 'data@open-contracting.org'; ReceivedAt = [datetimeoffset]'2026-12-03T16:00:00Z'; BucketName = 'ocdsaws-capture-123456789012-eu-west-1'; ObjectKey = 'mail/0lcf3hh5kiksh0dd2dfolbvq2ghbs5pmdnre1fg1' }) }
        @{ Type = 'OcdsAws.Smtp.SmtpCredential'; Values = @(
                @{ UserName = 'ses-smtp-data'; AccessKeyId = 'AKIAIOSFODNN7EXAMPLE'; Region = 'ap-southeast-4'; SmtpHost = 'email-smtp.ap-southeast-4.amazonaws.com' }) }
        @{ Type = 'OcdsAws.Notifications.SesNotificationTopic'; Values = @(
                @{ TopicName = 'data-open-contracting-org'; Region = 'eu-west-1'; Identity = 'data@open-contracting.org'; TopicArn = 'arn:aws:sns:eu-west-1:123456789012:data-open-contracting-org' }) }
        @{ Type = 'OcdsAws.Aurora.AuroraCluster'; Values = @(
                @{ DBClusterIdentifier = 'ocp-db'; Region = 'eu-west-1'; Status = 'backing-up'; Engine = 'aurora-postgresql'; EngineVersion = '16.6'; MinCapacity = 0; MaxCapacity = 2
                    SecondsUntilAutoPause = 3600; HttpEndpointEnabled = $true; DatabaseName = 'common'; Endpoint = 'ocp-db.cluster-c7tj4example.eu-west-1.rds.amazonaws.com'; Port = 5432 }) }
        @{ Type = 'OcdsAws.Aurora.AuroraDeletedResource'; Values = @(
                @{ ResourceType = 'InternetGateway'; ResourceId = 'igw-0123456789abcdef0'; Status = 'terminated' }
                @{ ResourceType = 'DBSubnetGroup'; ResourceId = 'ocds-aurora-subnets' }) }
        @{ Type = 'OcdsAws.Deliverability.DnsBlocklistResult'; Values = @(
                @{ Target = '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'; Zone = 'b.barracudacentral.org'; Status = 'NotListed' }) }
        @{ Type = 'OcdsAws.Deliverability.SesNotificationRecord'; Values = @(
                @{ NotificationType = 'Bounce'; EmailAddress = 'recipient@open-contracting.org'; BounceType = 'Undetermined'; Status = '5.1.1' }
                @{ NotificationType = 'Complaint'; EmailAddress = 'someone.else@example.com' }) }
        @{ Type = 'OcdsAws.Deliverability.SesTestEmail'; Values = @(
                @{ MessageId = '0102018c5e0f1a2b-1234abcd-5678-90ef-abcd-1234567890ab-000000'; From = 'data@open-contracting.org'; To = [string[]]@('check-auth@verifier.port25.com'); Subject = 'OcdsAws test'; Region = 'eu-west-1' }) }
    )
    $cases = foreach ($s in $samples) { foreach ($width in 80, 160) { @{ Type = $s.Type; Values = $s.Values; Width = $width } } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force
    $formatFile = [xml](Get-Content -Raw (Join-Path (Split-Path $bed.Module) 'OcdsAws.format.ps1xml'))
    $assemblies = @([OcdsAws.Dns.DnsRecord].Assembly, (Get-Module OcdsAws).ImplementingAssembly)

    function Get-OcdsType([string] $Name) { $assemblies | ForEach-Object { $_.GetType($Name) } | Where-Object { $_ } | Select-Object -First 1 }

    # An output object as a cmdlet makes it: most have no public constructor, so the values go into the properties'
    # setters (public or not) or, for get-only properties, their backing fields.
    function New-Sample([string] $TypeName, [hashtable] $Values) {
        $type = Get-OcdsType $TypeName
        $o = [System.Runtime.CompilerServices.RuntimeHelpers]::GetUninitializedObject($type)
        foreach ($entry in $Values.GetEnumerator()) {
            $property = $type.GetProperty($entry.Key)
            $value = [System.Management.Automation.LanguagePrimitives]::ConvertTo($entry.Value, $property.PropertyType)
            $setter = $property.GetSetMethod($true)
            if ($setter) { [void]$setter.Invoke($o, @(, $value)) }
            else { $type.GetField("<$($entry.Key)>k__BackingField", [System.Reflection.BindingFlags]'NonPublic,Instance').SetValue($o, $value) }
        }
        $o
    }

    # The properties a view shows, in its first (default) view and in every view of the type.
    function Get-ShownProperty([string] $TypeName, [switch] $AllViews) {
        $views = @($formatFile.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq $TypeName })
        if (-not $AllViews) { $views = $views[0] }
        $views | ForEach-Object { $_.SelectNodes('.//PropertyName') | ForEach-Object InnerText } | Select-Object -Unique
    }

    function Test-Whole([string] $Text, $Sample, [string[]] $Properties, [int] $Width) {
        $lines = $Text -split '\r?\n'
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual $Width -Because "no line is wider than $Width columns: '$line'" }
        foreach ($property in $Properties) {
            $value = $Sample.$property
            # Booleans, dates and lists are PowerShell's own rendering; the identifiers and values are what must stay whole.
            if ($null -eq $value -or $value -is [bool] -or $value -is [datetimeoffset] -or ($value -is [System.Collections.IEnumerable] -and $value -isnot [string])) { continue }
            $shown = "$value"
            if (-not $shown) { continue }
            @($lines | Where-Object { $_.Contains($shown) }).Count | Should -BeGreaterThan 0 -Because "$property '$shown' must be whole on one line at $Width columns:`n$Text"
        }
    }
}

Describe 'Views' {
    It 'label every column with the property it shows' {
        foreach ($view in $formatFile.Configuration.ViewDefinitions.View) {
            $type = Get-OcdsType $view.ViewSelectedBy.TypeName
            $type | Should -Not -BeNullOrEmpty -Because "$($view.Name) selects a type of the module"
            $table = $view.TableControl
            if ($table) {
                $labels = @($table.TableHeaders.TableColumnHeader | ForEach-Object Label)
                $items = @($table.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
                $items.Count | Should -Be $labels.Count
                for ($i = 0; $i -lt $items.Count; $i++) {
                    $items[$i].ScriptBlock | Should -BeNullOrEmpty -Because "$($view.Name) column '$($labels[$i])' shows a property, not a computed value"
                    $labels[$i] | Should -BeExactly $items[$i].PropertyName -Because "$($view.Name): a column's label is the name of the property it shows"
                }
            }
            foreach ($name in $view.SelectNodes('.//PropertyName') | ForEach-Object InnerText) {
                $type.GetProperty($name) | Should -Not -BeNullOrEmpty -Because "$($view.Name) shows $name, a property of $($type.Name)"
            }
            $view.SelectNodes('.//ListItem/Label').Count | Should -Be 0 -Because "$($view.Name): a list's labels are its property names"
        }
    }

    It '<Type> shows its values whole at <Width> columns' -ForEach $cases {
        $objects = @($Values | ForEach-Object { New-Sample $Type $_ })
        $text = $objects | Out-String -Width $Width
        foreach ($o in $objects) { Test-Whole $text $o (Get-ShownProperty $Type) $Width }
        $labels = @(Get-ShownProperty $Type)
        foreach ($label in $labels) { $text | Should -Match "(?m)\b$label\b" -Because "the default view of $Type names $label" }
    }

    It 'DnsRecord: the default view keeps every record copyable at 80 columns; Format-Table keeps them whole at 160' {
        $token = 'abcdefghijklmnopqrstuvwxyz234567'
        $record = New-Sample 'OcdsAws.Dns.DnsRecord' @{ Zone = 'example.org'; Name = "$token._domainkey.mail.example.org"; HostLabel = "$token._domainkey.mail"
            Type = 'CNAME'; Value = "$token.dkim.af-south-1.amazonses.com"; Ttl = 3600; Purpose = 'Easy DKIM'; Action = 'Add' }
        $list = $record | Out-String -Width 80
        $list | Should -Match "(?m)^HostLabel\s+: $([regex]::Escape($record.HostLabel))\s*$"
        $list | Should -Match "(?m)^Value\s+: $([regex]::Escape($record.Value))\s*$"
        $table = $record | Format-Table | Out-String -Width 160
        $table | Should -Match "(?m)^Action\s+Type\s+Priority\s+HostLabel\s+Value\s*$"
        $table | Should -Match "(?m)^Add\s+CNAME\s+$([regex]::Escape($record.HostLabel))\s+$([regex]::Escape($record.Value))\s*$"
    }

    It 'SesDomainVerification: a table whose statuses read whole at 80 columns' {
        $v = New-Sample 'OcdsAws.Ses.SesDomainVerification' @{ Domain = 'open-contracting.org'; Region = 'eu-west-1'; VerificationStatus = 'PENDING'; DkimStatus = 'TEMPORARY_FAILURE' }
        $text = $v | Out-String -Width 80
        $text | Should -Match '(?m)^VerificationStatus\s+DkimStatus\s+Region\s+Domain\s*$'
        $text | Should -Match '(?m)^PENDING\s+TEMPORARY_FAILURE\s+eu-west-1\s+open-contracting\.org\s*$'
    }
}
