namespace OcdsAws
{
    /// <summary>A cmdlet that asks DNS: the template resolves its -DnsServer once, in BeginProcessing, into <see cref="OcdsCmdlet.Dns"/>.</summary>
    internal interface IDnsCmdlet
    {
        /// <summary>DNS server to ask, host[:port]; null: the system's resolvers.</summary>
        string? DnsServer { get; }
    }
}
