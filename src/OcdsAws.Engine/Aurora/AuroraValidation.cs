using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace OcdsAws.Aurora
{
    /// <summary>An IPv4 CIDR block, parsed strictly so bad input fails before any AWS call.</summary>
    internal readonly struct Ipv4Cidr
    {
        private Ipv4Cidr(uint network, int prefix)
        {
            Network = network;
            Prefix = prefix;
        }

        public uint Network { get; }

        public int Prefix { get; }

        private uint Mask => Prefix == 0 ? 0u : uint.MaxValue << (32 - Prefix);

        private uint Last => Network | ~Mask;

        /// <summary>Parses a.b.c.d/n; the address must be the block's first address (AWS rejects host bits).</summary>
        public static Ipv4Cidr Parse(string? text, string parameter)
        {
            var parts = (text ?? "").Split('/');
            var octets = parts[0].Split('.');
            if (parts.Length != 2 || octets.Length != 4
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32
                || octets.Any(o => o.Length == 0 || o.Length > 3 || !byte.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new ValidationException(ErrorIds.InvalidCidrBlock, $"{parameter} '{text}' is not an IPv4 CIDR block such as 10.0.0.0/16.");
            var address = octets.Aggregate(0u, (a, o) => (a << 8) | byte.Parse(o, CultureInfo.InvariantCulture));
            var cidr = new Ipv4Cidr(address, prefix);
            if ((address & cidr.Mask) != address)
                throw new ValidationException(ErrorIds.InvalidCidrBlock, $"{parameter} '{text}' has host bits set: the block starts at {new Ipv4Cidr(address & cidr.Mask, prefix)}.");
            return cidr;
        }

        public bool Contains(Ipv4Cidr other) => other.Prefix >= Prefix && (other.Network & Mask) == Network;

        public bool Overlaps(Ipv4Cidr other) => Network <= other.Last && other.Network <= Last;

        public override string ToString()
            => $"{Network >> 24}.{(Network >> 16) & 255}.{(Network >> 8) & 255}.{Network & 255}/{Prefix}";
    }

    /// <summary>The rules AWS applies to Aurora input, checked before any call so mistakes cost nothing.</summary>
    internal static class AuroraValidation
    {
        private static readonly Regex Identifier = new Regex("^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*\\z", RegexOptions.CultureInvariant);
        private static readonly Regex PostgresName = new Regex("^[A-Za-z_][A-Za-z0-9_]*\\z", RegexOptions.CultureInvariant);

        /// <summary>PostgreSQL reserved words RDS refuses as database or master user names.</summary>
        private static readonly HashSet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "select", "table",
            "user", "where", "from", "group", "order", "create", "default", "null", "true", "false",
        };

        /// <summary>Databases every Aurora PostgreSQL cluster already has (or RDS keeps for itself).</summary>
        private static readonly HashSet<string> SystemDatabases = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "postgres", "template0", "template1", "rdsadmin" };

        /// <summary>Cluster and instance identifiers: 1–63 letters, digits or hyphens, a letter first, no double or trailing hyphen.</summary>
        public static string ClusterIdentifier(string? value, string parameter = "-DBClusterIdentifier", int maxLength = 63)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > maxLength || !Identifier.IsMatch(value) || value.EndsWith("-", StringComparison.Ordinal))
                throw new ValidationException(ErrorIds.InvalidDBClusterIdentifier,
                    $"{parameter} '{value}' is not valid: use 1 to {maxLength} letters, digits or hyphens, starting with a letter, with no two hyphens in a row and no hyphen at the end.");
            return value.ToLowerInvariant(); // RDS stores identifiers in lower case
        }

        /// <summary>Aurora PostgreSQL database names: 1–63 letters, digits or underscores, a letter or underscore first, not a reserved word.</summary>
        public static string DatabaseName(string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 63 || !PostgresName.IsMatch(value) || Reserved.Contains(value) || SystemDatabases.Contains(value))
                throw new ValidationException(ErrorIds.InvalidDatabaseName,
                    $"-DatabaseName '{value}' is not valid: use 1 to 63 letters, digits or underscores, starting with a letter or underscore, and not a reserved word such as postgres or template1.");
            return value;
        }

        /// <summary>Master user names: 1–16 letters, digits or underscores, a letter first, not a reserved word.</summary>
        public static string MasterUsername(string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 16 || !PostgresName.IsMatch(value) || value[0] == '_' || Reserved.Contains(value) || value.StartsWith("rds", StringComparison.OrdinalIgnoreCase))
                throw new ValidationException(ErrorIds.InvalidMasterUsername,
                    $"-MasterUsername '{value}' is not valid: use 1 to 16 letters, digits or underscores, starting with a letter, not a reserved word and not starting with rds.");
            return value;
        }

        /// <summary>Serverless v2 capacity: 0 to 256 ACUs in 0.5 steps, Max at least Min and at least 1 (AWS's floor for the maximum).</summary>
        public static void Capacity(double min, double max)
        {
            static bool Step(double v) => Math.Abs(v * 2 - Math.Round(v * 2)) < 1e-9;
            if (double.IsNaN(min) || min < 0 || min > 256 || !Step(min))
                throw new ValidationException(ErrorIds.InvalidCapacity, $"-MinCapacity {min.ToString(CultureInfo.InvariantCulture)} is not valid: use 0 to 256 Aurora capacity units in steps of 0.5 (0 lets the cluster pause).");
            if (double.IsNaN(max) || max < 1 || max > 256 || !Step(max))
                throw new ValidationException(ErrorIds.InvalidCapacity, $"-MaxCapacity {max.ToString(CultureInfo.InvariantCulture)} is not valid: use 1 to 256 Aurora capacity units in steps of 0.5.");
            if (max < min)
                throw new ValidationException(ErrorIds.InvalidCapacity, $"-MaxCapacity {max.ToString(CultureInfo.InvariantCulture)} is below -MinCapacity {min.ToString(CultureInfo.InvariantCulture)}.");
        }

        /// <summary>Auto-pause: 5 minutes to 24 hours in whole seconds (AWS's SecondsUntilAutoPause 300–86400).</summary>
        public static int AutoPause(TimeSpan value)
        {
            if (value < TimeSpan.FromMinutes(5) || value > TimeSpan.FromHours(24) || value.Ticks % TimeSpan.TicksPerSecond != 0)
                throw new ValidationException(ErrorIds.InvalidAutoPause, $"-AutoPauseAfter {value} is not valid: use whole seconds from 00:05:00 to 1.00:00:00 (24 hours).");
            return (int)value.TotalSeconds;
        }

        /// <summary>Backups are kept 1 to 35 days.</summary>
        public static void BackupRetention(int days)
        {
            if (days < 1 || days > 35)
                throw new ValidationException(ErrorIds.InvalidBackupRetentionPeriod, $"-BackupRetentionPeriod {days} is not valid: Aurora keeps backups 1 to 35 days.");
        }

        /// <summary>
        /// The VPC block and the database subnets: valid CIDRs, the VPC /16 to /28, at least two subnets,
        /// each inside the VPC, none overlapping; zones (when given) one per subnet and distinct.
        /// </summary>
        public static (Ipv4Cidr Vpc, IReadOnlyList<Ipv4Cidr> Subnets) Network(string cidrBlock, IReadOnlyList<string> subnetCidrs, IReadOnlyList<string>? zones)
        {
            var vpc = Ipv4Cidr.Parse(cidrBlock, "-CidrBlock");
            if (vpc.Prefix < 16 || vpc.Prefix > 28)
                throw new ValidationException(ErrorIds.InvalidCidrBlock, $"-CidrBlock {vpc} is not valid for a VPC: use a block from /16 to /28.");
            var subnets = subnetCidrs.Select(s => Ipv4Cidr.Parse(s, "-SubnetCidrBlock")).ToList();
            if (subnets.Count < 2)
                throw new ValidationException(ErrorIds.TooFewSubnets, "-SubnetCidrBlock needs at least two blocks: Aurora requires subnets in two availability zones.");
            foreach (var subnet in subnets)
            {
                if (!vpc.Contains(subnet) || subnet.Prefix > 28)
                    throw new ValidationException(ErrorIds.SubnetOutsideVpc, $"-SubnetCidrBlock {subnet} is not a /16 to /28 block inside the VPC's {vpc}.");
            }
            for (var i = 0; i < subnets.Count; i++)
                for (var j = i + 1; j < subnets.Count; j++)
                    if (subnets[i].Overlaps(subnets[j]))
                        throw new ValidationException(ErrorIds.OverlappingSubnets, $"-SubnetCidrBlock {subnets[i]} and {subnets[j]} overlap.");
            if (zones != null && zones.Count > 0)
            {
                if (zones.Count != subnets.Count)
                    throw new ValidationException(ErrorIds.ZoneCountMismatch, $"-AvailabilityZone gives {zones.Count} zone(s) for {subnets.Count} subnets: give one zone per subnet.");
                if (zones.Distinct(StringComparer.OrdinalIgnoreCase).Count() < 2)
                    throw new ValidationException(ErrorIds.TooFewZones, "-AvailabilityZone needs at least two distinct zones: Aurora requires subnets in two availability zones.");
            }
            return (vpc, subnets);
        }

        /// <summary>
        /// Cluster tags: keys of 1 to 128 and values of up to 256 Unicode letters, digits, spaces and _ . : / = + - @, neither starting
        /// with aws: or rds: (botocore rds model, Tag.Key and Tag.Value); the module's own ocdsaws:aurora-cluster tag is set by the module.
        /// </summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Tags(System.Collections.IDictionary? tags)
        {
            var result = InputRules.Tags(tags, "rds:");
            foreach (var tag in result)
                if (tag.Key == AuroraClusterService.ClusterTag)
                    throw new ValidationException(ErrorIds.InvalidTag, $"-Tag key '{tag.Key}' is the module's own mark of the clusters it made: choose another key.");
            return result;
        }

        /// <summary>Resource names (VPC Name tag, security group): letters, digits, hyphens, underscores, dots; 1–63; a letter first.</summary>
        /// <summary>
        /// Which cluster Invoke-AuroraSql talks to: -DBClusterIdentifier, or both ARNs. An ARN must be the kind the Data API
        /// takes (ExecuteStatement: resourceArn an Aurora DB cluster, secretArn a Secrets Manager secret; botocore
        /// rds-data model) and in the session's partition and region, where the call goes; anything else is refused here
        /// instead of reaching AWS.
        /// </summary>
        public static bool SqlTarget(string? clusterId, string? resourceArn, string? secretArn, string sessionRegion)
        {
            if (!string.IsNullOrEmpty(clusterId)) ClusterIdentifier(clusterId);
            else if (string.IsNullOrEmpty(resourceArn) || string.IsNullOrEmpty(secretArn))
                throw new ValidationException(ErrorIds.ClusterRequired, "Give -DBClusterIdentifier (or pipe New-AuroraServerlessCluster), or both -ResourceArn and -SecretArn.");
            if (!string.IsNullOrEmpty(resourceArn)) Arn(resourceArn!, "-ResourceArn", ClusterArn, "an Aurora cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>)", sessionRegion);
            if (!string.IsNullOrEmpty(secretArn)) Arn(secretArn!, "-SecretArn", SecretArn, "a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)", sessionRegion);
            return true;
        }

        // ARN formats: "Amazon Resource Names (ARNs)" in the IAM user guide (arn:partition:service:region:account-id:resource);
        // RDS clusters are cluster:<id>, Secrets Manager secrets secret:<name>-<6 random characters>. Names take letters, digits
        // and /_+=.@- ; the '!' is for RDS-managed secrets, named rds!cluster-<id> (seen in moto's and AWS's examples; not
        // confirmed here from the Secrets Manager reference).
        private static readonly Regex ClusterArn = new Regex(@"^arn:(?<partition>aws[a-z-]*):rds:(?<region>[a-z0-9-]+):(?<account>\d{12}):cluster:[a-z][a-z0-9-]{0,62}\z", RegexOptions.CultureInvariant);
        private static readonly Regex SecretArn = new Regex(@"^arn:(?<partition>aws[a-z-]*):secretsmanager:(?<region>[a-z0-9-]+):(?<account>\d{12}):secret:[A-Za-z0-9/_+=.@!-]{1,512}\z", RegexOptions.CultureInvariant);

        private static void Arn(string value, string parameter, Regex pattern, string what, string sessionRegion)
        {
            var match = pattern.Match(value);
            var id = parameter == "-ResourceArn" ? ErrorIds.InvalidResourceArn : ErrorIds.InvalidSecretArn;
            if (!match.Success)
                throw new ValidationException(id, $"{parameter} '{value}' is not {what}.");
            var region = match.Groups["region"].Value;
            var partition = OcdsAws.Smtp.SmtpPassword.PartitionOf(sessionRegion);
            if (match.Groups["partition"].Value != partition || region != sessionRegion)
                throw new ValidationException(id, $"{parameter} '{value}' is in {match.Groups["partition"].Value}/{region}, but the Data API call goes to {sessionRegion} ({partition}): "
                    + $"give -Region {region}, or the ARN of a {(parameter == "-ResourceArn" ? "cluster" : "secret")} in {sessionRegion}.");
        }

        /// <summary>
        /// -Parameter of Invoke-AuroraSql: each key a :name the statement can use, each value one the Data API can type
        /// (the same conversion the call uses refuses the others, before any call).
        /// </summary>
        public static List<KeyValuePair<string, object?>> SqlParameters(System.Collections.IDictionary parameters)
        {
            var result = new List<KeyValuePair<string, object?>>();
            foreach (System.Collections.DictionaryEntry entry in parameters)
            {
                var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                if (!Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*\\z"))
                    throw new ValidationException(ErrorIds.InvalidParameterName, $"-Parameter key '{name}' is not a valid :name.");
                var value = entry.Value is System.Management.Automation.PSObject pso ? pso.BaseObject : entry.Value;
                OcdsAws.Aws.Services.SqlParameters.ToJson(name, value);
                result.Add(new KeyValuePair<string, object?>(name, value));
            }
            return result;
        }

        public static string Name(string? value, string parameter)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 63 || !Regex.IsMatch(value, "^[A-Za-z][A-Za-z0-9._-]*\\z", RegexOptions.CultureInvariant))
                throw new ValidationException(ErrorIds.InvalidName, $"{parameter} '{value}' is not valid: use 1 to 63 letters, digits, dots, hyphens or underscores, starting with a letter.");
            return value;
        }
    }
}
