using System;
using System.Management.Automation;

namespace OcdsAws.Smtp
{
    /// <summary>
    /// Lets a SecureString parameter take a plain string too. Without it PowerShell's own binding error
    /// ("Cannot convert the "…" value of type System.String…") would print the secret into the error
    /// stream and the transcript.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject ps ? ps.BaseObject : inputData;
            return value is string text ? SmtpPassword.Protect(text) : value;
        }
    }
}
