using OcdsAws.Tests.Infrastructure;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Deliverability;
using Xunit;

namespace OcdsAws.Tests.Deliverability
{
    /// <summary>
    /// ConvertFrom-SesNotification on the examples of AWS's "Amazon SES notification contents" / "examples"
    /// pages, re-typed from the documented fields, plus the ways they arrive (SNS envelope, email body, files).
    /// </summary>
    public sealed class SesNotificationParsingTests
    {
        private const string Mail = """
            "mail":{
              "timestamp":"2016-01-27T14:59:38.237Z",
              "source":"john@example.com",
              "sourceArn":"arn:aws:ses:us-east-1:888888888888:identity/example.com",
              "sourceIp":"127.0.3.0",
              "sendingAccountId":"123456789012",
              "callerIdentity":"IAM_user_or_role_name",
              "messageId":"00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000",
              "destination":["jane@example.com","mary@example.com","richard@example.com"],
              "headersTruncated":false,
              "headers":[
                {"name":"From","value":"\"John Doe\" <john@example.com>"},
                {"name":"To","value":"\"Jane Doe\" <jane@example.com>, \"Mary Doe\" <mary@example.com>, \"Richard Doe\" <richard@example.com>"},
                {"name":"Message-ID","value":"custom-message-ID"},
                {"name":"Subject","value":"Hello"},
                {"name":"Content-Type","value":"text/plain; charset=\"UTF-8\""},
                {"name":"Content-Transfer-Encoding","value":"base64"},
                {"name":"Date","value":"Wed, 27 Jan 2016 14:05:45 +0000"}
              ],
              "commonHeaders":{
                "from":["John Doe <john@example.com>"],
                "date":"Wed, 27 Jan 2016 14:05:45 +0000",
                "to":["Jane Doe <jane@example.com>, Mary Doe <mary@example.com>, Richard Doe <richard@example.com>"],
                "messageId":"custom-message-ID",
                "subject":"Hello"
              }
            }
            """;

        internal static readonly string BouncePermanentGeneral = """
            {"notificationType":"Bounce",
             "bounce":{"bounceType":"Permanent","reportingMTA":"dns; email.example.com",
               "bouncedRecipients":[{"emailAddress":"jane@example.com","status":"5.1.1","action":"failed","diagnosticCode":"smtp; 550 5.1.1 <jane@example.com>... User"}],
               "bounceSubType":"General","timestamp":"2016-01-27T14:59:38.237Z",
               "feedbackId":"00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000","remoteMtaIp":"127.0.2.0"},
            """ + Mail + "}";

        private static readonly string BounceWithoutDsn = """
            {"notificationType":"Bounce",
             "bounce":{"bounceType":"Permanent","bounceSubType":"General",
               "bouncedRecipients":[{"emailAddress":"jane@example.com"},{"emailAddress":"richard@example.com"}],
               "timestamp":"2016-01-27T14:59:38.237Z","feedbackId":"00000137860315fd-869464a4-8680-4114-98d3-716fe35851f9-000000","remoteMtaIp":"127.0.2.0"},
            """ + Mail + "}";

        private static readonly string BounceSuppressed = """
            {"notificationType":"Bounce",
             "bounce":{"feedbackId":"0100017c6d1d2a4e-36b50b3a-d8d5-4c1b-9b6b-6f6c1e8e2c5b-000000","bounceType":"Permanent","bounceSubType":"Suppressed",
               "bouncedRecipients":[{"emailAddress":"jane@example.com","action":"failed","status":"5.1.1",
                 "diagnosticCode":"Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address. For more information about how to remove an address from the suppression list, see the Amazon SES Developer Guide: https://docs.aws.amazon.com/ses/latest/DeveloperGuide/remove-from-suppressionlist.html "}],
               "timestamp":"2016-01-27T14:59:38.237Z","reportingMTA":"dns; amazonses.com"},
            """ + Mail + "}";

