using System;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;

namespace OcdsAws.Aws
{
    // The official SDK clients, subclassed only to add OcdsAws's handlers (CallHandlers.AddTo says where).
    // Field initialisers run before the base constructor, which is where pipelines are customised.

    /// <summary>STS with the call log.</summary>
    internal sealed class LoggedStsClient : AmazonSecurityTokenServiceClient
    {
        private readonly CallLogHandler _callLog = new CallLogHandler();

        public LoggedStsClient(AWSCredentials credentials, AmazonSecurityTokenServiceConfig config, Action<AwsCallRecord>? observer)
            : base(credentials, config) => _callLog.Observer = observer;

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            CallHandlers.AddTo(pipeline, _callLog);
        }
    }

    /// <summary>EC2 with the call log.</summary>
    internal sealed class LoggedEc2Client : AmazonEC2Client
    {
        private readonly CallLogHandler _callLog = new CallLogHandler();

        public LoggedEc2Client(AWSCredentials credentials, AmazonEC2Config config, Action<AwsCallRecord>? observer)
            : base(credentials, config) => _callLog.Observer = observer;

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            CallHandlers.AddTo(pipeline, _callLog);
        }
    }

    /// <summary>S3 with the call log.</summary>
    internal sealed class LoggedS3Client : AmazonS3Client
    {
        private readonly CallLogHandler _callLog = new CallLogHandler();

        public LoggedS3Client(AWSCredentials credentials, AmazonS3Config config, Action<AwsCallRecord>? observer)
            : base(credentials, config) => _callLog.Observer = observer;

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            CallHandlers.AddTo(pipeline, _callLog);
        }
    }

    /// <summary>SSM with the call log (the public AMI parameters for the Aurora bastion).</summary>
    internal sealed class LoggedSsmClient : AmazonSimpleSystemsManagementClient
    {
        private readonly CallLogHandler _callLog = new CallLogHandler();

        public LoggedSsmClient(AWSCredentials credentials, AmazonSimpleSystemsManagementConfig config, Action<AwsCallRecord>? observer)
            : base(credentials, config) => _callLog.Observer = observer;

        protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
        {
            base.CustomizeRuntimePipeline(pipeline);
            CallHandlers.AddTo(pipeline, _callLog);
        }
    }
}
