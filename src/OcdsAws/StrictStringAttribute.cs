using System.Management.Automation;

namespace OcdsAws
{
    /// <summary>
    /// Takes text only: PowerShell would turn a hashtable, an array, a script block or a file into a string
    /// ("System.Collections.Hashtable", the script's source, a path) and that string would reach AWS (issue #16 item 8).
    /// A number is refused too: a parameter that takes SQL, a name or an ARN has no numeric meaning.
    /// </summary>
    public sealed class StrictStringAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value == null || value is string) return value;
            throw new ArgumentTransformationMetadataException(
                $"Give text here, not a {value.GetType().Name}: PowerShell would send its string form (\"{Shorten(LanguagePrimitives.ConvertTo<string>(value) ?? "")}\").");
        }

        private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
