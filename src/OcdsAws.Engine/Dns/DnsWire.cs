using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;

namespace OcdsAws.Dns
{
    /// <summary>A DNS message that cannot be read: the server's answer is malformed (never an answer to trust).</summary>
    internal sealed class DnsFormatException : Exception
    {
        public DnsFormatException(string message) : base(message)
        {
        }
    }

    /// <summary>The fixed 12-byte header of a DNS message (RFC 1035 §4.1.1).</summary>
    internal readonly struct DnsHeader
    {
        public DnsHeader(ushort id, ushort flags, ushort questions, ushort answers, ushort authority, ushort additional)
        {
            Id = id;
            Flags = flags;
            QuestionCount = questions;
            AnswerCount = answers;
            AuthorityCount = authority;
            AdditionalCount = additional;
        }

        public ushort Id { get; }

        public ushort Flags { get; }

        /// <summary>QR: a response (true) or a query (false).</summary>
        public bool IsResponse => (Flags & 0x8000) != 0;

        /// <summary>OPCODE: 0 is a standard query.</summary>
        public int Opcode => (Flags >> 11) & 0xF;

        /// <summary>TC: the answer did not fit the datagram; ask again over TCP.</summary>
        public bool Truncated => (Flags & 0x0200) != 0;

        /// <summary>RCODE (the low 4 bits; extended codes need the OPT record, which nothing here asks for).</summary>
        public int ResponseCode => Flags & 0xF;

        public ushort QuestionCount { get; }

        public ushort AnswerCount { get; }

        public ushort AuthorityCount { get; }

        public ushort AdditionalCount { get; }
    }

    /// <summary>A DNS response read in full: header, its one question and three sections of records.</summary>
    internal sealed class DnsWireMessage
    {
        public DnsWireMessage(DnsHeader header, string questionName, ushort questionType, ushort questionClass,
            IReadOnlyList<DnsAnswer> answers, IReadOnlyList<DnsAnswer> authority, IReadOnlyList<DnsAnswer> additional)
        {
            Header = header;
            QuestionName = questionName;
            QuestionType = questionType;
            QuestionClass = questionClass;
            Answers = answers;
            Authority = authority;
            Additional = additional;
        }

        public DnsHeader Header { get; }

        public string QuestionName { get; }

        public ushort QuestionType { get; }

        public ushort QuestionClass { get; }

        public IReadOnlyList<DnsAnswer> Answers { get; }

        public IReadOnlyList<DnsAnswer> Authority { get; }

        public IReadOnlyList<DnsAnswer> Additional { get; }
    }

    /// <summary>
    /// DNS messages on the wire (RFC 1035 §4), written and read by the module itself so that every byte a server
    /// sends is checked before anything is believed: names whose compression pointers loop or run past the end,
    /// record lengths that do not match their data, counts larger than the packet are a <see cref="DnsFormatException"/>,
    /// never a crash, a hang or a huge allocation.
    /// </summary>
    internal static class DnsWire
    {
        public const ushort ClassIN = 1;
        public const ushort TypeA = 1;
        public const ushort TypeNS = 2;
        public const ushort TypeCNAME = 5;
        public const ushort TypeSOA = 6;
        public const ushort TypeMX = 15;
        public const ushort TypeTXT = 16;
        public const ushort TypeAAAA = 28;
        public const ushort TypeOPT = 41;

        /// <summary>
        /// The UDP payload size advertised in the EDNS(0) OPT record (RFC 6891): 1232, "the minimum safe size" DNS Flag
        /// Day 2020 settled on to avoid IP fragmentation (https://www.dnsflagday.net/2020/); larger answers come with TC
        /// set and are asked again over TCP.
        /// </summary>
        public const ushort EdnsUdpSize = 1232;

        /// <summary>RFC 1035 §2.3.4: a name is at most 255 octets on the wire, a label at most 63.</summary>
        private const int MaxNameOctets = 255;

        private const int MaxLabelOctets = 63;

        private static readonly Dictionary<ushort, string> TypeNames = new Dictionary<ushort, string>
        {
            [TypeA] = "A", [TypeNS] = "NS", [TypeCNAME] = "CNAME", [TypeSOA] = "SOA", [TypeMX] = "MX", [TypeTXT] = "TXT", [TypeAAAA] = "AAAA",
        };

