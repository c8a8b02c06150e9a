using System;
using System.Collections.Generic;
using System.Linq;

namespace OcdsAws.Ses
{
    /// <summary>What the two Get- verification cmdlets share: the names given, or with none (and no pipeline input) the region's identities of one type.</summary>
    internal static class SesIdentityNames
    {
        /// <summary>
        /// <paramref name="given"/>; when empty and nothing is piped, the region's identities of <paramref name="type"/> in name
        /// order (one SESv2 ListEmailIdentities, paged). The listing's own failure (access denied, throttling) is an ErrorRecord
        /// like any other call's, and nothing follows.
        /// </summary>
        public static IReadOnlyList<string> GivenOrListed(OcdsAwsCmdlet cmdlet, string[] given, string type)
        {
            if (given.Length > 0 || cmdlet.MyInvocation.ExpectingInput) return given;
            IReadOnlyList<string> names = Array.Empty<string>();
            var clients = cmdlet.Clients;
            cmdlet.ForItem(null, () => names = cmdlet.Run(ct => SesIdentities.ListAsync(clients, type, ct))
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList());
            return names;
        }
    }
}
