using System;
using System.Linq;
using System.Xml.Linq;
using OcdsAws.Tests.Infrastructure;
using Xunit;

namespace OcdsAws.Tests.Ecosystem
{
    /// <summary>Every type's default view in OcdsAws.format.ps1xml renders, with its headers, inside 120 columns.</summary>
    public sealed class FormatViewTests
    {
        public static TheoryData<string> ViewedTypes()
        {
            var data = new TheoryData<string>();
            var file = XDocument.Load(System.IO.Path.Combine(AppContext.BaseDirectory, "OcdsAws.format.ps1xml"));
            foreach (var type in file.Descendants("TypeName").Select(t => t.Value).Distinct()) data.Add(type);
            return data;
        }

        [Fact]
        public void Every_output_type_of_the_module_has_a_view()
        {
            var viewed = XDocument.Load(System.IO.Path.Combine(AppContext.BaseDirectory, "OcdsAws.format.ps1xml"))
                .Descendants("TypeName").Select(t => t.Value).ToHashSet();
            // The cmdlets are in OcdsAws.dll (the RootModule), their output types mostly in OcdsAws.Engine.dll.
            var outputs = typeof(OcdsAws.OcdsCmdlet).Assembly.GetTypes()
                .Where(t => typeof(System.Management.Automation.Cmdlet).IsAssignableFrom(t) && !t.IsAbstract)
                .SelectMany(t => t.GetCustomAttributes(typeof(System.Management.Automation.OutputTypeAttribute), true).Cast<System.Management.Automation.OutputTypeAttribute>())
                .SelectMany(a => a.Type.Select(p => p.Type))
                .Where(t => t != null && t.FullName!.StartsWith("OcdsAws.", StringComparison.Ordinal))
                .Select(t => t!.FullName!)
                .Distinct()
                .ToList();
            Assert.True(outputs.Count > 10, $"only {outputs.Count} output types found");
            var missing = outputs.Where(t => !viewed.Contains(t)).ToList();
            Assert.True(missing.Count == 0, "no view for " + string.Join(", ", missing));
        }

        [Theory]
        [MemberData(nameof(ViewedTypes))]
        public void The_view_renders_in_120_columns(string typeName)
        {
            // Properties that are lists get one element so the view's script blocks have something to count.
            var r = PowerShellHost.Run(
                "$type = [OcdsAws.Dns.DnsRecord].Assembly, [OcdsAws.OcdsCmdlet].Assembly | ForEach-Object { $_.GetType($typeName) } | Where-Object { $_ } | Select-Object -First 1; " +
                "$o = [System.Runtime.CompilerServices.RuntimeHelpers]::GetUninitializedObject($type); " +
                "foreach ($p in $type.GetProperties()) { $f = $type.GetField(\"<$($p.Name)>k__BackingField\", 'NonPublic,Instance'); " +
                "  if ($f -and $f.FieldType -eq [string]) { $f.SetValue($o, ('x' * 60)) } } " +
                "$o | Out-String -Width 120",
                new System.Collections.Generic.Dictionary<string, object?> { ["typeName"] = typeName });

            Assert.Empty(r.Errors);
            var text = (string)r.Output.Single().BaseObject;
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.True(l.Length <= 120, $"{typeName}: {l.Length} columns: {l}"));
            // The first view of a type is its default (DnsRecord's list; Format-Table picks its second, a table).
            var view = XDocument.Load(System.IO.Path.Combine(AppContext.BaseDirectory, "OcdsAws.format.ps1xml"))
                .Descendants("View").First(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == typeName);
            foreach (var label in view.Descendants("Label").Select(l => l.Value).Concat(view.Descendants("ListItem").Select(i => i.Element("PropertyName")!.Value)))
                Assert.Contains(label, text);
        }
    }
}
