using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using OcdsAws.Aws.Services;

namespace OcdsAws.Deliverability
{
    /// <summary>One header of the original message, as SES copies it into a notification.</summary>
    public sealed class SesMailHeader
    {
        internal SesMailHeader(string name, string value)
        {
            Name = name;
            Value = value;
        }

        /// <summary>The header name, e.g. Subject.</summary>
        public string Name { get; }

        /// <summary>The header value as SES reported it.</summary>
        public string Value { get; }

        /// <inheritdoc />
        public override string ToString() => Name + ": " + Value;
    }

    /// <summary>The <c>mail</c> part of an SES notification: the message the event is about.</summary>
    public sealed class SesMailInfo
    {
        /// <summary>SES's message id (what Send-SesTestEmail and SendEmail return).</summary>
        public string? MessageId { get; internal set; }

        /// <summary>The envelope sender (MAIL FROM) SES used.</summary>
        public string? Source { get; internal set; }

        /// <summary>The ARN of the identity that sent the message.</summary>
        public string? SourceArn { get; internal set; }

        /// <summary>The IP address of the client that called SES.</summary>
        public string? SourceIp { get; internal set; }

        /// <summary>The AWS account that sent the message.</summary>
        public string? SendingAccountId { get; internal set; }

        /// <summary>The IAM identity that called SES.</summary>
        public string? CallerIdentity { get; internal set; }

        /// <summary>When SES accepted the message (UTC).</summary>
        public DateTime? Timestamp { get; internal set; }

        /// <summary>Every envelope recipient of the message.</summary>
        public IReadOnlyList<string> Destination { get; internal set; } = Array.Empty<string>();

        /// <summary>True when SES cut the header list short.</summary>
        public bool? HeadersTruncated { get; internal set; }

        /// <summary>The original headers; present only when headers in notifications are enabled.</summary>
        public IReadOnlyList<SesMailHeader> Headers { get; internal set; } = Array.Empty<SesMailHeader>();

        /// <summary>From addresses from the common headers.</summary>
        public IReadOnlyList<string> From { get; internal set; } = Array.Empty<string>();

        /// <summary>To addresses from the common headers.</summary>
        public IReadOnlyList<string> To { get; internal set; } = Array.Empty<string>();

        /// <summary>Subject from the common headers.</summary>
        public string? Subject { get; internal set; }

        /// <summary>Date header from the common headers.</summary>
        public string? Date { get; internal set; }

        /// <summary>The Message-ID header from the common headers (not SES's id).</summary>
        public string? HeaderMessageId { get; internal set; }

        /// <summary>The Return-Path from the common headers.</summary>
        public string? ReturnPath { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => MessageId ?? "";
    }

    /// <summary>
    /// One recipient of one SES Bounce, Complaint or Delivery notification: one row per recipient, so a bounce
    /// to three addresses is three objects that share <see cref="Mail"/>.
    /// </summary>
    public sealed class SesNotificationRecord
    {
        /// <summary>Bounce, Complaint, Delivery (or another type SES adds, kept as given).</summary>
        public string NotificationType { get; internal set; } = "";

        /// <summary>The recipient this row is about (null when the notification names none).</summary>
        public string? EmailAddress { get; internal set; }

        /// <summary>Bounce: the DSN action, e.g. failed.</summary>
        public string? Action { get; internal set; }

        /// <summary>Bounce: the DSN status code, e.g. 5.1.1.</summary>
        public string? Status { get; internal set; }

        /// <summary>Bounce: the receiving server's diagnostic, e.g. "smtp; 550 5.1.1 user unknown".</summary>
        public string? DiagnosticCode { get; internal set; }

        /// <summary>Bounce: Undetermined, Permanent or Transient.</summary>
        public string? BounceType { get; internal set; }

        /// <summary>Bounce: e.g. General, NoEmail, Suppressed, OnAccountSuppressionList, MailboxFull.</summary>
        public string? BounceSubType { get; internal set; }

        /// <summary>Complaint: the feedback type from the ISP's report, e.g. abuse.</summary>
        public string? ComplaintFeedbackType { get; internal set; }

        /// <summary>Complaint: null, or OnAccountSuppressionList.</summary>
        public string? ComplaintSubType { get; internal set; }

