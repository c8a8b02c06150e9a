using System.Collections.Generic;
using System.Management.Automation;

namespace OcdsAws.Notifications
{
    /// <summary>Creates the SNS topic that SES publishes an identity's bounces and complaints to, and subscribes email addresses to it.</summary>
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
        protected override void ValidateParameters()
        {
            // The same addresses go to every piped identity: a bad one stops the cmdlet before any call.
            _subscribe = NotificationInput.SubscriptionAddresses(SubscribeEmail);
        }

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (!TryRead(() => NotificationInput.Identity(Identity), Identity, out var identity)
                || !TryRead(() => Name == null ? NotificationInput.DefaultTopicName(identity) : NotificationInput.TopicName(Name), Name, out var name)) return;
            var service = new SesNotificationService(Clients, Messages);
            var subscribe = _subscribe.Count == 0 ? "" : $", subscribe {string.Join(", ", _subscribe)}";
            if (!ShouldProcess($"SNS topic {name} in {service.Region}", $"Create or update the topic for SES notifications of {identity} (policy: ses.amazonaws.com may publish for {identity}{subscribe})")) return;
            ForItem(identity, () => WriteObject(Run(ct => service.NewTopicAsync(identity, name, _subscribe, ct))));
        }
    }
}
