using System;
using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace OcdsAws.Aws
{
    /// <summary>The AWS.Tools-style common parameters, as plain values.</summary>
    internal sealed class AwsCommonParameters
    {
        public string? Region { get; set; }
        public string? ProfileName { get; set; }
        public string? ProfileLocation { get; set; }
        public string? AccessKey { get; set; }
        public string? SecretKey { get; set; }
        public string? SessionToken { get; set; }
        /// <summary>Any AWSCredentials object, ours or from another copy of AWSSDK.Core (AWS.Tools).</summary>
        public object? Credential { get; set; }
        public string? EndpointUrl { get; set; }
    }

    /// <summary>Where the resolver reads session variables and environment variables (a seam for tests).</summary>
    internal interface IAwsEnvironment
    {
        object? GetSessionVariable(string name);

        string? GetEnvironmentVariable(string name);
    }

    /// <summary>Credentials, region and endpoint override chosen for one cmdlet invocation, and why.</summary>
    internal sealed class AwsSession
    {
        public AwsSession(AWSCredentials credentials, string credentialSource, RegionEndpoint region, string regionSource, Uri? endpointUrl)
        {
            Credentials = credentials;
            CredentialSource = credentialSource;
            Region = region;
            RegionSource = regionSource;
            EndpointUrl = endpointUrl;
        }

        public AWSCredentials Credentials { get; }
        public string CredentialSource { get; }
        public RegionEndpoint Region { get; }
        public string RegionSource { get; }
        public Uri? EndpointUrl { get; }
    }

    /// <summary>A problem with the common parameters, found before any AWS call.</summary>
    internal sealed class AwsSessionException : Exception
    {
        public AwsSessionException(string errorId, string message, bool isArgument, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            IsArgument = isArgument;
        }

        public string ErrorId { get; }

        /// <summary>True when a parameter value is wrong; false when something is missing from the environment.</summary>
        public bool IsArgument { get; }
    }

    /// <summary>
    /// Resolves credentials and region in AWS.Tools' order (design.md §6): explicit keys, then
    /// -ProfileName (an error if missing, never a fall-through), then -Credential, then
    /// $StoredAWSCredentials, then the SDK's own default chain (environment, AWS_PROFILE/default
    /// profile, web identity, container, instance). Region: -Region, $StoredAWSRegion, the chosen
    /// profile's region (AWS.Tools forgets this), AWS_REGION, AWS_DEFAULT_REGION, the default profile.
    /// </summary>
    internal sealed class AwsSessionResolver
    {
        private static readonly Regex RegionPattern = new Regex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]+\\z", RegexOptions.CultureInvariant);

        private readonly IAwsEnvironment _environment;

        public AwsSessionResolver(IAwsEnvironment environment) => _environment = environment;

        public AwsSession Resolve(AwsCommonParameters parameters)
        {
            var endpoint = ParseEndpoint(parameters.EndpointUrl);
            if (parameters.Region != null) ValidateRegion(parameters.Region, "-Region");

            var (credentials, credentialSource, profile) = ResolveCredentials(parameters);
            var (region, regionSource) = ResolveRegion(parameters, profile, endpoint != null);
            return new AwsSession(credentials, credentialSource, region, regionSource, endpoint);
        }

        private (AWSCredentials, string, CredentialProfile?) ResolveCredentials(AwsCommonParameters p)
        {
            if (!string.IsNullOrEmpty(p.AccessKey) || !string.IsNullOrEmpty(p.SecretKey))
            {
                if (string.IsNullOrEmpty(p.AccessKey) || string.IsNullOrEmpty(p.SecretKey))
                    throw new AwsSessionException("IncompleteAccessKey", "-AccessKey and -SecretKey must be given together.", true);
                return (string.IsNullOrEmpty(p.SessionToken)
                    ? new BasicAWSCredentials(p.AccessKey, p.SecretKey)
                    : (AWSCredentials)new SessionAWSCredentials(p.AccessKey, p.SecretKey, p.SessionToken),
                    "parameters -AccessKey/-SecretKey" + (string.IsNullOrEmpty(p.SessionToken) ? "" : "/-SessionToken"), null);
            }

            if (!string.IsNullOrEmpty(p.ProfileName))
            {
                var (credentials, profile) = FromProfile(p.ProfileName!, p.ProfileLocation);
                return (credentials, $"profile '{profile.Name}' (-ProfileName)", profile);
            }

            if (p.Credential != null)
            {
                var given = ForeignCredentials.TryAdapt(Unwrap(p.Credential))
                    ?? throw new AwsSessionException("InvalidCredential", $"-Credential must be an Amazon.Runtime.AWSCredentials object, not {p.Credential.GetType().FullName}.", true);
                return (given, $"parameter -Credential ({Describe(given)})", null);
            }

            var stored = Unwrap(_environment.GetSessionVariable("StoredAWSCredentials"));
            if (ForeignCredentials.TryAdapt(stored) is AWSCredentials storedCredentials)
                return (storedCredentials, $"$StoredAWSCredentials ({Describe(storedCredentials)})", null);
            if (stored is string storedProfile && storedProfile.Length > 0)
            {
                var (credentials, profile) = FromProfile(storedProfile, p.ProfileLocation);
                return (credentials, $"profile '{profile.Name}' ($StoredAWSCredentials)", profile);
            }

            try
            {
                var resolver = new DefaultAWSCredentialsIdentityResolver();
                var credentials = resolver.ResolveIdentity(null);
                return (credentials, DescribeDefaultChain(credentials), null);
            }
            catch (AmazonClientException e)
            {
                throw new AwsSessionException("NoCredentials",
                    "No AWS credentials found. Pass -AccessKey/-SecretKey, -ProfileName or -Credential, run Set-AWSCredential, "
                    + "or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE.", false, e);
            }
        }

        private string DescribeDefaultChain(AWSCredentials credentials)
        {
            if (credentials is EnvironmentVariablesAWSCredentials) return "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
            var profileName = _environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
            return new CredentialProfileStoreChain().TryGetProfile(profileName, out _)
                ? $"profile '{profileName}' (SDK default chain, {credentials.GetType().Name})"
                : $"SDK default chain ({credentials.GetType().Name})";
        }

        private static (AWSCredentials, CredentialProfile) FromProfile(string name, string? location)
        {
            var chain = new CredentialProfileStoreChain(location);
            if (!chain.TryGetProfile(name, out var profile))
                throw new AwsSessionException("ProfileNotFound",
                    $"The AWS profile '{name}' was not found in " + (location ?? "the SDK credential store or ~/.aws/credentials and ~/.aws/config") + ".", true);
            if (!chain.TryGetAWSCredentials(name, out var credentials))
                throw new AwsSessionException("ProfileHasNoCredentials", $"The AWS profile '{name}' holds no usable credentials.", true);
            return (credentials, profile);
        }

        private (RegionEndpoint, string) ResolveRegion(AwsCommonParameters p, CredentialProfile? chosenProfile, bool customEndpoint)
        {
            if (!string.IsNullOrEmpty(p.Region)) return (RegionEndpoint.GetBySystemName(p.Region), "parameter -Region");

            var stored = Unwrap(_environment.GetSessionVariable("StoredAWSRegion"));
            var storedName = stored as string ?? (stored as RegionEndpoint)?.SystemName;
            if (!string.IsNullOrEmpty(storedName))
                return (RegionEndpoint.GetBySystemName(ValidateRegion(storedName!, "$StoredAWSRegion")), "$StoredAWSRegion");

            if (chosenProfile?.Region != null) return (chosenProfile.Region, $"profile '{chosenProfile.Name}'");

            foreach (var variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            {
                var value = _environment.GetEnvironmentVariable(variable);
                if (!string.IsNullOrEmpty(value))
                    return (RegionEndpoint.GetBySystemName(ValidateRegion(value!, variable)), "environment variable " + variable);
            }

            var defaultName = _environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
            if (new CredentialProfileStoreChain(p.ProfileLocation).TryGetProfile(defaultName, out var defaultProfile) && defaultProfile.Region != null)
                return (defaultProfile.Region, $"profile '{defaultName}'");

            // A local emulator needs some signing region; AWS itself always gets an explicit one.
            if (customEndpoint) return (RegionEndpoint.USEast1, "default for -EndpointUrl");

            throw new AwsSessionException("NoRegion",
                "No AWS region. Pass -Region, run Set-DefaultAWSRegion, set AWS_REGION, or add a region to your profile.", false);
        }

        private static string ValidateRegion(string region, string source)
        {
            if (!RegionPattern.IsMatch(region))
                throw new AwsSessionException("InvalidRegion", $"'{region}' from {source} is not an AWS region name (like eu-west-1).", true);
            return region;
        }

        private static Uri? ParseEndpoint(string? value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new AwsSessionException("InvalidEndpointUrl", $"-EndpointUrl '{value}' is not an absolute http or https URL.", true);
            return uri;
        }

        private static string Describe(AWSCredentials credentials)
            => credentials is ForeignCredentials foreign ? foreign.InnerTypeName + " from another AWSSDK.Core" : credentials.GetType().Name;

        /// <summary>
        /// AWS.Tools keeps its stored values in wrapper objects (AWSPSCredentials has .Credentials,
        /// the region is a string); PowerShell may hand them over wrapped in a PSObject.
        /// </summary>
        private static object? Unwrap(object? value)
        {
            if (value is System.Management.Automation.PSObject ps) value = ps.BaseObject;
            if (value == null || value is string || value is RegionEndpoint || ForeignCredentials.TryAdapt(value) != null) return value;
            if (value.GetType().FullName == "Amazon.RegionEndpoint") return value.GetType().GetProperty("SystemName")?.GetValue(value);
            var property = value.GetType().GetProperty("Credentials") ?? value.GetType().GetProperty("Region");
            return Unwrap(property?.GetValue(value));
        }
    }
}
