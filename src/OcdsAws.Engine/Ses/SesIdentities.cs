using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;
using OcdsAws.Aws.Services;

namespace OcdsAws.Ses
{
    /// <summary>The region's SES identities (what -Domain, -EmailAddress and -Identity complete to).</summary>
    internal static class SesIdentities
    {
        /// <summary>SESv2 IdentityType values (botocore sesv2 model, IdentityType).</summary>
        public const string Domain = "DOMAIN";
        public const string EmailAddress = "EMAIL_ADDRESS";

        /// <summary>Every identity's name, or only those of <paramref name="identityType"/>.</summary>
        public static async Task<IReadOnlyList<string>> ListAsync(AwsClientFactory clients, string? identityType, CancellationToken ct)
            => (await new SesV2Api(clients.Get(AwsService.SesV2)).ListEmailIdentitiesAsync(ct).ConfigureAwait(false))
                .Where(i => identityType == null || i.Type == identityType).Select(i => i.Name).ToList();
    }
}
