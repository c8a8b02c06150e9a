using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Notifications
{
    /// <summary>Sends an SES identity's bounce and complaint (and optionally delivery) notifications to an SNS topic.</summary>
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
        protected override void ProcessItem()
        {
            var region = Clients.Session.Region.SystemName;
            if (!TryRead(() => NotificationInput.Identity(Identity), Identity, out var identity)
                || !TryRead(() => NotificationInput.TopicArn(TopicArn, region), TopicArn, out var topicArn)) return;

            // ValidateSet ignores case; SES wants the exact spelling.
            var types = NotificationType.Select(t => new[] { "Bounce", "Complaint", "Delivery" }.First(v => string.Equals(v, t, System.StringComparison.OrdinalIgnoreCase)))
                .Distinct().ToList();
            var service = new SesNotificationService(Clients, Messages);
            if (!ShouldProcess(identity, $"Send SES {string.Join(" and ", types)} notifications to {topicArn} (its policy lets SES publish for {identity}), original headers {(IncludeOriginalHeaders ? "included" : "left out")}")) return;
            ForItem(identity, () => WriteObject(Run(ct => service.SetAsync(identity, topicArn, types, IncludeOriginalHeaders, ct))));
        }
    }
}