        /// <summary>The type number of A, AAAA, CNAME, MX, TXT, NS or SOA.</summary>
        public static ushort TypeNumber(string type)
        {
            foreach (var pair in TypeNames)
                if (pair.Value == type) return pair.Key;
            throw new ArgumentException($"Unsupported DNS record type '{type}'.", nameof(type));
        }

        /// <summary>The mnemonic of a type number (TYPE123 for the ones this module does not read, RFC 3597 §5).</summary>
        public static string TypeName(ushort type) => TypeNames.TryGetValue(type, out var name) ? name : "TYPE" + type.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// A standard query (RFC 1035 §4.1) for one question, with an EDNS(0) OPT record (RFC 6891 §6.1.2) advertising
        /// <see cref="EdnsUdpSize"/>.
        /// </summary>
        /// <exception cref="ArgumentException">The name cannot be a DNS name (empty label, label over 63 or name over 255 octets).</exception>
        public static byte[] Query(ushort id, string name, ushort type, bool recursionDesired)
        {
            var bytes = new List<byte>(64);
            Put16(bytes, id);
            Put16(bytes, (ushort)(recursionDesired ? 0x0100 : 0)); // QR=0, OPCODE=0, RD as asked
            Put16(bytes, 1); // QDCOUNT
            Put16(bytes, 0);
            Put16(bytes, 0);
            Put16(bytes, 1); // ARCOUNT: the OPT record
            PutName(bytes, name);
            Put16(bytes, type);
            Put16(bytes, ClassIN);
            // OPT: root owner, TYPE 41, CLASS = UDP payload size, TTL = extended RCODE/version/flags 0, no options.
            bytes.Add(0);
            Put16(bytes, TypeOPT);
            Put16(bytes, EdnsUdpSize);
            Put16(bytes, 0);
            Put16(bytes, 0);
            Put16(bytes, 0);
            return bytes.ToArray();
        }

        /// <summary>The header, or false when <paramref name="length"/> is shorter than one.</summary>
        public static bool TryReadHeader(byte[] data, int length, out DnsHeader header)
        {
            header = default;
            if (length < 12) return false;
            header = new DnsHeader(Get16(data, 0), Get16(data, 2), Get16(data, 4), Get16(data, 6), Get16(data, 8), Get16(data, 10));
            return true;
        }

        /// <summary>
        /// The first question (name in the module's form, type, class) and where the sections after the question
        /// section start; false when the message has no question or it cannot be read.
        /// </summary>
        public static bool TryReadQuestion(byte[] data, int length, out string name, out ushort type, out ushort qclass, out string? problem)
        {
            name = "";
            type = 0;
            qclass = 0;
            problem = null;
            if (!TryReadHeader(data, length, out var header))
            {
                problem = $"{length} bytes is shorter than a DNS header (12)";
                return false;
            }
            if (header.QuestionCount != 1)
            {
                problem = header.QuestionCount == 0 ? "it has no question section" : $"it has {header.QuestionCount} questions, not the one asked";
                return false;
            }
            try
            {
                var offset = 12;
                name = ReadName(data, length, ref offset);
                Need(length, offset, 4, "the question");
                type = Get16(data, offset);
                qclass = Get16(data, offset + 2);
                return true;
            }
            catch (DnsFormatException e)
            {
                problem = "its question cannot be read: " + e.Message;
                return false;
            }
        }

        /// <summary>Reads a whole response that <see cref="TryReadQuestion"/> accepted.</summary>
        /// <exception cref="DnsFormatException">Any section is malformed.</exception>
        public static DnsWireMessage Read(byte[] data, int length)
        {
            if (!TryReadHeader(data, length, out var header)) throw new DnsFormatException("shorter than a DNS header");
            var offset = 12;
            string qname = "";
            ushort qtype = 0, qclass = 0;
            for (var i = 0; i < header.QuestionCount; i++)
            {
                var n = ReadName(data, length, ref offset);
                Need(length, offset, 4, "a question");
                if (i == 0)
                {
                    qname = n;
                    qtype = Get16(data, offset);
                    qclass = Get16(data, offset + 2);
                }
                offset += 4;
            }
            // Counts come from the sender: records are read one by one and each must fit, so ANCOUNT 65535 in a small
            // packet fails at the first missing record instead of reserving room for 65535.
            var answers = ReadSection(data, length, ref offset, header.AnswerCount, "answer");
            var authority = ReadSection(data, length, ref offset, header.AuthorityCount, "authority");
            var additional = ReadSection(data, length, ref offset, header.AdditionalCount, "additional");
            return new DnsWireMessage(header, qname, qtype, qclass, answers, authority, additional);
        }

