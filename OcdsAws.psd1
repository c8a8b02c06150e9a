@{
    # build.ps1 replaces ModuleVersion with <OcdsAwsVersion> from Directory.Build.props (the one source).
    RootModule             = 'OcdsAws.dll'
    ModuleVersion          = '0.0.0'
    GUID                   = '6f0f7b1e-2d0c-4c58-9a57-3f7e4f1d2b6a'
    Author                 = 'Open Contracting Partnership'
    CompanyName            = 'Open Contracting Partnership'
    Copyright              = '(c) Open Contracting Partnership. All rights reserved.'
    Description            = "Runs the Open Contracting Partnership's AWS runbook (SES domains and senders, SMTP credentials, notifications, DMARC checks, Aurora Serverless v2 PostgreSQL) as idempotent, pipeline-friendly cmdlets."
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    # No RequiredAssemblies: PowerShell would LoadFrom our AWSSDK.Core.dll and fail ("Assembly with same
    # name is already loaded") when AWS.Tools got there first. Module.cs loads the SDK instead.
    FormatsToProcess       = @('OcdsAws.format.ps1xml')
    CmdletsToExport        = @(
        'Get-OcdsAwsContext'
        # SES domain
        'New-SesDomainVerification', 'Get-SesDomainVerification', 'Wait-SesDomainVerification'
        'Test-DnsRecord', 'Export-DnsRecord', 'Set-SesMailFromDomain'
        'Get-SesAccount', 'Request-SesProductionAccess', 'Disable-SesAccountSuppression', 'Enable-SesAccountSuppression'
        # SES sender
        'New-SesEmailVerification', 'Get-SesEmailVerification', 'Wait-SesEmailVerification', 'Confirm-SesEmailVerification'
        'New-SesReceiptCapture', 'Get-SesVerificationLink', 'Remove-SesReceiptCapture'
        'New-SesNotificationTopic', 'Set-SesIdentityNotification'
        'New-SesSmtpCredential', 'Get-SesSmtpCredential', 'ConvertTo-SesSmtpPassword'
        # Deliverability
        'Send-SesTestEmail', 'Get-DmarcRecord', 'Test-DmarcCompliance', 'ConvertFrom-SesNotification', 'Test-DnsBlocklist'
        # Aurora
        'New-AuroraNetwork', 'New-AuroraServerlessCluster', 'Get-AuroraServerlessCluster', 'Invoke-AuroraSql', 'New-AuroraBastion'
        'Remove-AuroraServerlessCluster', 'Remove-AuroraNetwork'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @('Get-SmtpCredential')
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('AWS', 'SES', 'Aurora', 'PostgreSQL', 'DMARC', 'OpenContracting')
            ProjectUri   = 'https://github.com/open-contracting/ocds-aws'
            LicenseUri   = 'https://github.com/open-contracting/ocds-aws/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/open-contracting/ocds-aws/blob/main/CHANGELOG.md'
        }
    }
}