        private static readonly string BounceTransientMailboxFull = """
            {"notificationType":"Bounce",
             "bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull","reportingMTA":"dns; email.example.com",
               "bouncedRecipients":[{"emailAddress":"mary@example.com","status":"4.2.2","action":"delayed","diagnosticCode":"smtp; 452 4.2.2 Mailbox full"}],
               "timestamp":"2016-01-27T14:59:38.237Z","feedbackId":"00000138111222aa-44455566-cccc-cccc-cccc-ddddaaaa068a-000000","remoteMtaIp":"127.0.2.0"},
            """ + Mail + "}";

        internal static readonly string ComplaintAbuse = """
            {"notificationType":"Complaint",
             "complaint":{"userAgent":"AnyCompany Feedback Loop (V0.01)","complainedRecipients":[{"emailAddress":"richard@example.com"}],
               "complaintFeedbackType":"abuse","arrivalDate":"2016-01-27T14:59:38.237Z","timestamp":"2016-01-27T14:59:38.237Z",
               "feedbackId":"000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000"},
            """ + Mail + "}";

        internal static readonly string Delivery = """
            {"notificationType":"Delivery",
            """ + Mail + """
            ,"delivery":{"timestamp":"2016-01-27T14:59:38.237Z","recipients":["jane@example.com"],"processingTimeMillis":546,
               "reportingMTA":"a8-70.smtp-out.amazonses.com","smtpResponse":"250 ok:  Message 64111812 accepted","remoteMtaIp":"127.0.2.0"}}
            """;

        private static List<SesNotificationRecord> Parse(string text)
        {
            var problems = new List<Exception>();
            var rows = new SesNotificationReader().Feed(text, problems).ToList();
            Assert.Empty(problems);
            return rows;
        }

        [Fact]
        public void A_permanent_general_bounce_gives_the_recipient_dsn_and_mail()
        {
            var row = Assert.Single(Parse(BouncePermanentGeneral));
            Assert.Equal(("Bounce", "jane@example.com", "failed", "5.1.1"), (row.NotificationType, row.EmailAddress, row.Action, row.Status));
            Assert.Equal("smtp; 550 5.1.1 <jane@example.com>... User", row.DiagnosticCode);
            Assert.Equal(("Permanent", "General"), (row.BounceType, row.BounceSubType));
            Assert.Equal(("dns; email.example.com", "127.0.2.0"), (row.ReportingMta, row.RemoteMtaIp));
            Assert.Equal(new DateTime(2016, 1, 27, 14, 59, 38, 237, DateTimeKind.Utc), row.Timestamp!.Value.ToUniversalTime());
            Assert.Equal("00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000", row.Mail.MessageId);
            Assert.Equal("john@example.com", row.Mail.Source);
            Assert.Equal(3, row.Mail.Destination.Count);
            Assert.Equal(7, row.Mail.Headers.Count);
            Assert.Equal("custom-message-ID", row.Mail.HeaderMessageId);
            Assert.Equal("Hello", row.Mail.Subject);
            Assert.Equal(new[] { "John Doe <john@example.com>" }, row.Mail.From);
            Assert.False(row.Mail.HeadersTruncated);
            Assert.Empty(row.AdditionalFields);
        }

        [Fact]
        public void A_bounce_without_dsn_gives_one_row_per_recipient()
        {
            var rows = Parse(BounceWithoutDsn);
            Assert.Equal(new[] { "jane@example.com", "richard@example.com" }, rows.Select(r => r.EmailAddress));
            Assert.All(rows, r => Assert.Null(r.Status));
            Assert.Same(rows[0].Mail, rows[1].Mail);
        }

