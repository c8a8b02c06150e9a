using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
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

        /// <summary>The key under which a NotFoundException carries the other regions where the identity exists.</summary>
        public const string FoundInKey = "OcdsAws.FoundIn";

        /// <summary>
        /// After SESv2's NotFoundException (GetEmailIdentity) in the session's region: looks for <paramref name="identity"/> in
        /// the session's other candidate regions only ($StoredAWSRegion, the profile's, AWS_REGION…: usually none or one, so
        /// the look is cheap) and records where it exists on <paramref name="notFound"/>, for the error message.
        /// </summary>
        public static async Task NoteOtherRegionsAsync(AwsClientFactory clients, string identity, Exception notFound, CancellationToken ct)
        {
            var found = new List<string>();
            foreach (var region in clients.Session.OtherRegions)
            {
                using var other = clients.ForRegion(region);
                try
                {
                    await new SesV2Api(other.Get(AwsService.SesV2)).GetEmailIdentityAsync(identity, ct).ConfigureAwait(false);
                    found.Add(region);
                }
                catch (AmazonServiceException)
                {
                    // Not there, or not allowed there (an opt-in region): it tells nothing.
                }
            }
            if (found.Count > 0) notFound.Data[FoundInKey] = string.Join(", ", found);
        }

        /// <summary>Every identity's name, or only those of <paramref name="identityType"/>.</summary>
        public static async Task<IReadOnlyList<string>> ListAsync(AwsClientFactory clients, string? identityType, CancellationToken ct)
            => (await new SesV2Api(clients.Get(AwsService.SesV2)).ListEmailIdentitiesAsync(ct).ConfigureAwait(false))
                .Where(i => identityType == null || i.Type == identityType).Select(i => i.Name).ToList();
    }
}
