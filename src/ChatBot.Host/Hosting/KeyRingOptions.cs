using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Hosting;

/// <summary>
/// Protection of the Data Protection key ring at rest (<c>DataProtection</c> section). Without a certificate the
/// keys that decrypt every stored robot webhook and secret sit in plain XML in <c>GroupChats:KeysDirectory</c> or
/// Redis; with one, each key is encrypted to the certificate and only a host holding its private key can use it.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A PKCS#12 (.pfx/.p12) file with an RSA private key; relative paths are under the content root. Empty = keys stored unencrypted.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The file's password; pass it through the environment (<c>DataProtection__CertificatePassword</c>).</summary>
    public string CertificatePassword { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}

/// <summary>Loads the configured certificate once; the validator has already proved it loads.</summary>
public sealed class KeyRingCertificate(IOptions<KeyRingOptions> options, IHostEnvironment environment) : IDisposable
{
    private readonly Lazy<X509Certificate2?> _certificate = new(() => Load(options.Value, environment.ContentRootPath));

    public X509Certificate2? Certificate => _certificate.Value;

    internal static X509Certificate2? Load(KeyRingOptions settings, string contentRoot)
    {
        if (!settings.Enabled)
            return null;
        var path = Path.GetFullPath(Path.Combine(contentRoot, settings.CertificatePath));
        return X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(settings.CertificatePassword) ? null : settings.CertificatePassword);
    }

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
            _certificate.Value?.Dispose();
    }
}

/// <summary>Start-up check: the file exists, the password opens it, and it carries an RSA private key.</summary>
public sealed class KeyRingOptionsValidator(IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
{
    private const string Section = KeyRingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.CertificatePath));
        if (!File.Exists(path))
            return ValidateOptionsResult.Fail($"{Section}:CertificatePath points at a file that does not exist ('{path}').");
        try
        {
            using var certificate = KeyRingCertificate.Load(options, environment.ContentRootPath)!;
            using var key = certificate.GetRSAPrivateKey();
            return key is null
                ? ValidateOptionsResult.Fail($"{Section}:CertificatePath must be a certificate with an RSA private key ('{path}').")
                : ValidateOptionsResult.Success;
        }
        catch (CryptographicException)
        {
            // The message would not say more than this; it never includes the password.
            return ValidateOptionsResult.Fail($"{Section}:CertificatePassword does not open {Section}:CertificatePath ('{path}'), or the file is not PKCS#12.");
        }
    }
}
