using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
        public AwsSession(AWSCredentials credentials, string credentialSource, RegionEndpoint region, string regionSource, Uri? endpointUrl,
            IReadOnlyList<string>? otherRegions = null)
        {
            Credentials = credentials;
            CredentialSource = credentialSource;
            Region = region;
            RegionSource = regionSource;
            EndpointUrl = endpointUrl;
            OtherRegions = otherRegions ?? Array.Empty<string>();
        }

        public AWSCredentials Credentials { get; }
        public string CredentialSource { get; }
        public RegionEndpoint Region { get; }
        public string RegionSource { get; }
        public Uri? EndpointUrl { get; }

        /// <summary>
        /// The other regions this session's sources name ($StoredAWSRegion, the profile's, AWS_REGION…) that lost to
        /// <see cref="Region"/>: where a resource made "in the default region" most likely is. Cheap to look in.
        /// </summary>
        public IReadOnlyList<string> OtherRegions { get; }
    }

    /// <summary>A problem with the common parameters, found before any AWS call.</summary>
    internal sealed class AwsSessionException : Exception
    {
        public AwsSessionException(string errorId, string message, bool isArgument, Exception? inner = null)
            : base(ErrorText.CutLongQuotes(message), inner)
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

        /// <summary>
        /// How deep AWS.Tools-style wrappers may nest (AWSPSCredentials.Credentials → AWSCredentials is one level): an
        /// object whose Credentials or Region property leads back to itself would otherwise be followed for ever.
        /// </summary>
        private const int MaxWrapperDepth = 8;

        public AwsSession Resolve(AwsCommonParameters parameters)
        {
            var endpoint = ParseEndpoint(parameters.EndpointUrl);
            if (parameters.Region != null) ValidateRegion(parameters.Region, "-Region");
            CheckKeyText(parameters.AccessKey, "-AccessKey");
            CheckKeyText(parameters.SecretKey, "-SecretKey");
            CheckKeyText(parameters.SessionToken, "-SessionToken");
            CheckProfileFiles(parameters.ProfileLocation);

            try
            {
                var (credentials, credentialSource, profile) = ResolveCredentials(parameters);
                var (region, regionSource) = ResolveRegion(parameters, profile, endpoint != null);
                return new AwsSession(credentials, credentialSource, region, regionSource, endpoint, OtherRegions(parameters, profile, region.SystemName));
            }
            catch (InvalidDataException e)
            {
                throw MalformedProfileFile(e, parameters.ProfileLocation);
            }
        }

        /// <summary>
        /// Keys and tokens travel in HTTP headers (the Authorization header's Credential, X-Amz-Security-Token) and in the
        /// signature: a line break or a non-ASCII character there is a paste mistake. Access key ids are [\w]+ of 16 to 128
        /// characters (botocore's iam and sts models, accessKeyIdType). Not confirmed here: that AWS never issues a secret key
        /// or session token with a character outside printable ASCII (the models give them no pattern; every one seen is
        /// base64). Refused before any call, without showing the value: retrying such a request only failed three times as
        /// "could not reach the endpoint".
        /// </summary>
        private static void CheckKeyText(string? value, string parameter)
        {
            if (string.IsNullOrEmpty(value)) return;
            for (var i = 0; i < value!.Length; i++)
            {
                var c = value[i];
                if (c > ' ' && c < 0x7F) continue;
                var what = c == '\r' ? "a carriage return (CR)" : c == '\n' ? "a line feed (LF)" : c == ' ' ? "a space" : c == '\t' ? "a tab"
                    : c < ' ' || c == 0x7F ? $"the control character U+{(int)c:X4}" : $"the non-ASCII character U+{(int)c:X4}";
                throw new AwsSessionException(ErrorIds.InvalidKeyText,
                    $"{parameter} holds {what} at position {i + 1} of {value.Length}; AWS keys and tokens are printable ASCII only. "
                    + "Copy the value again without spaces or line breaks (it is not shown here).", true);
            }
        }

        /// <summary>
        /// The profile files the SDK will read must be regular files of at most <see cref="SafeFile.MaxProfileFileBytes"/>:
        /// the SDK reads them whole, so a FIFO given as -ProfileLocation (or AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE)
        /// would hang and /dev/zero would fill the memory. A file that does not exist is left to the profile lookup.
        /// </summary>
        private void CheckProfileFiles(string? location)
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var files = new List<(string Path, string What)>();
            if (!string.IsNullOrEmpty(location)) files.Add((location!, "credentials file (-ProfileLocation)"));
            files.Add((_environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } credentials ? credentials : Path.Combine(home, ".aws", "credentials"),
                "credentials file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials)"));
            files.Add((_environment.GetEnvironmentVariable("AWS_CONFIG_FILE") is { Length: > 0 } config ? config : Path.Combine(home, ".aws", "config"),
                "config file (AWS_CONFIG_FILE or ~/.aws/config)"));
            foreach (var (path, what) in files)
            {
                if (!File.Exists(path) && !Directory.Exists(path)) continue;
                CheckFile(path, what, SafeFile.MaxProfileFileBytes);
            }
        }

        /// <summary>A web identity token file (a profile's web_identity_token_file, AWS_WEB_IDENTITY_TOKEN_FILE) is read by the SDK on the first call.</summary>
        private static void CheckWebIdentityTokenFile(string? path, string source)
        {
            if (string.IsNullOrEmpty(path)) return;
            CheckFile(path!, "web identity token file (" + source + ")", SafeFile.MaxWebIdentityTokenBytes);
        }

        private static void CheckFile(string path, string what, long maxBytes)
        {
            try
            {
                SafeFile.Check(path, what, maxBytes);
            }
            catch (ValidationException e)
            {
                throw new AwsSessionException(e.ErrorId, e.Message, true);
            }
        }

        /// <summary>
        /// The SDK's parser says "Line N:&lt;text&gt; in file F does not contain a section, property or comment": the line may be
        /// a key without its '=', so only its number and the file are shown.
        /// </summary>
        private static AwsSessionException MalformedProfileFile(InvalidDataException e, string? location)
        {
            var line = Regex.Match(e.Message, @"Line (\d+)");
            var file = Regex.Match(e.Message, @" in file (.+?) does not contain", RegexOptions.Singleline);
            var where = (line.Success ? $"line {line.Groups[1].Value} of " : "") + (file.Success ? file.Groups[1].Value.Trim() : location ?? "an AWS credentials or config file");
            return new AwsSessionException(ErrorIds.InvalidProfileFile,
                $"Could not read AWS profiles: {where} is not a [section], a 'name = value' line or a # comment (the line is not shown: it may hold a key). "
                + "Fix or remove that line, or pass -ProfileLocation to another file.", true, e);
        }

        /// <summary>
        /// The region <see cref="Resolve"/> would choose, without resolving credentials (tab completion needs only the
        /// region's partition, and must not wait on the credential chain); null when no region is set or it is invalid.
        /// The profile whose region counts is the one <see cref="Resolve"/> would take credentials from.
        /// </summary>
        public RegionEndpoint? TryResolveRegion(AwsCommonParameters p)
        {
            try
            {
                if (!string.IsNullOrEmpty(p.Region)) return RegionEndpoint.GetBySystemName(ValidateRegion(p.Region!, "-Region"));
                CredentialProfile? chosen = null;
                if (string.IsNullOrEmpty(p.AccessKey) && string.IsNullOrEmpty(p.SecretKey))
                {
                    var name = !string.IsNullOrEmpty(p.ProfileName) ? p.ProfileName
                        : p.Credential == null ? Unwrap(_environment.GetSessionVariable("StoredAWSCredentials"), "$StoredAWSCredentials") as string : null;
                    if (!string.IsNullOrEmpty(name)) new CredentialProfileStoreChain(p.ProfileLocation).TryGetProfile(name, out chosen);
                }
                return ResolveRegion(p, chosen, false).Item1;
            }
            catch (AwsSessionException)
            {
                return null;
            }
        }

        private (AWSCredentials, string, CredentialProfile?) ResolveCredentials(AwsCommonParameters p)
        {
            if (!string.IsNullOrEmpty(p.AccessKey) || !string.IsNullOrEmpty(p.SecretKey))
            {
                if (string.IsNullOrEmpty(p.AccessKey) || string.IsNullOrEmpty(p.SecretKey))
                    throw new AwsSessionException(ErrorIds.IncompleteAccessKey, "-AccessKey and -SecretKey must be given together.", true);
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
                var given = ForeignCredentials.TryAdapt(Unwrap(p.Credential, "-Credential"))
                    ?? throw new AwsSessionException(ErrorIds.InvalidCredential, $"-Credential must be an Amazon.Runtime.AWSCredentials object, not {p.Credential.GetType().FullName}.", true);
                return (given, $"parameter -Credential ({Describe(given)})", null);
            }

            var stored = Unwrap(_environment.GetSessionVariable("StoredAWSCredentials"), "$StoredAWSCredentials");
            if (ForeignCredentials.TryAdapt(stored) is AWSCredentials storedCredentials)
                return (storedCredentials, $"$StoredAWSCredentials ({Describe(storedCredentials)})", null);
            if (stored is string storedProfile && storedProfile.Length > 0)
            {
                var (credentials, profile) = FromProfile(storedProfile, p.ProfileLocation);
                return (credentials, $"profile '{profile.Name}' ($StoredAWSCredentials)", profile);
            }

            // The SDK's chain reads AWS_PROFILE after the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables; a profile it names
            // that does not exist is an error, as in the AWS CLI, not a quiet fall-through to "no credentials".
            var envProfile = _environment.GetEnvironmentVariable("AWS_PROFILE");
            if (!string.IsNullOrEmpty(envProfile) && string.IsNullOrEmpty(_environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")))
            {
                var chain = new CredentialProfileStoreChain(p.ProfileLocation);
                if (!TryGetProfile(chain, envProfile!, out var named))
                    throw new AwsSessionException(ErrorIds.ProfileNotFound,
                        $"The environment variable AWS_PROFILE names the profile '{envProfile}', which is not in {ProfileFilesIn(p.ProfileLocation)}."
                        + KnownProfiles(chain) + " Fix AWS_PROFILE or remove it.", true);
                CheckWebIdentityTokenFile(named.Options.WebIdentityTokenFile, $"profile '{envProfile}'");
            }
            CheckWebIdentityTokenFile(_environment.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE"), "AWS_WEB_IDENTITY_TOKEN_FILE");

            try
            {
                var resolver = new DefaultAWSCredentialsIdentityResolver();
                var credentials = resolver.ResolveIdentity(null);
                return (credentials, DescribeDefaultChain(credentials), null);
            }
            catch (AmazonClientException e)
            {
                throw new AwsSessionException(ErrorIds.NoCredentials,
                    "No AWS credentials found. Pass -AccessKey/-SecretKey, -ProfileName or -Credential, run Set-AWSCredential, "
                    + "or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE.", false, e);
            }
        }

        private string DescribeDefaultChain(AWSCredentials credentials)
        {
            if (credentials is EnvironmentVariablesAWSCredentials) return "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
            var profileName = _environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
            return TryGetProfile(new CredentialProfileStoreChain(), profileName, out _)
                ? $"profile '{profileName}' (SDK default chain, {credentials.GetType().Name})"
                : $"SDK default chain ({credentials.GetType().Name})";
        }

        private static (AWSCredentials, CredentialProfile) FromProfile(string name, string? location)
        {
            var chain = new CredentialProfileStoreChain(location);
            if (!TryGetProfile(chain, name, out var profile))
                throw new AwsSessionException(ErrorIds.ProfileNotFound,
                    $"The AWS profile '{name}' was not found in {ProfileFilesIn(location)}." + KnownProfiles(chain), true);
            CheckWebIdentityTokenFile(profile.Options.WebIdentityTokenFile, $"profile '{name}'");
            if (!chain.TryGetAWSCredentials(name, out var credentials))
                throw new AwsSessionException(ErrorIds.ProfileHasNoCredentials, $"The AWS profile '{name}' holds no usable credentials.", true);
            return (credentials, profile);
        }

        /// <summary>
        /// TryGetProfile, with the SDK's failure on a profile region that is not a host name component (region = ../../etc:
        /// "The specified '../../etc' region is not a valid hostname component.") turned into InvalidRegion naming the profile.
        /// </summary>
        private static bool TryGetProfile(CredentialProfileStoreChain chain, string name, out CredentialProfile profile)
        {
            try
            {
                return chain.TryGetProfile(name, out profile);
            }
            catch (AmazonClientException e) when (e.Message.IndexOf("region", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                var region = Regex.Match(e.Message, "'([^']*)'");
                throw new AwsSessionException(ErrorIds.InvalidRegion,
                    $"{(region.Success ? "'" + region.Groups[1].Value + "'" : "The region")} from the region of profile '{name}' is not an AWS region name (like eu-west-1): fix the profile's region line.", true, e);
            }
        }

        private static string ProfileFilesIn(string? location) => location ?? "the SDK credential store or ~/.aws/credentials and ~/.aws/config";

        /// <summary>" Profiles there: a, b, c." (the first 20), so a misspelt name is easy to see.</summary>
        private static string KnownProfiles(CredentialProfileStoreChain chain)
        {
            List<string> names;
            try
            {
                names = chain.ListProfiles().Select(x => x.Name).Distinct(StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal).ToList();
            }
            catch (AmazonClientException)
            {
                return ""; // a profile with a bad region line: the list is only a hint
            }
            return names.Count == 0 ? " There are no profiles there." : " Profiles there: " + string.Join(", ", names.Take(20)) + (names.Count > 20 ? ", …" : "") + ".";
        }

        private (RegionEndpoint, string) ResolveRegion(AwsCommonParameters p, CredentialProfile? chosenProfile, bool customEndpoint)
        {
            if (!string.IsNullOrEmpty(p.Region)) return (RegionEndpoint.GetBySystemName(p.Region), "parameter -Region");

            var stored = Unwrap(_environment.GetSessionVariable("StoredAWSRegion"), "$StoredAWSRegion");
            var storedName = stored as string ?? (stored as RegionEndpoint)?.SystemName;
            if (!string.IsNullOrEmpty(storedName))
                return (RegionEndpoint.GetBySystemName(ValidateRegion(storedName!, "$StoredAWSRegion")), "$StoredAWSRegion");

            if (chosenProfile?.Region != null)
                return (RegionEndpoint.GetBySystemName(ValidateRegion(chosenProfile.Region.SystemName, $"the region of profile '{chosenProfile.Name}'")), $"profile '{chosenProfile.Name}'");

            foreach (var variable in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            {
                var value = _environment.GetEnvironmentVariable(variable);
                if (!string.IsNullOrEmpty(value))
                    return (RegionEndpoint.GetBySystemName(ValidateRegion(value!, variable)), "environment variable " + variable);
            }

            var defaultName = _environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
            if (TryGetProfile(new CredentialProfileStoreChain(p.ProfileLocation), defaultName, out var defaultProfile) && defaultProfile.Region != null)
                return (RegionEndpoint.GetBySystemName(ValidateRegion(defaultProfile.Region.SystemName, $"the region of profile '{defaultName}'")), $"profile '{defaultName}'");

            // A local emulator needs some signing region; AWS itself always gets an explicit one.
            if (customEndpoint) return (RegionEndpoint.USEast1, "default for -EndpointUrl");

            throw new AwsSessionException(ErrorIds.NoRegion,
                "No AWS region. Pass -Region, run Set-DefaultAWSRegion, set AWS_REGION, or add a region to your profile.", false);
        }

        /// <summary>
        /// The regions AWSSDK.Core knows (RegionEndpoint.EnumerableAllRegions, read from its partition metadata): a name
        /// that fits the pattern but is not among them (eu-west-9) would only fail later, at DNS, after the retries.
        /// </summary>
        private static readonly Lazy<HashSet<string>> KnownRegions = new Lazy<HashSet<string>>(
            () => new HashSet<string>(RegionEndpoint.EnumerableAllRegions.Select(r => r.SystemName).Where(n => RegionPattern.IsMatch(n)), StringComparer.Ordinal));

        /// <summary>Every valid region the lower-ranked sources name, other than the chosen one (never an error: only hints).</summary>
        private IReadOnlyList<string> OtherRegions(AwsCommonParameters p, CredentialProfile? chosenProfile, string chosen)
        {
            var names = new List<string?>();
            try
            {
                var stored = Unwrap(_environment.GetSessionVariable("StoredAWSRegion"), "$StoredAWSRegion");
                names.Add(stored as string ?? (stored as RegionEndpoint)?.SystemName);
            }
            catch (Exception)
            {
                // Only a hint: a variable that cannot be read here (a tab completer runs while its runspace is busy, and
                // SessionStateProxy refuses) or that refers to itself names no region.
            }
            names.Add(chosenProfile?.Region?.SystemName);
            names.Add(_environment.GetEnvironmentVariable("AWS_REGION"));
            names.Add(_environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
            var defaultName = _environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
            try
            {
                if (new CredentialProfileStoreChain(p.ProfileLocation).TryGetProfile(defaultName, out var defaultProfile)) names.Add(defaultProfile.Region?.SystemName);
            }
            catch (AmazonClientException)
            {
                // A bad region in the default profile is no hint; it is an error only where that profile is used.
            }
            return names.Where(n => !string.IsNullOrEmpty(n) && n != chosen && RegionPattern.IsMatch(n!) && KnownRegions.Value.Contains(n!))
                .Select(n => n!).Distinct(StringComparer.Ordinal).ToList();
        }

        private static string ValidateRegion(string region, string source)
        {
            if (!RegionPattern.IsMatch(region))
                throw new AwsSessionException(ErrorIds.InvalidRegion, $"'{region}' from {source} is not an AWS region name (like eu-west-1).", true);
            if (!KnownRegions.Value.Contains(region))
            {
                var prefix = region.Substring(0, region.LastIndexOf('-') + 1);
                var near = KnownRegions.Value.Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(r => r, StringComparer.Ordinal).ToList();
                if (near.Count == 0) near = KnownRegions.Value.OrderBy(r => r, StringComparer.Ordinal).ToList();
                var core = typeof(RegionEndpoint).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyFileVersionAttribute), false)
                    .OfType<System.Reflection.AssemblyFileVersionAttribute>().FirstOrDefault()?.Version ?? "?";
                throw new AwsSessionException(ErrorIds.UnknownRegion,
                    $"'{region}' from {source} is not an AWS region (AWSSDK.Core {core} knows: {string.Join(", ", near)}). "
                    + "Check the spelling; a region AWS opened after this SDK needs a newer OcdsAws.", true);
            }
            return region;
        }

        private static Uri? ParseEndpoint(string? value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new AwsSessionException(ErrorIds.InvalidEndpointUrl, $"-EndpointUrl '{HideUserInfo(value!)}' is not an absolute http or https URL.", true);
            // AWS requests are signed with the keys; a user name and password in the URL would go nowhere useful (and into logs).
            if (uri.UserInfo.Length > 0)
                throw new AwsSessionException(ErrorIds.InvalidEndpointUrl,
                    $"-EndpointUrl '{HideUserInfo(value!)}' holds a user name or password; requests are signed with your AWS keys, so remove the 'user:password@' part.", true);
            return uri;
        }

        /// <summary>"http://bob:***@host" for "http://bob:secret@host": the password never reaches a message.</summary>
        private static string HideUserInfo(string url) => Regex.Replace(url, @"(?<=//)([^/@:]*)(:[^/@]*)?@", m => m.Groups[1].Value + (m.Groups[2].Success ? ":***" : "") + "@");

        private static string Describe(AWSCredentials credentials)
            => credentials is ForeignCredentials foreign ? foreign.InnerTypeName + " from another AWSSDK.Core" : credentials.GetType().Name;

        /// <summary>
        /// AWS.Tools keeps its stored values in wrapper objects (AWSPSCredentials has .Credentials,
        /// the region is a string); PowerShell may hand them over wrapped in a PSObject.
        /// </summary>
        private static object? Unwrap(object? value, string source, int depth = 0)
        {
            if (value is System.Management.Automation.PSObject ps) value = ps.BaseObject;
            if (value == null || value is string || value is RegionEndpoint || ForeignCredentials.TryAdapt(value) != null) return value;
            if (value.GetType().FullName == "Amazon.RegionEndpoint") return value.GetType().GetProperty("SystemName")?.GetValue(value);
            if (depth >= MaxWrapperDepth)
                throw new AwsSessionException(ErrorIds.SelfReferencingValue,
                    $"{source} is a {value.GetType().Name} whose Credentials or Region property leads back to itself (more than {MaxWrapperDepth} levels). "
                    + (source == "$StoredAWSRegion" ? "Run Set-DefaultAWSRegion again or pass -Region." : "Run Set-AWSCredential again, or pass -ProfileName or -Credential with an AWSCredentials object."), true);
            var property = value.GetType().GetProperty("Credentials") ?? value.GetType().GetProperty("Region");
            return Unwrap(property?.GetValue(value), source, depth + 1);
        }
    }
}
