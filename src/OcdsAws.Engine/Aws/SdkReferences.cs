using System;

namespace OcdsAws.Aws
{
    /// <summary>
    /// Binds this assembly's references to the module's own SDK copies (DependencyLoader.cs calls it at import): a
    /// resolved reference is cached per assembly, so a Core that AWS.Tools loads into the default context later can
    /// never be picked up half-way.
    /// </summary>
    internal static class SdkReferences
    {
        internal static void Pin()
        {
            // Small types: binding the reference is the point, and a client type (EC2's has ~1,500 methods) costs
            // milliseconds to load at import.
            GC.KeepAlive(new[]
            {
                typeof(Amazon.Runtime.AWSCredentials), typeof(Amazon.EC2.AmazonEC2Config), typeof(Amazon.S3.AmazonS3Config),
                typeof(Amazon.SecurityToken.AmazonSecurityTokenServiceConfig), typeof(Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig),
            });
        }
    }
}
