using System.Collections;
using System.Collections.Generic;
using OcdsAws.Tests.Dns;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>The variables hosted scripts use: <c>$aws</c> to splat (moto, test key, region) and <c>$dnsServer</c>.</summary>
    public static class ScriptVariables
    {
        /// <summary>
        /// <c>@aws</c> points at moto in <paramref name="region"/>; <c>$dnsServer</c> at <paramref name="dns"/>, or at a
        /// loopback port nobody answers when the test expects no DNS question.
        /// </summary>
        public static Dictionary<string, object?> For(string region, LoopbackDnsServer? dns = null, params (string Name, object? Value)[] more)
        {
            var vars = new Dictionary<string, object?>
            {
                ["aws"] = new Hashtable
                {
                    ["AccessKey"] = TestBed.AccessKey, ["SecretKey"] = TestBed.SecretKey, ["EndpointUrl"] = TestBed.Endpoint, ["Region"] = region,
                },
                ["dnsServer"] = dns == null ? "127.0.0.1:9" : $"127.0.0.1:{dns.Port}",
            };
            foreach (var (name, value) in more) vars[name] = value;
            return vars;
        }

        /// <summary>
        /// <c>@aws</c> without Region (the session's default applies): for cmdlets whose -Region means something else,
        /// such as New-SesSmtpCredential's list of SMTP regions.
        /// </summary>
        public static Dictionary<string, object?> WithoutRegion(params (string Name, object? Value)[] more)
        {
            var vars = For("unused", null, more);
            ((Hashtable)vars["aws"]!).Remove("Region");
            return vars;
        }
    }
}
