using System;
using System.Threading;
using System.Threading.Tasks;
using OcdsAws.Aws;

namespace OcdsAws.Tests.Aws
{
    /// <summary>
    /// One hand-written operation: the parameters as botocore takes them, how our client is called
    /// with the same values, a realistic response, and what our client must read from it.
    /// </summary>
    public sealed class WireCase
    {
        public string Service { get; init; } = "";             // botocore service name (sesv2, ses, sns, iam, rds, rds-data)
        public string Operation { get; init; } = "";           // botocore operation name
        public string SigningName { get; init; } = "";
        public string Params { get; init; } = "{}";            // JSON, as botocore takes it
        internal Func<AwsClientFactory, CancellationToken, Task<object?>> Invoke { get; init; } = (_, _) => Task.FromResult<object?>(null);
        public string Response { get; init; } = "";
        public int Status { get; init; } = 200;
        public string ContentType { get; init; } = "text/xml";
        public Action<object?> Check { get; init; } = _ => { };

        public override string ToString() => $"{Service}.{Operation}";
    }
}