        /// <summary>Complaint: the user agent of the reporting mailbox provider.</summary>
        public string? UserAgent { get; internal set; }

        /// <summary>Delivery: the remote server's SMTP reply.</summary>
        public string? SmtpResponse { get; internal set; }

        /// <summary>Delivery: milliseconds from SES accepting the message to delivery.</summary>
        public long? ProcessingTimeMillis { get; internal set; }

        /// <summary>The MTA that reported the event.</summary>
        public string? ReportingMta { get; internal set; }

        /// <summary>The IP address of the remote MTA SES talked to.</summary>
        public string? RemoteMtaIp { get; internal set; }

        /// <summary>When the event happened (UTC).</summary>
        public DateTime? Timestamp { get; internal set; }

        /// <summary>SES's id of the bounce or complaint feedback.</summary>
        public string? FeedbackId { get; internal set; }

        /// <summary>The message the event is about.</summary>
        public SesMailInfo Mail { get; internal set; } = new SesMailInfo();

        /// <summary>The SNS message id when the notification came in an SNS envelope.</summary>
        public string? SnsMessageId { get; internal set; }

        /// <summary>The SNS topic when the notification came in an SNS envelope.</summary>
        public string? TopicArn { get; internal set; }

        /// <summary>
        /// Fields this version does not know, by JSON path (e.g. bounce.newField) with their JSON text: AWS adds
        /// fields over time and they must not be lost.
        /// </summary>
        public IDictionary<string, string> AdditionalFields { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The whole SES notification as JSON.</summary>
        public string Json { get; internal set; } = "";

        /// <inheritdoc />
        public override string ToString() => $"{NotificationType} {EmailAddress}".TrimEnd();
    }

    /// <summary>
    /// Reads SES notifications from text: SNS envelopes (Type Notification with the SES JSON in Message), bare
    /// SES JSON, the body of an SNS email subscription (the JSON followed by SNS's footer), several of them
    /// concatenated or in a JSON array. Lenient: unknown fields are kept, never fatal.
    /// </summary>
    internal sealed class SesNotificationReader
    {
        private static readonly HashSet<string> KnownTop = new HashSet<string>(StringComparer.Ordinal) { "notificationType", "eventType", "mail", "bounce", "complaint", "delivery" };
        private static readonly HashSet<string> KnownMail = new HashSet<string>(StringComparer.Ordinal)
        {
            "timestamp", "messageId", "source", "sourceArn", "sourceIp", "sendingAccountId", "callerIdentity", "destination", "headersTruncated", "headers", "commonHeaders",
        };
        private static readonly HashSet<string> KnownCommon = new HashSet<string>(StringComparer.Ordinal) { "from", "to", "subject", "date", "messageId", "returnPath" };
        private static readonly HashSet<string> KnownBounce = new HashSet<string>(StringComparer.Ordinal)
        {
            "bounceType", "bounceSubType", "bouncedRecipients", "timestamp", "feedbackId", "reportingMTA", "remoteMtaIp",
        };
        private static readonly HashSet<string> KnownBounced = new HashSet<string>(StringComparer.Ordinal) { "emailAddress", "action", "status", "diagnosticCode" };
        private static readonly HashSet<string> KnownComplaint = new HashSet<string>(StringComparer.Ordinal)
        {
            "complainedRecipients", "timestamp", "feedbackId", "complaintSubType", "complaintFeedbackType", "userAgent", "arrivalDate",
        };
        private static readonly HashSet<string> KnownDelivery = new HashSet<string>(StringComparer.Ordinal)
        {
            "timestamp", "processingTimeMillis", "recipients", "smtpResponse", "reportingMTA", "remoteMtaIp",
        };

        // The text not yet turned into notifications. A char buffer of our own, not a StringBuilder: reading a
        // multi-chunk StringBuilder by index or copying it whole for every fed line is what made a notification
        // spread over many lines quadratic (issue #16 item 9).
        private char[] _buffer = new char[4096];
        private int _length;
        private readonly JsonObjectScanner _scanner = new JsonObjectScanner();