        [Fact]
        public void Suppressed_and_transient_bounces_keep_their_subtypes()
        {
            var suppressed = Assert.Single(Parse(BounceSuppressed));
            Assert.Equal(("Permanent", "Suppressed"), (suppressed.BounceType, suppressed.BounceSubType));
            Assert.Contains("suppressed sending to this address", suppressed.DiagnosticCode);
            var full = Assert.Single(Parse(BounceTransientMailboxFull));
            Assert.Equal(("Transient", "MailboxFull", "4.2.2", "mary@example.com"), (full.BounceType, full.BounceSubType, full.Status, full.EmailAddress));
        }

        [Fact]
        public void A_complaint_gives_the_feedback_type()
        {
            var row = Assert.Single(Parse(ComplaintAbuse));
            Assert.Equal(("Complaint", "richard@example.com", "abuse"), (row.NotificationType, row.EmailAddress, row.ComplaintFeedbackType));
            Assert.Equal("AnyCompany Feedback Loop (V0.01)", row.UserAgent);
            Assert.Null(row.BounceType);
            // arrivalDate is documented and kept as a known field, not an additional one.
            Assert.Empty(row.AdditionalFields);
        }

        [Fact]
        public void A_delivery_gives_the_smtp_response_and_timing()
        {
            var row = Assert.Single(Parse(Delivery));
            Assert.Equal(("Delivery", "jane@example.com", 546L), (row.NotificationType, row.EmailAddress, row.ProcessingTimeMillis!.Value));
            Assert.Equal("250 ok:  Message 64111812 accepted", row.SmtpResponse);
            Assert.Equal("a8-70.smtp-out.amazonses.com", row.ReportingMta);
        }

        [Fact]
        public void An_sns_envelope_is_unwrapped_and_its_ids_kept()
        {
            var envelope = new JsonObject
            {
                ["Type"] = "Notification",
                ["MessageId"] = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
                ["TopicArn"] = "arn:aws:sns:eu-central-1:123456789012:ses-notifications",
                ["Message"] = ComplaintAbuse,
                ["Timestamp"] = "2016-01-27T14:59:38.500Z",
                ["SignatureVersion"] = "1",
                ["Signature"] = "EXAMPLEpH+..",
                ["SigningCertURL"] = "https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
                ["UnsubscribeURL"] = "https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-central-1:123456789012:ses-notifications:1",
            }.ToJsonString();
            var row = Assert.Single(Parse(envelope));
            Assert.Equal(("Complaint", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324"), (row.NotificationType, row.SnsMessageId));
            Assert.Equal("arn:aws:sns:eu-central-1:123456789012:ses-notifications", row.TopicArn);
        }

        [Fact]
        public void An_email_subscription_body_is_read_past_the_sns_footer()
        {
            var body = BouncePermanentGeneral + "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n"
                + "https://sns.eu-central-1.amazonaws.com/unsubscribe.html?SubscriptionArn=arn:aws:sns:eu-central-1:123456789012:ses-notifications:1&Endpoint=ops@example.org\n\n"
                + "Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support\n";
            var row = Assert.Single(Parse(body));
            Assert.Equal("jane@example.com", row.EmailAddress);
        }

        [Fact]
        public void Unknown_fields_are_kept_never_fatal()
        {
            var json = JsonNode.Parse(BouncePermanentGeneral)!.AsObject();
            json["bounce"]!["newField"] = new JsonObject { ["x"] = 1 };
            json["bounce"]!["bouncedRecipients"]![0]!["smtpStatus"] = "550";
            json["eventSource"] = "future";
            var row = Assert.Single(Parse(json.ToJsonString()));
            Assert.Equal("{\"x\":1}", row.AdditionalFields["bounce.newField"]);
            Assert.Equal("\"550\"", row.AdditionalFields["bounce.bouncedRecipients[].smtpStatus"]);
            Assert.Equal("\"future\"", row.AdditionalFields["eventSource"]);
            Assert.Equal("5.1.1", row.Status);
        }

        [Fact]
        public void A_file_of_many_notifications_streams_through_the_cmdlet_line_by_line_and_by_path()
        {
            var file = Path.Combine(Path.GetTempPath(), "ocds-notifications-" + Guid.NewGuid().ToString("n") + ".json");
            // Pretty-printed notifications one after another, as a log of SNS messages would hold them.
            File.WriteAllText(file, string.Join("\n", new[] { BouncePermanentGeneral, BounceWithoutDsn, ComplaintAbuse, Delivery }
                .Select(n => JsonNode.Parse(n)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }))));
            try
            {
                var vars = new Dictionary<string, object?> { ["file"] = file };
                var lines = PowerShellHost.Run("Get-Content -LiteralPath $file | ConvertFrom-SesNotification", vars);
                Assert.Empty(lines.Errors);
                Assert.Equal(new[] { "Bounce", "Bounce", "Bounce", "Complaint", "Delivery" },
                    lines.Output.Select(o => ((SesNotificationRecord)o.BaseObject).NotificationType));

                var byPath = PowerShellHost.Run("Get-Item -LiteralPath $file | ConvertFrom-SesNotification", vars);
                Assert.Empty(byPath.Errors);
                Assert.Equal(5, byPath.Output.Count);

                var raw = PowerShellHost.Run("Get-Content -Raw -LiteralPath $file | ConvertFrom-SesNotification | Where-Object BounceType -eq Permanent | Select-Object -ExpandProperty EmailAddress", vars);
                Assert.Equal(new[] { "jane@example.com", "jane@example.com", "richard@example.com" }, raw.Output.Select(o => o.ToString()));
            }
            finally
            {
                File.Delete(file);
            }
        }

