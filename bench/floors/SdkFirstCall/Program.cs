// dotnet SdkFirstCall.dll ENDPOINT REGION: one GetCallerIdentity with the keys in AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY; prints "FIRST <ms> CLIENT <ms> CALL <ms>" timed from Main, so the runtime's own start
// is left out the way the in-pwsh first-cmdlet row leaves pwsh's start out.
using System;
using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: SdkFirstCall ENDPOINT REGION");
    return 2;
}
var clock = Stopwatch.StartNew();
var credentials = new BasicAWSCredentials(
    Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
using var client = new AmazonSecurityTokenServiceClient(credentials,
    new AmazonSecurityTokenServiceConfig { ServiceURL = args[0], AuthenticationRegion = args[1] });
var created = clock.Elapsed.TotalMilliseconds;
await client.GetCallerIdentityAsync(new GetCallerIdentityRequest()).ConfigureAwait(false);
var total = clock.Elapsed.TotalMilliseconds;
Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "FIRST {0:0.0} CLIENT {1:0.0} CALL {2:0.0}", total, created, total - created));
return 0;