        /// <summary>
        /// Feeds text (a whole file, or one line of it as Get-Content sends them) and returns the notifications
        /// completed by it. Text outside JSON objects (an email's footer, prose with stray braces) is skipped.
        /// Each character is scanned once, however the text is split (prose that looks like the start of an
        /// object is scanned again from its next brace, which prose soon shows not to be JSON).
        /// </summary>
        /// <param name="text">The next piece of input.</param>
        /// <param name="problems">Receives one ValidationException per complete JSON object that is not an SES notification.</param>
        /// <param name="cancellationToken">Ctrl+C: checked every few thousand characters.</param>
        public IReadOnlyList<SesNotificationRecord> Feed(string text, List<Exception> problems, CancellationToken cancellationToken = default)
        {
            if (_length > 0) Append("\n");
            Append(text);
            var results = new List<SesNotificationRecord>();
            var consumed = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var outcome = _scanner.Scan(_buffer, _length, cancellationToken);
                if (outcome == JsonObjectScanner.Outcome.NoObject)
                {
                    consumed = _length;
                    break;
                }
                if (outcome == JsonObjectScanner.Outcome.NeedMore)
                {
                    consumed = _scanner.Start;
                    break;
                }
                var start = _scanner.Start;
                var end = _scanner.End;
                if (outcome == JsonObjectScanner.Outcome.NotJson)
                {
                    // Braces in prose (an email body) are not JSON: skip the brace and look further.
                    _scanner.Restart(start + 1);
                    continue;
                }
                var chunk = new string(_buffer, start, end - start + 1);
                _scanner.Restart(end + 1);
                try
                {
                    results.AddRange(FromJson(ParseObject(chunk, "") as JsonObject));
                }
                catch (JsonException)
                {
                    // The scanner checks the structure, the parser the tokens (a number like 1.2.3): not JSON either.
                    _scanner.Restart(start + 1);
                }
                catch (ValidationException e)
                {
                    problems.Add(e);
                }
            }
            Consume(consumed);
            return results;
        }

        /// <summary>True when text is left over that never became a complete JSON object.</summary>
        public bool HasIncompleteInput => _scanner.Scan(_buffer, _length, CancellationToken.None) == JsonObjectScanner.Outcome.NeedMore;

        private void Append(string text)
        {
            if (_length + text.Length > _buffer.Length)
            {
                var bigger = new char[Math.Max(_buffer.Length * 2, _length + text.Length)];
                Array.Copy(_buffer, bigger, _length);
                _buffer = bigger;
            }
            text.CopyTo(0, _buffer, _length, text.Length);
            _length += text.Length;
        }

        /// <summary>Drops the first <paramref name="count"/> characters: once per Feed, so its copy is paid once per piece of input.</summary>
        private void Consume(int count)
        {
            if (count <= 0) return;
            Array.Copy(_buffer, count, _buffer, 0, _length - count);
            _length -= count;
            _scanner.Shift(count);
        }

        /// <summary>
        /// Parses one complete JSON object: JSON that is not valid is a <see cref="JsonException"/> (the caller looks
        /// further); a field given twice is an InvalidNotificationField error (RFC 8259 §4: names SHOULD be unique,
        /// and which value a reader keeps is unpredictable, so neither is taken).
        /// </summary>
        internal static JsonNode? ParseObject(string text, string prefix)
        {
            using (var document = JsonDocument.Parse(text))
            {
                NoFieldTwice(document.RootElement, prefix);
            }
            return JsonNode.Parse(text);
        }

        private static void NoFieldTwice(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var field = path.Length == 0 ? property.Name : path + "." + property.Name;
                    if (!names.Add(property.Name))
                        throw new ValidationException(FieldErrorId,
                            $"The input has the field '{field}' twice; which one counts is not defined (RFC 8259 §4), so the input is skipped.");
                    NoFieldTwice(property.Value, field);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in element.EnumerateArray()) NoFieldTwice(item, $"{path}[{index++}]");
            }
        }

