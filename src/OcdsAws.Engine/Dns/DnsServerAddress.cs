using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace OcdsAws.Dns
{
    /// <summary>
    /// A <c>-DnsServer</c> value: <c>host</c>, <c>host:port</c>, <c>1.2.3.4:5353</c>, <c>::1</c> or
    /// <c>[::1]:5353</c>. The port defaults to 53.
    /// </summary>
    internal static class DnsServerAddress
    {
        public const int DefaultPort = 53;

        /// <summary>
        /// Splits <paramref name="value"/> into host and port without any lookup; the host is an IP literal or a
        /// host name. Bad syntax is a <see cref="ValidationException"/> (InvalidDnsServer).
        /// </summary>
        public static (string Host, int Port) Split(string? value)
        {
            var text = (value ?? "").Trim();
            if (text.Length == 0) throw Invalid(value, "it is empty");

            if (text.StartsWith("[", StringComparison.Ordinal))
            {
                var close = text.IndexOf(']');
                if (close < 0) throw Invalid(value, "the '[' has no closing ']'");
                var inside = text.Substring(1, close - 1);
                if (!IPAddress.TryParse(inside, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                    throw Invalid(value, $"'{inside}' is not an IPv6 address");
                var rest = text.Substring(close + 1);
                if (rest.Length == 0) return (inside, DefaultPort);
                if (!rest.StartsWith(":", StringComparison.Ordinal)) throw Invalid(value, "only ':port' may follow ']'");
                return (inside, Port(value, rest.Substring(1)));
            }

            var colons = text.Count(c => c == ':');
            if (colons > 1)
            {
                // Several colons without brackets can only be a bare IPv6 address; a port needs [addr]:port.
                if (IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6) return (text, DefaultPort);
                throw Invalid(value, "it is not an IPv6 address (write an IPv6 address with a port as [::1]:5353)");
            }

            var host = text;
            var port = DefaultPort;
            if (colons == 1)
            {
                var at = text.IndexOf(':');
                host = text.Substring(0, at);
                port = Port(value, text.Substring(at + 1));
            }

            if (host.Length == 0) throw Invalid(value, "the host is missing");
            if (IsDottedQuad(host)) return (host, port);
            if (host.All(c => char.IsDigit(c) || c == '.'))
                throw Invalid(value, $"'{host}' is not an IPv4 address");
            var labels = host.TrimEnd('.').Split('.');
            if (labels.Any(l => l.Length == 0 || l.Length > 63 || l.StartsWith("-", StringComparison.Ordinal) || l.EndsWith("-", StringComparison.Ordinal)
                || !l.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '-'))))
                throw Invalid(value, $"'{host}' is neither an IP address nor a host name");
            return (host, port);
        }

        /// <summary>
        /// The endpoint for <paramref name="value"/>, looking a host name up with the system resolver (IPv4
        /// first: more networks reach it). Bad syntax or a name that does not resolve is a
        /// <see cref="ValidationException"/> (InvalidDnsServer).
        /// </summary>
        public static IPEndPoint Parse(string? value)
        {
            var (host, port) = Split(value);
            if (IPAddress.TryParse(host, out var literal)) return new IPEndPoint(literal, port);

            IPAddress[] addresses;
            try
            {
                addresses = System.Net.Dns.GetHostAddresses(host);
            }
            catch (SocketException e)
            {
                throw Invalid(value, $"the host name '{host}' could not be resolved ({e.Message})");
            }
            catch (ArgumentException)
            {
                // GetHostAddresses refuses a name it cannot even ask for (too long, not a host name).
                throw Invalid(value, $"'{host}' is not a host name");
            }

            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6);
            if (address == null) throw Invalid(value, $"the host name '{host}' has no IP address");
            return new IPEndPoint(address, port);
        }

        private static int Port(string? value, string text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port >= 1 && port <= 65535) return port;
            throw Invalid(value, $"the port '{text}' is not a number from 1 to 65535");
        }

        // IPAddress.TryParse also takes "1", "127.1" and "0x7f.1"; a DNS server written that way is surely a typo.
        private static bool IsDottedQuad(string host)
        {
            var parts = host.Split('.');
            return parts.Length == 4
                && parts.All(p => p.Length >= 1 && p.Length <= 3 && p.All(c => c >= '0' && c <= '9') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
            // ASCII digits only: char.IsDigit also takes other scripts' digits, which int.Parse then refuses with a raw exception.
        }

        private static ValidationException Invalid(string? value, string why)
            => new ValidationException(ErrorIds.InvalidDnsServer, $"-DnsServer '{value}' is not usable: {why}. Use host, host:port, 1.2.3.4:5353 or [::1]:5353.");
    }
}
