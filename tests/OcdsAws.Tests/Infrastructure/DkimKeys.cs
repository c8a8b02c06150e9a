using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>DKIM keys made here for the tests that sign messages, and the TXT records that publish them.</summary>
    public static class DkimKeys
    {
        /// <summary>A new RSA key pair (1024 bits: enough for a test, and quick to make).</summary>
        public static AsymmetricCipherKeyPair NewRsaKey()
        {
            var generator = new RsaKeyPairGenerator();
            generator.Init(new KeyGenerationParameters(new SecureRandom(), 1024));
            return generator.GenerateKeyPair();
        }

        /// <summary>The key record (RFC 6376 §3.6.1) of <paramref name="key"/>: <paramref name="tags"/>, then p= the public key.</summary>
        public static string KeyRecord(AsymmetricCipherKeyPair key, string tags = "v=DKIM1; k=rsa")
            => tags + "; p=" + Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Public).GetEncoded());
    }
}
