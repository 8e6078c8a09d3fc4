using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace ChatBot.Host.Hosting;

/// <summary>
/// Encrypts each Data Protection key to the <c>DataProtection:CertificatePath</c> certificate before it is written
/// to the key ring: AES-256-GCM over the key's XML, the AES key wrapped with the certificate's RSA key (OAEP-SHA256).
/// The framework's own certificate encryptor cannot be used here: its decryptor finds certificates only through
/// options it keeps internal or the machine's certificate store, and our certificate is known only once
/// configuration is read, when the host is built.
/// </summary>
internal sealed class CertificateKeyXmlEncryptor(X509Certificate2 certificate) : IXmlEncryptor
{
    internal const string ElementName = "certificateEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var contentKey = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        try
        {
            using (var aes = new AesGcm(contentKey, tag.Length))
                aes.Encrypt(nonce, plaintext, ciphertext, tag);
            using var rsa = certificate.GetRSAPublicKey() ?? throw new InvalidOperationException("DataProtection:CertificatePath has no RSA key.");
            var wrapped = rsa.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256);
            var element = new XElement(ElementName,
                new XAttribute("thumbprint", certificate.Thumbprint),
                new XAttribute("wrappedKey", Convert.ToBase64String(wrapped)),
                new XAttribute("nonce", Convert.ToBase64String(nonce)),
                new XAttribute("tag", Convert.ToBase64String(tag)),
                Convert.ToBase64String(ciphertext));
            return new EncryptedXmlInfo(element, typeof(CertificateKeyXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Reverses <see cref="CertificateKeyXmlEncryptor"/>. Created by Data Protection from the type name recorded in the
/// key file, with the host's services, so it finds the certificate through <see cref="KeyRingCertificate"/>.
/// </summary>
public sealed class CertificateKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var thumbprint = (string?)encryptedElement.Attribute("thumbprint") ?? "";
        var certificate = services.GetService(typeof(KeyRingCertificate)) is KeyRingCertificate ring ? ring.Certificate : null;
        if (certificate is null || !string.Equals(certificate.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
            throw new CryptographicException(
                $"The key ring is encrypted to certificate {thumbprint}; set DataProtection:CertificatePath (and CertificatePassword) to that certificate.");

        var wrapped = Convert.FromBase64String((string)encryptedElement.Attribute("wrappedKey")!);
        var nonce = Convert.FromBase64String((string)encryptedElement.Attribute("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Attribute("tag")!);
        var ciphertext = Convert.FromBase64String(encryptedElement.Value);
        using var rsa = certificate.GetRSAPrivateKey() ?? throw new CryptographicException("DataProtection:CertificatePath has no RSA private key.");
        var contentKey = rsa.Decrypt(wrapped, RSAEncryptionPadding.OaepSHA256);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using (var aes = new AesGcm(contentKey, tag.Length))
                aes.Decrypt(nonce, ciphertext, tag, plaintext);
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