        /// <summary>
        /// Turns one JSON object (envelope or SES notification) into rows. Field types are those of AWS's
        /// "Amazon SNS notification contents for Amazon SES" (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html):
        /// a known field of another JSON type is an InvalidNotificationField error naming it; unknown fields are kept.
        /// </summary>
        internal static IReadOnlyList<SesNotificationRecord> FromJson(JsonObject? json)
        {
            if (json == null) throw NotANotification("it is not a JSON object");
            string? snsId = null, topic = null;
            var type = json["Type"] is JsonValue t && t.TryGetValue<string>(out var typeText) ? typeText : null;
            if (type != null && json.ContainsKey("Message"))
            {
                if (type == "SubscriptionConfirmation" || type == "UnsubscribeConfirmation")
                    throw NotANotification($"it is an SNS {type} message, not a notification (confirm the subscription with the SubscribeURL it carries)");
                // SNS's envelope carries the SES JSON as a string (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
                snsId = Str(json, "MessageId", "");
                topic = Str(json, "TopicArn", "");
                var message = Str(json, "Message", "");
                JsonNode? inner;
                try
                {
                    inner = message == null ? null : ParseObject(message, "Message");
                }
                catch (JsonException e)
                {
                    throw NotANotification("its SNS Message is not JSON: " + e.Message);
                }
                json = inner as JsonObject;
                if (json == null) throw NotANotification("its SNS Message is not a JSON object");
            }

            var notificationType = Str(json, "notificationType", "") ?? Str(json, "eventType", "");
            if (notificationType == null)
                throw NotANotification("it has neither notificationType nor eventType (is it an SES notification?)");

            var mailObject = Obj(json, "mail", "");
            var mail = ReadMail(mailObject);
            var commonHeaders = Obj(mailObject, "commonHeaders", "mail.");
            var whole = json.Compact();
            var rows = new List<SesNotificationRecord>();
            SesNotificationRecord Row(string? address)
            {
                var row = new SesNotificationRecord
                {
                    NotificationType = notificationType, EmailAddress = address, Mail = mail, SnsMessageId = snsId, TopicArn = topic, Json = whole,
                };
                Unknown(json, KnownTop, "", row);
                Unknown(mailObject, KnownMail, "mail.", row);
                Unknown(commonHeaders, KnownCommon, "mail.commonHeaders.", row);
                rows.Add(row);
                return row;
            }

            switch (notificationType)
            {
                case "Bounce":
                {
                    var bounce = Obj(json, "bounce", "");
                    var recipients = Objects(bounce, "bouncedRecipients", "bounce.");
                    var fields = (Type: Str(bounce, "bounceType", "bounce."), SubType: Str(bounce, "bounceSubType", "bounce."), Time: Time(bounce, "timestamp", "bounce."),
                        Feedback: Str(bounce, "feedbackId", "bounce."), Mta: Str(bounce, "reportingMTA", "bounce."), Ip: Str(bounce, "remoteMtaIp", "bounce."));
                    var index = 0;
                    foreach (var r in recipients.Count > 0 ? recipients.Cast<JsonObject?>() : new JsonObject?[] { null })
                    {
                        var at = $"bounce.bouncedRecipients[{index++}].";
                        var row = Row(Str(r, "emailAddress", at));
                        row.Action = Str(r, "action", at);
                        row.Status = Str(r, "status", at);
                        row.DiagnosticCode = Str(r, "diagnosticCode", at);
                        (row.BounceType, row.BounceSubType, row.Timestamp, row.FeedbackId, row.ReportingMta, row.RemoteMtaIp) = fields;
                        Unknown(bounce, KnownBounce, "bounce.", row);
                        Unknown(r, KnownBounced, "bounce.bouncedRecipients[].", row);
                    }
                    break;
                }
                case "Complaint":
                {
                    var complaint = Obj(json, "complaint", "");
                    var recipients = Objects(complaint, "complainedRecipients", "complaint.");
                    var fields = (Type: Str(complaint, "complaintFeedbackType", "complaint."), SubType: Str(complaint, "complaintSubType", "complaint."),
                        Agent: Str(complaint, "userAgent", "complaint."), Time: Time(complaint, "timestamp", "complaint."), Feedback: Str(complaint, "feedbackId", "complaint."));
                    var index = 0;
                    foreach (var r in recipients.Count > 0 ? recipients.Cast<JsonObject?>() : new JsonObject?[] { null })
                    {
                        var row = Row(Str(r, "emailAddress", $"complaint.complainedRecipients[{index++}]."));
                        (row.ComplaintFeedbackType, row.ComplaintSubType, row.UserAgent, row.Timestamp, row.FeedbackId) = fields;
                        Unknown(complaint, KnownComplaint, "complaint.", row);
                        Unknown(r, new HashSet<string> { "emailAddress" }, "complaint.complainedRecipients[].", row);
                    }
                    break;
                }
                case "Delivery":
                {
                    var delivery = Obj(json, "delivery", "");
                    var recipients = Strings(delivery, "recipients", "delivery.");
                    var fields = (Smtp: Str(delivery, "smtpResponse", "delivery."), Millis: Long(delivery, "processingTimeMillis", "delivery."),
                        Mta: Str(delivery, "reportingMTA", "delivery."), Ip: Str(delivery, "remoteMtaIp", "delivery."), Time: Time(delivery, "timestamp", "delivery."));
                    foreach (var address in recipients.Count > 0 ? recipients.Cast<string?>() : new string?[] { null })
                    {
                        var row = Row(address);
                        (row.SmtpResponse, row.ProcessingTimeMillis, row.ReportingMta, row.RemoteMtaIp, row.Timestamp) = fields;
                        Unknown(delivery, KnownDelivery, "delivery.", row);
                    }
                    break;
                }
                default:
                    // A type this version does not know (AmazonSnsSubscriptionSucceeded, event publishing's Open...):
                    // one row, with everything but mail kept in AdditionalFields.
                    Row(null);
                    break;
            }
            return rows;
        }