        /// <summary>RCODE in words (RFC 1035 §4.1.1, RFC 2136 §2.2), as DnsClient named them before.</summary>
        public static string ResponseCodeName(int code)
        {
            switch (code)
            {
                case 0: return "NoError";
                case 1: return "FormatError";
                case 2: return "ServerFailure";
                case 3: return "NotExistentDomain";
                case 4: return "NotImplemented";
                case 5: return "Refused";
                default: return "RCODE " + code.ToString(CultureInfo.InvariantCulture);
            }
        }

        private static List<DnsAnswer> ReadSection(byte[] data, int length, ref int offset, int count, string section)
        {
            var records = new List<DnsAnswer>();
            for (var i = 0; i < count; i++)
            {
                string owner;
                try
                {
                    owner = ReadName(data, length, ref offset);
                    Need(length, offset, 10, "a record header");
                }
                catch (DnsFormatException e)
                {
                    throw new DnsFormatException($"{section} record {i + 1} of {count}: {e.Message}");
                }
                var type = Get16(data, offset);
                var rclass = Get16(data, offset + 2);
                var ttl = (int)Math.Min(int.MaxValue, ((uint)Get16(data, offset + 4) << 16) | Get16(data, offset + 6));
                var rdLength = Get16(data, offset + 8);
                offset += 10;
                if (rdLength > length - offset)
                    throw new DnsFormatException($"{section} record {i + 1} of {count} ({owner} {TypeName(type)}) says its data is {rdLength} bytes, but only {length - offset} remain");
                var end = offset + rdLength;
                try
                {
                    // OPT (class = payload size) and classes other than IN are checked for length only.
                    var record = type != TypeOPT && rclass == ClassIN ? ReadData(data, offset, end, owner, type, ttl) : null;
                    if (record != null) records.Add(record);
                }
                catch (DnsFormatException e)
                {
                    throw new DnsFormatException($"{section} record {i + 1} of {count} ({owner} {TypeName(type)}): {e.Message}");
                }
                offset = end;
            }
            return records;
        }

        // One record's data, which must fill its RDLENGTH exactly (RFC 1035 §3.3); types nobody asks about are skipped.
        private static DnsAnswer? ReadData(byte[] data, int start, int end, string owner, ushort type, int ttl)
        {
            var offset = start;
            DnsAnswer? record;
            switch (type)
            {
                case TypeA:
                case TypeAAAA:
                    var size = type == TypeA ? 4 : 16;
                    if (end - start != size) throw new DnsFormatException($"an {TypeName(type)} address is {size} bytes, not {end - start}");
                    var address = new byte[size];
                    Array.Copy(data, start, address, 0, size);
                    return new DnsAnswer(owner, TypeName(type), new IPAddress(address).ToString(), null, ttl);
                case TypeCNAME:
                case TypeNS:
                    record = new DnsAnswer(owner, TypeName(type), ReadName(data, end, ref offset), null, ttl);
                    break;
                case TypeMX:
                    Need(end, offset, 2, "the MX preference");
                    var preference = Get16(data, offset);
                    offset += 2;
                    record = new DnsAnswer(owner, "MX", ReadName(data, end, ref offset), preference, ttl);
                    break;
                case TypeTXT:
                    // RFC 1035 §3.3.14: one or more <character-string>s; RFC 7208 §3.3 joins them without spaces.
                    var text = new StringBuilder();
                    if (end == start) throw new DnsFormatException("a TXT record holds at least one character-string");
                    while (offset < end)
                    {
                        var n = data[offset++];
                        if (n > end - offset) throw new DnsFormatException($"a character-string of {n} bytes runs past the record's end");
                        text.Append(Encoding.UTF8.GetString(data, offset, n));
                        offset += n;
                    }
                    record = new DnsAnswer(owner, "TXT", text.ToString(), null, ttl);
                    break;
                case TypeSOA:
                    var mname = ReadName(data, end, ref offset);
                    var rname = ReadName(data, end, ref offset);
                    Need(end, offset, 20, "the SOA numbers");
                    var numbers = new uint[5];
                    for (var i = 0; i < 5; i++) numbers[i] = ((uint)Get16(data, offset + 4 * i) << 16) | Get16(data, offset + 4 * i + 2);
                    offset += 20;
                    record = new DnsAnswer(owner, "SOA", $"{mname} {rname} {numbers[0]} {numbers[1]} {numbers[2]} {numbers[3]} {numbers[4]}", null, ttl);
                    break;
                default:
                    return null;
            }
            if (offset != end) throw new DnsFormatException($"{end - offset} bytes are left over after the {TypeName(type)} data");
            return record;
        }

