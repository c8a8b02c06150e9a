using System;
using System.Reflection;
using Amazon.Runtime;

namespace OcdsAws.Aws
{
    /// <summary>
    /// AWSCredentials from another copy of AWSSDK.Core (AWS.Tools' copy in the default load context,
    /// while ours lives in a private one): same type name, different type. We call the object's own
    /// GetCredentials() on every request, so refreshing credentials (assume-role, SSO) keep refreshing.
    /// </summary>
    internal sealed class ForeignCredentials : AWSCredentials
    {
        private readonly object _inner;
        private readonly MethodInfo _getCredentials;

        private ForeignCredentials(object inner, MethodInfo getCredentials)
        {
            _inner = inner;
            _getCredentials = getCredentials;
        }

        /// <summary>The type name of the wrapped object, for "where did the credentials come from".</summary>
        public string InnerTypeName => _inner.GetType().Name;

        /// <summary>Adapts an object that looks like AWSCredentials; null if it does not.</summary>
        public static AWSCredentials? TryAdapt(object? value)
        {
            if (value == null) return null;
            if (value is AWSCredentials ours) return ours;
            for (var type = value.GetType(); type != null; type = type.BaseType)
            {
                if (type.FullName != "Amazon.Runtime.AWSCredentials") continue;
                var method = value.GetType().GetMethod("GetCredentials", Type.EmptyTypes);
                return method == null ? null : new ForeignCredentials(value, method);
            }
            return null;
        }

        public override ImmutableCredentials GetCredentials()
        {
            // The object is the user's (any class of that name): what it throws, or gives back, is reported as its failure,
            // never as a raw reflection exception.
            try
            {
                var credentials = _getCredentials.Invoke(_inner, null)
                    ?? throw Failed("returned nothing");
                string? Read(string name) => credentials.GetType().GetProperty(name)?.GetValue(credentials) as string;
                return new ImmutableCredentials(Read("AccessKey"), Read("SecretKey"), Read("Token"));
            }
            catch (TargetInvocationException e)
            {
                throw Failed($"threw {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
            }
            catch (Exception e) when (e is ArgumentException || e is TargetParameterCountException || e is MethodAccessException)
            {
                throw Failed($"could not be read ({e.GetType().Name})");
            }
        }

        private CredentialObjectException Failed(string what)
            => new CredentialObjectException(
                $"The credentials object ({InnerTypeName}) {what}. Give credentials that work: Get-AWSCredential, a profile (-ProfileName) or keys.");
    }

    /// <summary>The user's credentials object failed to give credentials (the cmdlet boundary makes it an authentication error).</summary>
    internal sealed class CredentialObjectException : Exception
    {
        public CredentialObjectException(string message)
            : base(ErrorText.CutLongQuotes(message))
        {
        }
    }
}