        [Theory]
        [InlineData("{\"hello\":\"world\"}", "NotAnSesNotification")]
        [InlineData("just some text", "NotAnSesNotification")]
        [InlineData("{\"notificationType\":\"Bounce\",", "IncompleteNotification")]
        [InlineData("{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"You have chosen to subscribe\",\"SubscribeURL\":\"https://sns.example/confirm\"}", "NotAnSesNotification")]
        public void Input_that_is_not_a_notification_is_a_clear_error(string input, string errorId)
        {
            var r = PowerShellHost.Run("ConvertFrom-SesNotification -InputObject $text", new Dictionary<string, object?> { ["text"] = input });
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws." + errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void A_bad_item_among_good_ones_is_one_error_and_the_rest_go_on()
        {
            var r = PowerShellHost.Run("$items | ConvertFrom-SesNotification",
                new Dictionary<string, object?> { ["items"] = new[] { Delivery, "{\"not\":\"ses\"}", ComplaintAbuse } });
            Assert.Single(r.Errors);
            Assert.Equal(2, r.Output.Count);
        }

        // ---- Issue #16 items 9 and 11: hostile input ----

        [Theory]
        [InlineData("{\"notificationType\":\"Bounce\",\"mail\":\"x\",\"bounce\":{\"bounceType\":\"Permanent\"}}", "'mail'")]
        [InlineData("{\"notificationType\":\"Bounce\",\"bounce\":[1,2]}", "'bounce'")]
        [InlineData("{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[\"jane@example.com\"]}}", "'bounce.bouncedRecipients[0]'")]
        [InlineData("{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":{\"emailAddress\":\"jane@example.com\"}}}", "'bounce.bouncedRecipients'")]
        [InlineData("{\"notificationType\":\"Bounce\",\"bounce\":{\"timestamp\":1e300}}", "'bounce.timestamp'")]
        [InlineData("{\"notificationType\":\"Complaint\",\"complaint\":{\"timestamp\":\"not a date\"}}", "'complaint.timestamp'")]
        [InlineData("{\"notificationType\":\"Bounce\",\"notificationType\":\"Complaint\"}", "'notificationType' twice")]
        [InlineData("{\"notificationType\":\"Delivery\",\"mail\":{\"source\":\"a@example.org\",\"source\":\"b@example.org\"}}", "'mail.source' twice")]
        [InlineData("{\"notificationType\":\"Delivery\",\"mail\":{\"commonHeaders\":\"x\"}}", "'mail.commonHeaders'")]
        [InlineData("{\"notificationType\":\"Delivery\",\"mail\":{\"headers\":[{\"name\":1,\"value\":\"v\"}]}}", "'mail.headers[0].name'")]
        [InlineData("{\"notificationType\":\"Delivery\",\"delivery\":{\"recipients\":\"jane@example.com\"}}", "'delivery.recipients'")]
        [InlineData("{\"notificationType\":\"Delivery\",\"delivery\":{\"processingTimeMillis\":\"fast\"}}", "'delivery.processingTimeMillis'")]
        [InlineData("{\"notificationType\":\"Delivery\",\"delivery\":{\"processingTimeMillis\":1e30}}", "'delivery.processingTimeMillis'")]
        [InlineData("{\"notificationType\":7}", "'notificationType'")]
        [InlineData("{\"Type\":\"Notification\",\"Message\":{\"notificationType\":\"Bounce\"}}", "'Message'")]
        public void A_field_of_the_wrong_json_type_is_one_error_naming_it_and_the_next_input_is_still_read(string bad, string field)
        {
            var r = PowerShellHost.Run("$items | ConvertFrom-SesNotification",
                new Dictionary<string, object?> { ["items"] = new[] { bad, Delivery } });
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.InvalidNotificationField,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(field, error.Exception.Message, StringComparison.Ordinal);
            var row = Assert.Single(r.Output);
            Assert.Equal("Delivery", ((SesNotificationRecord)row.BaseObject).NotificationType);
        }

        [Theory]
        [InlineData("Dear {customer,\nyour bounce is below.\n")]
        [InlineData("Prices { from 5 EUR\n")]
        [InlineData("{\"unfinished\": [1, 2,\nthen prose\n")]
        [InlineData("a \"quote { that never closes\n")]
        public void An_unclosed_brace_before_a_notification_does_not_hide_it(string prose)
        {
            var whole = Parse(prose + Delivery + "\n--\nfooter\n");
            Assert.Equal("jane@example.com", Assert.Single(whole).EmailAddress);

            var reader = new SesNotificationReader();
            var problems = new List<Exception>();
            var byLine = (prose + Delivery).Split('\n').SelectMany(line => reader.Feed(line, problems)).ToList();
            Assert.Empty(problems);
            Assert.Equal("jane@example.com", Assert.Single(byLine).EmailAddress);
            Assert.False(reader.HasIncompleteInput);
        }

        [Fact]
        public void A_notification_spread_over_50000_lines_is_read_in_linear_time()
        {
            // One JSON object over 50,000 lines, fed line by line as Get-Content sends them: each line used to copy
            // and rescan everything before it (20,000 lines: 17 s; 50,000: over 50 s).
            var lines = new List<string> { "{\"notificationType\":\"Delivery\",", "\"mail\":{\"messageId\":\"m-1\",\"headers\":[" };
            for (var i = 0; i < 50_000; i++) lines.Add($"{{\"name\":\"X-Line-{i}\",\"value\":\"{{ value }} {i}\"}}{(i < 49_999 ? "," : "")}");
            lines.Add("]},\"delivery\":{\"recipients\":[\"jane@example.com\"]}}");
            var reader = new SesNotificationReader();
            var problems = new List<Exception>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var rows = lines.SelectMany(line => reader.Feed(line, problems)).ToList();
            clock.Stop();
            Assert.Empty(problems);
            var row = Assert.Single(rows);
            Assert.Equal(50_000, row.Mail.Headers.Count);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.Elapsed.TotalSeconds:0.0} s for 50,000 lines");
        }

        [Fact]
        public void A_missing_file_is_an_object_not_found_error()
        {
            var r = PowerShellHost.Run("ConvertFrom-SesNotification -Path ([IO.Path]::Combine([IO.Path]::GetTempPath(), 'no-such-notifications.json'))");
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("OcdsAws.FileNotFound", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        }
    }
}
