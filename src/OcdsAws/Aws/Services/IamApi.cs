using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace OcdsAws.Aws.Services
{
    /// <summary>An IAM user.</summary>
    internal sealed class IamUser
    {
        public string UserName { get; set; } = "";
        public string UserId { get; set; } = "";
        public string Arn { get; set; } = "";

        public static IamUser From(XElement? user) => new IamUser
        {
            UserName = user?.Text("UserName") ?? "",
            UserId = user?.Text("UserId") ?? "",
            Arn = user?.Text("Arn") ?? "",
        };
    }

    /// <summary>IAM (Query, global endpoint).</summary>
    internal sealed class IamApi
    {
        private readonly AwsServiceClient _client;

        public IamApi(AwsServiceClient client) => _client = client;

        /// <summary>The named user, or the caller when <paramref name="userName"/> is null.</summary>
        public async Task<IamUser> GetUserAsync(string? userName, CancellationToken ct)
            => IamUser.From((await _client.QueryAsync("GetUser", new QueryParameters().Add("UserName", userName), ct).ConfigureAwait(false)).Element("User"));
    }
}