        private static SesMailInfo ReadMail(JsonObject? mail)
        {
            var common = Obj(mail, "commonHeaders", "mail.");
            var headers = Objects(mail, "headers", "mail.");
            return new SesMailInfo
            {
                MessageId = Str(mail, "messageId", "mail."),
                Source = Str(mail, "source", "mail."),
                SourceArn = Str(mail, "sourceArn", "mail."),
                SourceIp = Str(mail, "sourceIp", "mail."),
                SendingAccountId = Str(mail, "sendingAccountId", "mail."),
                CallerIdentity = Str(mail, "callerIdentity", "mail."),
                Timestamp = Time(mail, "timestamp", "mail."),
                Destination = Strings(mail, "destination", "mail."),
                HeadersTruncated = Bool(mail, "headersTruncated", "mail."),
                Headers = headers.Select((h, i) => new SesMailHeader(Str(h, "name", $"mail.headers[{i}].") ?? "", Str(h, "value", $"mail.headers[{i}].") ?? "")).ToList(),
                From = Strings(common, "from", "mail.commonHeaders."),
                To = Strings(common, "to", "mail.commonHeaders."),
                Subject = Str(common, "subject", "mail.commonHeaders."),
                Date = Str(common, "date", "mail.commonHeaders."),
                HeaderMessageId = Str(common, "messageId", "mail.commonHeaders."),
                ReturnPath = Str(common, "returnPath", "mail.commonHeaders."),
            };
        }

        // ---- Typed reads of known fields: absent or null is null; another JSON type is an error naming the field ----

        private const string FieldErrorId = "InvalidNotificationField";
        private const string ContentsPage = "https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html";

        private static JsonObject? Obj(JsonObject? parent, string name, string prefix)
            => parent?[name] switch
            {
                null => null,
                JsonObject o => o,
                var other => throw WrongType(prefix + name, other, "a JSON object"),
            };

