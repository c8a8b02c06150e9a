namespace OcdsAws.Aws
{
    /// <summary>The wire protocol of a service that has no SDK package here.</summary>
    internal enum AwsProtocol
    {
        /// <summary>AWS Query: form-encoded POST with Action/Version, XML responses.</summary>
        Query,

        /// <summary>REST-JSON: HTTP method + path resources, JSON bodies.</summary>
        RestJson,
    }

    /// <summary>
    /// What the generic protocol layer needs to know about one AWS service: the facts the SDK's
    /// generated config, metadata and endpoint rules would otherwise carry.
    /// </summary>
    internal sealed class AwsService
    {
        private AwsService(string serviceId, string signingName, string endpointPrefix, string apiVersion,
            AwsProtocol protocol, string? xmlNamespace = null)
        {
            ServiceId = serviceId;
            SigningName = signingName;
            EndpointPrefix = endpointPrefix;
            ApiVersion = apiVersion;
            Protocol = protocol;
            XmlNamespace = xmlNamespace;
        }

        /// <summary>SES API v2 (identities, DKIM, MAIL FROM, account, sending).</summary>
        public static readonly AwsService SesV2 = new AwsService("SESv2", "ses", "email", "2019-09-27", AwsProtocol.RestJson);

        /// <summary>SES classic: receipt rules and identity notifications exist only here.</summary>
        public static readonly AwsService Ses = new AwsService("SES", "ses", "email", "2010-12-01", AwsProtocol.Query,
            "http://ses.amazonaws.com/doc/2010-12-01/");

        /// <summary>Simple Notification Service.</summary>
        public static readonly AwsService Sns = new AwsService("SNS", "sns", "sns", "2010-03-31", AwsProtocol.Query,
            "http://sns.amazonaws.com/doc/2010-03-31/");

        /// <summary>IAM: one global endpoint per partition, signed for the partition's home region.</summary>
        public static readonly AwsService Iam = new AwsService("IAM", "iam", "iam", "2010-05-08", AwsProtocol.Query,
            "https://iam.amazonaws.com/doc/2010-05-08/") { IsGlobal = true };

        /// <summary>Relational Database Service.</summary>
        public static readonly AwsService Rds = new AwsService("RDS", "rds", "rds", "2014-10-31", AwsProtocol.Query,
            "http://rds.amazonaws.com/doc/2014-10-31/");

        /// <summary>RDS Data API.</summary>
        public static readonly AwsService RdsData = new AwsService("RDS Data", "rds-data", "rds-data", "2018-08-01", AwsProtocol.RestJson);

        /// <summary>Every service of the protocol layer, for diagnostics.</summary>
        public static readonly AwsService[] All = { SesV2, Ses, Sns, Iam, Rds, RdsData };

        /// <summary>The SDK's service id: it names the <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c> variable and the config-file section.</summary>
        public string ServiceId { get; }

        /// <summary>SigV4 service name.</summary>
        public string SigningName { get; }

        /// <summary>First DNS label of the endpoint host.</summary>
        public string EndpointPrefix { get; }

        /// <summary>API version (Query's Version parameter).</summary>
        public string ApiVersion { get; }

        /// <summary>Wire protocol.</summary>
        public AwsProtocol Protocol { get; }

        /// <summary>XML namespace of Query responses (documentation only: responses are read namespace-blind).</summary>
        public string? XmlNamespace { get; }

        /// <summary>True when the service has one endpoint per partition rather than per region.</summary>
        public bool IsGlobal { get; private set; }

        /// <summary>The environment variable that overrides this service's endpoint, as the SDK names it.</summary>
        public string EndpointEnvironmentVariable => "AWS_ENDPOINT_URL_" + ServiceId.Replace(' ', '_').ToUpperInvariant();

        /// <inheritdoc />
        public override string ToString() => ServiceId;
    }
}