        /// <summary>
        /// A name at <paramref name="offset"/> (which moves past it), in the module's form: lowercase, no trailing dot,
        /// bytes that are not printable ASCII (and dots or backslashes inside a label) as RFC 1035 §5.1 \DDD escapes, so
        /// they can never equal a real host name. A compression pointer (RFC 1035 §4.1.4) must point before the label it
        /// replaces ("a prior occurrence"); here it must point before the start of the labels read since the last jump,
        /// so every jump goes strictly backwards and a loop is impossible.
        /// </summary>
        private static string ReadName(byte[] data, int limit, ref int offset)
        {
            var name = new StringBuilder();
            var octets = 0;
            var position = offset;
            var segmentStart = offset; // where the labels read since the last jump began
            var resume = -1; // where the caller continues: after the first pointer
            while (true)
            {
                if (position >= limit) throw new DnsFormatException("a name runs past the end of the data");
                var length = data[position];
                if ((length & 0xC0) == 0xC0)
                {
                    if (position + 1 >= limit) throw new DnsFormatException("a compression pointer is cut off");
                    var target = ((length & 0x3F) << 8) | data[position + 1];
                    if (target >= segmentStart) throw new DnsFormatException($"a compression pointer at byte {position} points to byte {target}, not before the name it continues: it would loop");
                    if (resume < 0) resume = position + 2;
                    position = segmentStart = target;
                    continue;
                }
                if ((length & 0xC0) != 0) throw new DnsFormatException($"label type 0x{length & 0xC0:x2} at byte {position} is not a DNS label");
                octets += length + 1;
                if (octets > MaxNameOctets) throw new DnsFormatException($"a name is longer than {MaxNameOctets} octets");
                if (length == 0)
                {
                    offset = resume >= 0 ? resume : position + 1;
                    return name.ToString();
                }
                if (position + 1 + length > limit) throw new DnsFormatException("a label runs past the end of the data");
                if (name.Length > 0) name.Append('.');
                for (var i = 0; i < length; i++)
                {
                    var b = data[position + 1 + i];
                    if (b >= (byte)'A' && b <= (byte)'Z') name.Append((char)(b + 32));
                    else if (b > 0x20 && b < 0x7F && b != (byte)'.' && b != (byte)'\\') name.Append((char)b);
                    else name.Append('\\').Append(b.ToString("000", CultureInfo.InvariantCulture));
                }
                position += 1 + length;
            }
        }

        private static void PutName(List<byte> bytes, string name)
        {
            var trimmed = (name ?? "").Trim().TrimEnd('.');
            var octets = 1;
            if (trimmed.Length > 0)
            {
                foreach (var label in trimmed.Split('.'))
                {
                    var encoded = Encoding.ASCII.GetBytes(label);
                    if (encoded.Length == 0 || encoded.Length > MaxLabelOctets || label.Length != encoded.Length)
                        throw new ArgumentException($"'{name}' is not a DNS name: each label must be 1 to {MaxLabelOctets} ASCII characters.", nameof(name));
                    octets += encoded.Length + 1;
                    bytes.Add((byte)encoded.Length);
                    bytes.AddRange(encoded);
                }
            }
            if (octets > MaxNameOctets) throw new ArgumentException($"'{name}' is longer than {MaxNameOctets} octets, the most a DNS name can be.", nameof(name));
            bytes.Add(0);
        }

        private static void Need(int limit, int offset, int count, string what)
        {
            if (count > limit - offset) throw new DnsFormatException($"{what} is cut off ({count} bytes needed, {Math.Max(0, limit - offset)} left)");
        }

        private static ushort Get16(byte[] data, int offset) => (ushort)((data[offset] << 8) | data[offset + 1]);

        private static void Put16(List<byte> bytes, ushort value)
        {
            bytes.Add((byte)(value >> 8));
            bytes.Add((byte)value);
        }
    }
}