        private static string? Str(JsonObject? parent, string name, string prefix)
            => parent?[name] switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                var other => throw WrongType(prefix + name, other, "a string"),
            };

        private static bool? Bool(JsonObject? parent, string name, string prefix)
            => parent?[name] switch
            {
                null => null,
                JsonValue v when v.TryGetValue<bool>(out var b) => b,
                var other => throw WrongType(prefix + name, other, "true or false"),
            };

        private static long? Long(JsonObject? parent, string name, string prefix)
            => parent?[name] switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) => l,
                var other => throw WrongType(prefix + name, other, "a whole number"),
            };

        /// <summary>SES's timestamps are ISO 8601 strings (notification contents page: "in ISO8601 format").</summary>
        private static DateTime? Time(JsonObject? parent, string name, string prefix)
            => parent?[name] switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var text)
                    && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) => time,
                var other => throw WrongType(prefix + name, other, "an ISO 8601 date string"),
            };

        private static IReadOnlyList<JsonObject> Objects(JsonObject? parent, string name, string prefix)
        {
            var items = ArrayOf(parent, name, prefix);
            return items.Select((item, i) => item as JsonObject ?? throw WrongType($"{prefix}{name}[{i}]", item, "a JSON object")).ToList();
        }

        private static IReadOnlyList<string> Strings(JsonObject? parent, string name, string prefix)
        {
            var items = ArrayOf(parent, name, prefix);
            return items.Select((item, i) => item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw WrongType($"{prefix}{name}[{i}]", item, "a string")).ToList();
        }

        private static IReadOnlyList<JsonNode?> ArrayOf(JsonObject? parent, string name, string prefix)
            => parent?[name] switch
            {
                null => System.Array.Empty<JsonNode?>(),
                JsonArray a => a.ToList(),
                var other => throw WrongType(prefix + name, other, "a JSON array"),
            };

        private static ValidationException WrongType(string field, JsonNode? found, string expected)
        {
            var kind = found == null ? "null" : found.GetValueKind() switch
            {
                JsonValueKind.Object => "an object",
                JsonValueKind.Array => "an array",
                JsonValueKind.String => "the string " + Shorten(found.Compact()),
                JsonValueKind.Number => "the number " + Shorten(found.Compact()),
                _ => found.Compact(),
            };
            return new ValidationException(FieldErrorId,
                $"The notification's field '{field}' is {kind} where SES sends {expected} ({ContentsPage}): this input is skipped, the next one is read.");
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

        private static void Unknown(JsonObject? node, HashSet<string> known, string prefix, SesNotificationRecord row)
        {
            if (node == null) return;
            foreach (var pair in node)
            {
                if (known.Contains(pair.Key)) continue;
                row.AdditionalFields[prefix + pair.Key] = pair.Value == null ? "null" : pair.Value.Compact();
            }
        }

        private static ValidationException NotANotification(string why)
            => new ValidationException(ErrorIds.NotAnSesNotification, "The input is not an SES notification: " + why + ".");
    }
    /// <summary>
    /// Finds JSON objects in text that grows at its end, scanning each character once: a '{' starts a candidate
    /// that is followed by the structure of RFC 8259 (braces, brackets, strings, colons, commas, bare literals), so
    /// prose with a stray '{' ("Dear {customer,") is seen not to be JSON within a few characters, and the scan goes
    /// on from its next brace instead of waiting for a closing brace that never comes. Tokens inside a candidate
    /// (numbers, escapes) are left to the JSON parser once the candidate is complete.
    /// </summary>
    internal sealed class JsonObjectScanner
    {
        /// <summary>What <see cref="Scan"/> found.</summary>
        public enum Outcome
        {
            /// <summary>No '{' in the rest of the text: all of it can be dropped.</summary>
            NoObject,

            /// <summary>A candidate from <see cref="Start"/> is still open at the end of the text.</summary>
            NeedMore,

            /// <summary>The candidate from <see cref="Start"/> is not JSON (look again from Start + 1).</summary>
            NotJson,

            /// <summary>A candidate from <see cref="Start"/> to <see cref="End"/> (its closing brace).</summary>
            Complete,
        }

        private enum Expect
        {
            Value,
            ValueOrEndOfArray,
            KeyOrEndOfObject,
            Key,
            Colon,
            CommaOrEnd,
        }

        // The parser's own limit (JsonDocumentOptions.MaxDepth defaults to 64): deeper is not JSON we can read, and the
        // limit also bounds how far prose that opens bracket after bracket is scanned again from its next brace.
        private const int MaxDepth = 64;

        private readonly bool[] _isObject = new bool[MaxDepth + 1];
        private int _depth;
        private bool _active;
        private Expect _expect;
        private bool _inString;
        private bool _stringIsKey;
        private bool _escape;
        private bool _inLiteral;
        private int _position;

        /// <summary>Where the current candidate starts.</summary>
        public int Start { get; private set; }

        /// <summary>Where the last complete candidate ends (its closing brace).</summary>
        public int End { get; private set; }

        /// <summary>Goes on scanning <paramref name="text"/> up to <paramref name="length"/> from where the last call stopped.</summary>
        public Outcome Scan(char[] text, int length, CancellationToken cancellationToken)
        {
            if (!_active)
            {
                var brace = System.Array.IndexOf(text, '{', _position, length - _position);
                if (brace < 0)
                {
                    _position = length;
                    return Outcome.NoObject;
                }
                Start = brace;
                _position = brace + 1;
                _active = true;
                _depth = 1;
                _isObject[0] = true;
                _expect = Expect.KeyOrEndOfObject;
                _inString = _escape = _inLiteral = false;
            }
            for (; _position < length; _position++)
            {
                if ((_position & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                switch (Step(text[_position]))
                {
                    case Outcome.NotJson:
                        _active = false;
                        return Outcome.NotJson;
                    case Outcome.Complete:
                        End = _position++;
                        _active = false;
                        return Outcome.Complete;
                }
            }
            return Outcome.NeedMore;
        }

        /// <summary>Looks for the next candidate from <paramref name="position"/>.</summary>
        public void Restart(int position)
        {
            _active = false;
            _position = position;
        }

        /// <summary>The text lost its first <paramref name="count"/> characters.</summary>
        public void Shift(int count)
        {
            _position -= count;
            Start -= count;
            End -= count;
        }

        /// <summary>One character: NeedMore to go on, NotJson, or Complete when it closes the candidate.</summary>
        private Outcome Step(char c)
        {
            if (_inString)
            {
                if (_escape) _escape = false;
                else if (c == '\\') _escape = true;
                else if (c == '"')
                {
                    _inString = false;
                    _expect = _stringIsKey ? Expect.Colon : Expect.CommaOrEnd;
                }
                else if (c < 0x20) return Outcome.NotJson; // RFC 8259 §7: control characters are escaped in strings
                return Outcome.NeedMore;
            }
            if (_inLiteral)
            {
                if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '+' || c == '-') return Outcome.NeedMore;
                _inLiteral = false;
                _expect = Expect.CommaOrEnd;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return Outcome.NeedMore; // RFC 8259 §2: insignificant whitespace
            switch (_expect)
            {
                case Expect.Value:
                case Expect.ValueOrEndOfArray:
                    if (c == '{' || c == '[')
                    {
                        if (_depth == MaxDepth) return Outcome.NotJson;
                        _isObject[_depth++] = c == '{';
                        _expect = c == '{' ? Expect.KeyOrEndOfObject : Expect.ValueOrEndOfArray;
                        return Outcome.NeedMore;
                    }
                    if (c == '"')
                    {
                        _inString = true;
                        _stringIsKey = false;
                        return Outcome.NeedMore;
                    }
                    if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n')
                    {
                        _inLiteral = true;
                        return Outcome.NeedMore;
                    }
                    return c == ']' && _expect == Expect.ValueOrEndOfArray ? Close() : Outcome.NotJson;
                case Expect.KeyOrEndOfObject:
                case Expect.Key:
                    if (c == '"')
                    {
                        _inString = true;
                        _stringIsKey = true;
                        return Outcome.NeedMore;
                    }
                    return c == '}' && _expect == Expect.KeyOrEndOfObject ? Close() : Outcome.NotJson;
                case Expect.Colon:
                    if (c != ':') return Outcome.NotJson;
                    _expect = Expect.Value;
                    return Outcome.NeedMore;
                default: // CommaOrEnd
                    if (c == ',')
                    {
                        _expect = _isObject[_depth - 1] ? Expect.Key : Expect.Value;
                        return Outcome.NeedMore;
                    }
                    return (c == '}' && _isObject[_depth - 1]) || (c == ']' && !_isObject[_depth - 1]) ? Close() : Outcome.NotJson;
            }
        }

        private Outcome Close()
        {
            _depth--;
            _expect = Expect.CommaOrEnd;
            return _depth == 0 ? Outcome.Complete : Outcome.NeedMore;
        }
    }
}
