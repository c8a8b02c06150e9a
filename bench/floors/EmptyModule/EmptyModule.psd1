@{
    RootModule        = 'EmptyModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '0b8f2d4e-5a51-4c3e-9c1e-6f5b2b0d7a11'
    Description       = 'The OcdsAws benchmark import floor: one cmdlet, one format view.'
    FormatsToProcess  = @('EmptyModule.format.ps1xml')
    CmdletsToExport   = @('Get-EmptyModule')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
