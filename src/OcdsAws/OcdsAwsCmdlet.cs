using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using OcdsAws.Aws;

namespace OcdsAws
{
    /// <summary>
    /// Base of every OcdsAws cmdlet that talks to AWS: the AWS.Tools-compatible common parameters and
    /// their resolution into one session of clients.
    /// </summary>
    public abstract class OcdsAwsCmdlet : OcdsCmdlet
    {
        // One cache of caller identities per PowerShell session: a runbook script asks STS who it is once.
        private static readonly ConditionalWeakTable<Runspace, CallerIdentityCache> CallerIdentities = new ConditionalWeakTable<Runspace, CallerIdentityCache>();

        private AwsClientFactory? _clients;

        /// <summary>The AWS region, e.g. eu-west-1. Default: $StoredAWSRegion, the profile's region, AWS_REGION.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string? Region { get; set; }

        /// <summary>The name of a profile in the SDK store or ~/.aws files.</summary>
        [Parameter]
        [Alias("StoredCredentials", "AWSProfileName")]
        [ArgumentCompleter(typeof(ProfileCompleter))]
        public string? ProfileName { get; set; }

        /// <summary>A shared credentials file to read profiles from instead of the default locations.</summary>
        [Parameter]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        public string? ProfileLocation { get; set; }

        /// <summary>An access key id, used with -SecretKey.</summary>
        [Parameter]
        [Alias("AK")]
        public string? AccessKey { get; set; }

        /// <summary>The secret access key of -AccessKey. Never written to any stream.</summary>
        [Parameter]
        [Alias("SK", "SecretAccessKey")]
        public string? SecretKey { get; set; }

        /// <summary>The session token of temporary credentials.</summary>
        [Parameter]
        [Alias("ST")]
        public string? SessionToken { get; set; }

        /// <summary>
        /// Credentials as an Amazon.Runtime.AWSCredentials object, such as AWS.Tools' Get-AWSCredential returns.
        /// Typed loosely because AWS.Tools' AWSSDK.Core and ours may be different copies of the same type.
        /// </summary>
        [Parameter]
        [PSTypeName("Amazon.Runtime.AWSCredentials")]
        public object? Credential { get; set; }

        /// <summary>Sends every call to this endpoint (a local emulator, a VPC endpoint) instead of AWS's.</summary>
        [Parameter]
        public string? EndpointUrl { get; set; }

        /// <summary>The clients of this invocation's session, resolved on first use (no AWS call happens here).</summary>
        internal AwsClientFactory Clients => _clients ??= CreateClients();

        private AwsClientFactory CreateClients()
        {
            Messages.AddSecret(SecretKey);
            Messages.AddSecret(SessionToken);
            AwsSession session;
            try
            {
                session = new AwsSessionResolver(new PowerShellEnvironment(SessionState)).Resolve(new AwsCommonParameters
                {
                    Region = Region,
                    ProfileName = ProfileName,
                    ProfileLocation = ProfileLocation,
                    AccessKey = AccessKey,
                    SecretKey = SecretKey,
                    SessionToken = SessionToken,
                    Credential = Credential,
                    EndpointUrl = EndpointUrl,
                });
            }
            catch (AwsSessionException e)
            {
                Fail(e);
                throw; // not reached: Fail throws
            }
            Messages.Debug(Messages.Scrub($"OcdsAws: credentials from {session.CredentialSource}; region {session.Region.SystemName} from {session.RegionSource}"
                + (session.EndpointUrl == null ? "" : $"; endpoint override {session.EndpointUrl}")));
            return new AwsClientFactory(session, record => Messages.Verbose(record.ToString()), CallerIdentities.GetValue(Runspace.DefaultRunspace, _ => new CallerIdentityCache()));
        }

        /// <summary>
        /// A "not found" from AWS or from a service's lookup says which region was searched: the usual cause is a resource
        /// made in another region (the session's default differs from the one used then).
        /// </summary>
        internal override ErrorRecord AddContext(ErrorRecord record, Exception exception)
        {
            if (record.CategoryInfo.Category != ErrorCategory.ObjectNotFound || exception is ValidationException || _clients == null) return record;
            var region = AwsErrors.RegionOf(exception) ?? _clients.Session.Region.SystemName;
            var message = record.ErrorDetails?.Message ?? exception.Message;
            if (message.IndexOf(region, StringComparison.Ordinal) >= 0) return record;
            var foundIn = exception.Data.Contains(Ses.SesIdentities.FoundInKey) ? exception.Data[Ses.SesIdentities.FoundInKey] as string : null;
            record.ErrorDetails = new ErrorDetails(message.TrimEnd() + (foundIn != null
                ? $" (looked in region {region}; it exists in: {foundIn}: pass -Region {foundIn.Split(',')[0]}.)"
                : $" (looked in region {region}; if it was made in another region, pass that -Region.)"));
            return record;
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing) _clients?.Dispose();
        }

        private sealed class PowerShellEnvironment : IAwsEnvironment
        {
            private readonly SessionState _state;

            public PowerShellEnvironment(SessionState state) => _state = state;

            public object? GetSessionVariable(string name) => _state.PSVariable.GetValue(name);

            public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);
        }
    }
}
