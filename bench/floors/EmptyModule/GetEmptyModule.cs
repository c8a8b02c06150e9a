using System.Management.Automation;

namespace EmptyModule
{
    /// <summary>What the one cmdlet writes: a type for the module's one format view.</summary>
    public sealed class EmptyResult
    {
        public string Name { get; set; } = "empty";
    }

    /// <summary>The one cmdlet of the import floor: it exists so that PowerShell has a cmdlet to register.</summary>
    [Cmdlet(VerbsCommon.Get, "EmptyModule")]
    [OutputType(typeof(EmptyResult))]
    public sealed class GetEmptyModuleCommand : PSCmdlet
    {
        protected override void ProcessRecord() => WriteObject(new EmptyResult());
    }
}
