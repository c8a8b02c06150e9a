using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace OcdsAws.Aws
{
    /// <summary>AWS partitions (aws, aws-cn, aws-us-gov, aws-iso…) of region names.</summary>
    internal static class AwsPartitions
    {
        /// <summary>
        /// The partition of a region from AWSSDK.Core's partition table, the one the endpoint rules use (<see cref="Fn.Partition"/>,
        /// botocore's partitions.json); a region name no partition claims falls to "aws", as in that table's own rule.
        /// </summary>
        public static string Of(string region) => Fn.Partition(region)?.name ?? "aws";
    }
}
