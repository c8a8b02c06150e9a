using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using OcdsAws.Tests.Dns;

// Usage: DnsTestServer <zone-file> <zone> [<zone>...]
// Serves the zones (SOA/NS to itself) plus the records of a BIND zone file on 127.0.0.1, re-reading the
// file whenever it changes. Prints "READY 127.0.0.1:<port>" once listening; stops on Ctrl+C or SIGTERM.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: DnsTestServer <zone-file> <zone> [<zone>...]");
    return 2;
}

var file = Path.GetFullPath(args[0]);
var zones = args.Skip(1).ToArray();
using var server = new LoopbackDnsServer();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

DateTime loaded = DateTime.MinValue;
void Reload()
{
    var stamp = File.Exists(file) ? File.GetLastWriteTimeUtc(file) : DateTime.MinValue;
    if (stamp == loaded) return;
    loaded = stamp;
    server.Clear();
    foreach (var zone in zones) server.AddZone(zone);
    var count = 0;
    foreach (var line in File.Exists(file) ? File.ReadAllLines(file) : Array.Empty<string>())
        if (ZoneLine.TryParse(line, out var record)) { server.AddTxtOrRecord(record); count++; }
    Console.WriteLine($"loaded {count} records from {file}");
}

Reload();
Console.WriteLine($"READY 127.0.0.1:{server.Port}");
while (!stop.IsCancellationRequested)
{
    try { Reload(); } catch (IOException) { /* the writer is mid-write: next round */ }
    stop.Token.WaitHandle.WaitOne(200);
}
return 0;

/// <summary>One zone-file line as Export-DnsRecord -Format Bind writes it: name. ttl IN type [priority] value.</summary>
internal sealed record ZoneLine(string Name, int Ttl, string Type, string Value, string[]? TxtStrings)
{
    private static readonly Regex Line = new(@"^(?<name>\S+)\s+(?<ttl>\d+)\s+IN\s+(?<type>[A-Z]+)\s+(?<rest>.+?)\s*$", RegexOptions.IgnoreCase);
    private static readonly Regex Quoted = new("\"((?:[^\"\\\\]|\\\\.)*)\"");

    public static bool TryParse(string line, out ZoneLine record)
    {
        record = null!;
        var text = line.Trim();
        if (text.Length == 0 || text.StartsWith(";")) return false;
        var m = Line.Match(text);
        if (!m.Success) return false;
        var type = m.Groups["type"].Value.ToUpperInvariant();
        var rest = m.Groups["rest"].Value;
        string[]? strings = null;
        if (type == "TXT")
        {
            strings = Quoted.Matches(rest).Select(q => Regex.Unescape(q.Groups[1].Value)).ToArray();
            rest = string.Concat(strings);
        }
        record = new ZoneLine(m.Groups["name"].Value.TrimEnd('.'), int.Parse(m.Groups["ttl"].Value), type, rest, strings);
        return true;
    }
}

internal static class ServerExtensions
{
    public static void AddTxtOrRecord(this LoopbackDnsServer server, ZoneLine line)
    {
        if (line.TxtStrings != null) server.AddTxt(line.Name, line.TxtStrings);
        else server.Add(line.Name, line.Type, line.Value, line.Ttl);
    }
}
