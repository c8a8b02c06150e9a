using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Notifications
{
    /// <summary>
    /// <para type="synopsis">Creates the SNS topic that SES publishes an identity's bounces and complaints to, and subscribes email addresses to it.</para>
    /// <para type="description">Makes a standard topic (by default named after the identity: data@open-contracting.org becomes data-open-contracting-org) whose policy keeps SNS's owner statement and lets ses.amazonaws.com publish for this account (AWS:SourceAccount) and this identity only (AWS:SourceArn, the identity's ARN); the policy of an existing topic keeps its other statements and the identities it already lists. Each -SubscribeEmail address gets an email subscription, pending until the link in SNS's confirmation mail is clicked. Safe to re-run: nothing that exists is created again, and the policy is written only when it does not yet let SES publish for the identity. Pipe the result into Set-SesIdentityNotification.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SesNotificationTopic", SupportsShouldProcess = true)]
    [OutputType(typeof(SesNotificationTopic))]
    public sealed class NewSesNotificationTopicCommand : OcdsAwsCmdlet
    {
        private IReadOnlyList<string> _subscribe = new string[0];

        /// <summary>The SES identity (email address or domain) whose notifications the topic receives.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity", "Domain", "EmailAddress")]
        [ArgumentCompleter(typeof(SesIdentityCompleter))]
        public string Identity { get; set; } = "";

        /// <summary>The topic name (1-256 letters, digits, hyphens, underscores). Default: the identity with every other character replaced by a hyphen.</summary>
        [Parameter(Position = 1)]
        [Alias("TopicName")]
        public string? Name { get; set; }

        /// <summary>Email addresses to subscribe; addresses already subscribed are skipped.</summary>
        [Parameter]
        public string[]? SubscribeEmail { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // The same addresses go to every piped identity: a bad one stops the cmdlet before any call.
            try
            {
                _subscribe = NotificationInput.SubscriptionAddresses(SubscribeEmail);
            }
            catch (ValidationException e)
            {
                Fail(e, SubscribeEmail);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string identity, name;
            try
            {
                identity = NotificationInput.Identity(Identity);
                name = Name == null ? NotificationInput.DefaultTopicName(identity) : NotificationInput.TopicName(Name);
            }
            catch (ValidationException e)
            {
                WriteFailure(e, Identity);
                return;
            }

            var service = new SesNotificationService(Clients, Messages); // on the pipeline thread: resolving the session may write Debug
            var subscribe = _subscribe.Count == 0 ? "" : $", subscribe {string.Join(", ", _subscribe)}";
            if (!ShouldProcess($"SNS topic {name} in {service.Region}", $"Create or update the topic for SES notifications of {identity} (policy: ses.amazonaws.com may publish for {identity}{subscribe})")) return;
            ForItem(identity, () => WriteObject(Run(ct => service.NewTopicAsync(identity, name, _subscribe, ct))));
        }
    }

    /// <summary>
    /// <para type="synopsis">Sends an SES identity's bounce and complaint (and optionally delivery) notifications to an SNS topic.</para>
    /// <para type="description">Adds the identity to the SES statement of the topic's policy (AWS:SourceArn) unless it is there, then calls SES classic SetIdentityNotificationTopic and SetIdentityHeadersInNotificationsEnabled for each -NotificationType, skipping what is already set, then returns what SES reports (GetIdentityNotificationAttributes). The topic must be in the identity's region. Accepts the output of New-SesNotificationTopic from the pipeline.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SesIdentityNotification", SupportsShouldProcess = true)]
    [OutputType(typeof(SesIdentityNotification))]
    public sealed class SetSesIdentityNotificationCommand : OcdsAwsCmdlet
    {
        /// <summary>The verified SES identity (email address or domain).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("EmailIdentity", "Domain", "EmailAddress")]
        [ArgumentCompleter(typeof(SesIdentityCompleter))]
        public string Identity { get; set; } = "";

        /// <summary>The SNS topic's ARN, in the identity's region.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("SnsTopic")]
        public string TopicArn { get; set; } = "";

        /// <summary>Bounce, Complaint, Delivery; default Bounce and Complaint.</summary>
        [Parameter]
        [ValidateSet("Bounce", "Complaint", "Delivery")]
        public string[] NotificationType { get; set; } = { "Bounce", "Complaint" };

        /// <summary>Whether notifications carry the original mail's headers (default $true, as the runbook does).</summary>
        [Parameter]
        public bool IncludeOriginalHeaders { get; set; } = true;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string identity, topicArn;
            try
            {
                identity = NotificationInput.Identity(Identity);
                topicArn = NotificationInput.TopicArn(TopicArn, Clients.Session.Region.SystemName);
            }
            catch (ValidationException e)
            {
                WriteFailure(e, Identity);
                return;
            }

            // ValidateSet ignores case; SES wants the exact spelling.
            var types = NotificationType.Select(t => new[] { "Bounce", "Complaint", "Delivery" }.First(v => string.Equals(v, t, System.StringComparison.OrdinalIgnoreCase)))
                .Distinct().ToList();
            var service = new SesNotificationService(Clients, Messages); // on the pipeline thread: resolving the session may write Debug
            if (!ShouldProcess(identity, $"Send SES {string.Join(" and ", types)} notifications to {topicArn} (its policy lets SES publish for {identity}), original headers {(IncludeOriginalHeaders ? "included" : "left out")}")) return;
            ForItem(identity, () => WriteObject(Run(ct => service.SetAsync(identity, topicArn, types, IncludeOriginalHeaders, ct))));
        }
    }
}
