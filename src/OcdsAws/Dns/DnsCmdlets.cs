namespace OcdsAws.Dns
{
    /// <summary>Shared -DnsServer handling.</summary>
    internal static class DnsCmdlets
    {
        public static DnsResolver Resolver(OcdsCmdlet cmdlet, string? server)
        {
            try
            {
                return server == null ? new DnsResolver(null) : new DnsResolver(new[] { DnsServerAddress.Parse(server) });
            }
            catch (ValidationException e)
            {
                cmdlet.Fail(e, server);
                throw; // not reached
            }
        }
    }
}
