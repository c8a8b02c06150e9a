using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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

        private readonly StringBuilder _pending = new StringBuilder();

        /// <summary>
        /// Feeds text (a whole file, or one line of it as Get-Content sends them) and returns the notifications
        /// completed by it. Text outside JSON objects (an email's footer) is skipped.
        /// </summary>
        /// <param name="text">The next piece of input.</param>
        /// <param name="problems">Receives one ValidationException per complete JSON object that is not an SES notification.</param>
        public IReadOnlyList<SesNotificationRecord> Feed(string text, List<Exception> problems)
        {
            if (_pending.Length > 0) _pending.Append('\n');
            _pending.Append(text);
            var results = new List<SesNotificationRecord>();
            var consumed = 0;
            var s = _pending.ToString();
            var i = 0;
            while (i < s.Length)
            {
                var start = s.IndexOf('{', i);
                if (start < 0)
                {
                    consumed = s.Length;
                    break;
                }
                var end = EndOfObject(s, start);
                if (end < 0)
                {
                    consumed = start; // incomplete: wait for more lines
                    break;
                }
                var chunk = s.Substring(start, end - start + 1);
                JsonNode? node = null;
                try
                {
                    node = JsonNode.Parse(chunk);
                }
                catch (JsonException)
                {
                    // Braces in prose (an email body) are not JSON: skip the brace and look further.
                    i = start + 1;
                    consumed = i;
                    continue;
                }
                try
                {
                    results.AddRange(FromJson(node as JsonObject));
                }
                catch (ValidationException e)
                {
                    problems.Add(e);
                }
                i = end + 1;
                consumed = i;
            }
            _pending.Remove(0, Math.Min(consumed, _pending.Length));
            return results;
        }

        /// <summary>True when text is left over that never became a complete JSON object.</summary>
        public bool HasIncompleteInput => _pending.ToString().IndexOf('{') >= 0;

        /// <summary>Turns one JSON object (envelope or SES notification) into rows.</summary>
        internal static IReadOnlyList<SesNotificationRecord> FromJson(JsonObject? json)
        {
            if (json == null) throw NotANotification("it is not a JSON object");
            string? snsId = null, topic = null;
            var type = json.Str("Type");
            if (type != null && json.ContainsKey("Message"))
            {
                if (type == "SubscriptionConfirmation" || type == "UnsubscribeConfirmation")
                    throw NotANotification($"it is an SNS {type} message, not a notification (confirm the subscription with the SubscribeURL it carries)");
                snsId = json.Str("MessageId");
                topic = json.Str("TopicArn");
                var message = json.Str("Message");
                JsonNode? inner;
                try
                {
                    inner = message == null ? null : JsonNode.Parse(message);
                }
                catch (JsonException e)
                {
                    throw NotANotification("its SNS Message is not JSON: " + e.Message);
                }
                json = inner as JsonObject;
                if (json == null) throw NotANotification("its SNS Message is not a JSON object");
            }

            var notificationType = json.Str("notificationType") ?? json.Str("eventType");
            if (notificationType == null)
                throw NotANotification("it has neither notificationType nor eventType (is it an SES notification?)");

            var mail = ReadMail(json["mail"] as JsonObject);
            var whole = json.Compact();
            var rows = new List<SesNotificationRecord>();
            SesNotificationRecord Row(string? address)
            {
                var row = new SesNotificationRecord
                {
                    NotificationType = notificationType, EmailAddress = address, Mail = mail, SnsMessageId = snsId, TopicArn = topic, Json = whole,
                };
                Unknown(json, KnownTop, "", row);
                Unknown(json["mail"] as JsonObject, KnownMail, "mail.", row);
                Unknown(json["mail"]?["commonHeaders"] as JsonObject, KnownCommon, "mail.commonHeaders.", row);
                rows.Add(row);
                return row;
            }

            switch (notificationType)
            {
                case "Bounce":
                {
                    var bounce = json["bounce"] as JsonObject;
                    var recipients = bounce.Items("bouncedRecipients");
                    foreach (var r in recipients.Count > 0 ? recipients.Cast<JsonNode?>() : new JsonNode?[] { null })
                    {
                        var row = Row(r.Str("emailAddress"));
                        row.Action = r.Str("action");
                        row.Status = r.Str("status");
                        row.DiagnosticCode = r.Str("diagnosticCode");
                        row.BounceType = bounce.Str("bounceType");
                        row.BounceSubType = bounce.Str("bounceSubType");
                        row.Timestamp = bounce.Time("timestamp");
                        row.FeedbackId = bounce.Str("feedbackId");
                        row.ReportingMta = bounce.Str("reportingMTA");
                        row.RemoteMtaIp = bounce.Str("remoteMtaIp");
                        Unknown(bounce, KnownBounce, "bounce.", row);
                        Unknown(r as JsonObject, KnownBounced, "bounce.bouncedRecipients[].", row);
                    }
                    break;
                }
                case "Complaint":
                {
                    var complaint = json["complaint"] as JsonObject;
                    var recipients = complaint.Items("complainedRecipients");
                    foreach (var r in recipients.Count > 0 ? recipients.Cast<JsonNode?>() : new JsonNode?[] { null })
                    {
                        var row = Row(r.Str("emailAddress"));
                        row.ComplaintFeedbackType = complaint.Str("complaintFeedbackType");
                        row.ComplaintSubType = complaint.Str("complaintSubType");
                        row.UserAgent = complaint.Str("userAgent");
                        row.Timestamp = complaint.Time("timestamp");
                        row.FeedbackId = complaint.Str("feedbackId");
                        Unknown(complaint, KnownComplaint, "complaint.", row);
                        Unknown(r as JsonObject, new HashSet<string> { "emailAddress" }, "complaint.complainedRecipients[].", row);
                    }
                    break;
                }
                case "Delivery":
                {
                    var delivery = json["delivery"] as JsonObject;
                    var recipients = delivery.Strings("recipients");
                    foreach (var address in recipients.Count > 0 ? recipients.Cast<string?>() : new string?[] { null })
                    {
                        var row = Row(address);
                        row.SmtpResponse = delivery.Str("smtpResponse");
                        row.ProcessingTimeMillis = delivery.Long("processingTimeMillis");
                        row.ReportingMta = delivery.Str("reportingMTA");
                        row.RemoteMtaIp = delivery.Str("remoteMtaIp");
                        row.Timestamp = delivery.Time("timestamp");
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
            var common = mail?["commonHeaders"];
            return new SesMailInfo
            {
                MessageId = mail.Str("messageId"),
                Source = mail.Str("source"),
                SourceArn = mail.Str("sourceArn"),
                SourceIp = mail.Str("sourceIp"),
                SendingAccountId = mail.Str("sendingAccountId"),
                CallerIdentity = mail.Str("callerIdentity"),
                Timestamp = mail.Time("timestamp"),
                Destination = mail.Strings("destination"),
                HeadersTruncated = mail.Bool("headersTruncated"),
                Headers = mail.Items("headers").Select(h => new SesMailHeader(h.Str("name") ?? "", h.Str("value") ?? "")).ToList(),
                From = common.Strings("from"),
                To = common.Strings("to"),
                Subject = common.Str("subject"),
                Date = common.Str("date"),
                HeaderMessageId = common.Str("messageId"),
                ReturnPath = common.Str("returnPath"),
            };
        }

        private static void Unknown(JsonObject? node, HashSet<string> known, string prefix, SesNotificationRecord row)
        {
            if (node == null) return;
            foreach (var pair in node)
            {
                if (known.Contains(pair.Key)) continue;
                row.AdditionalFields[prefix + pair.Key] = pair.Value == null ? "null" : pair.Value.Compact();
            }
        }

        /// <summary>The index of the brace closing the object that opens at <paramref name="start"/>, or -1 when the text ends first.</summary>
        private static int EndOfObject(string s, int start)
        {
            var depth = 0;
            var inString = false;
            for (var i = start; i < s.Length; i++)
            {
                var c = s[i];
                if (inString)
                {
                    if (c == '\\') i++;
                    else if (c == '"') inString = false;
                    continue;
                }
                if (c == '"') inString = true;
                else if (c == '{') depth++;
                else if (c == '}' && --depth == 0) return i;
            }
            return -1;
        }

        private static ValidationException NotANotification(string why)
            => new ValidationException("NotAnSesNotification", "The input is not an SES notification: " + why + ".");
    }
}
