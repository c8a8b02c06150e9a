using System;
using System.Collections.Generic;
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

        // The session of the call's own parameters, and one per other region that piped objects came from.
        private readonly Dictionary<string, AwsClientFactory> _byRegion = new Dictionary<string, AwsClientFactory>(StringComparer.OrdinalIgnoreCase);
        private AwsClientFactory? _session;
        private AwsClientFactory? _item;

        /// <summary>
        /// The AWS region, e.g. eu-west-1. Default: the Region of the piped object, else $StoredAWSRegion, the
        /// profile's region, AWS_REGION. A piped object from another region than -Region is an error.
        /// </summary>
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

        /// <summary>
        /// The piped object itself, so that its Region can be honoured (the object's region wins over the session's
        /// default) and checked against an explicit -Region. Not for direct use.
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? PipelineObject { get; set; }

        /// <summary>
        /// The clients of the current item's region: the piped object's, else the session's. Resolved on the pipeline
        /// thread (no AWS call happens here); create services with them in ProcessItem.
        /// </summary>
        internal AwsClientFactory Clients => _item ??= _session ??= Resolve(Region);

        /// <summary>False where the cmdlet can work without an AWS session (it is then resolved only if used).</summary>
        private protected virtual bool NeedsSession => true;

        /// <inheritdoc />
        private protected override void PrepareSession()
        {
            Messages.AddSecret(SecretKey);
            Messages.AddSecret(SessionToken);
            if (NeedsSession) _session = Resolve(Region);
        }

        /// <inheritdoc />
        private protected override bool PrepareItem()
        {
            _item = null;
            var piped = PipedRegion();
            if (piped == null || Region != null && string.Equals(piped, Region, StringComparison.OrdinalIgnoreCase)) return true;
            if (Region != null)
            {
                WriteFailure(new ValidationException(ErrorIds.RegionConflict,
                    $"The piped object is from region {piped} but -Region is {Region}: leave out -Region to act in {piped}, or pipe objects from {Region}."), PipelineObject);
                return false;
            }
            if (_session != null && string.Equals(piped, _session.Session.Region.SystemName, StringComparison.OrdinalIgnoreCase)) return true;
            if (!_byRegion.TryGetValue(piped, out var clients))
            {
                try
                {
                    clients = _byRegion[piped] = CreateClients(piped);
                }
                catch (AwsSessionException e)
                {
                    WriteFailure(e, PipelineObject);
                    return false;
                }
            }
            _item = clients;
            return true;
        }

        /// <summary>The Region property of the piped object (an OcdsAws output object, or any object with a Region string).</summary>
        private string? PipedRegion()
            => PipelineObject?.Properties["Region"]?.Value is string region && region.Trim().Length > 0 ? region.Trim() : null;

        private AwsClientFactory Resolve(string? region)
        {
            try
            {
                return CreateClients(region);
            }
            catch (AwsSessionException e)
            {
                Fail(e);
                throw; // not reached: Fail throws
            }
        }

        private AwsClientFactory CreateClients(string? region)
        {
            var session = new AwsSessionResolver(new PowerShellEnvironment(SessionState)).Resolve(new AwsCommonParameters
            {
                Region = region,
                ProfileName = ProfileName,
                ProfileLocation = ProfileLocation,
                AccessKey = AccessKey,
                SecretKey = SecretKey,
                SessionToken = SessionToken,
                Credential = Credential,
                EndpointUrl = EndpointUrl,
            });
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
            var clients = _item ?? _session;
            if (record.CategoryInfo.Category != ErrorCategory.ObjectNotFound || exception is ValidationException || clients == null) return record;
            var region = AwsErrors.RegionOf(exception) ?? clients.Session.Region.SystemName;
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
            if (!disposing) return;
            _session?.Dispose();
            foreach (var clients in _byRegion.Values) clients.Dispose();
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
