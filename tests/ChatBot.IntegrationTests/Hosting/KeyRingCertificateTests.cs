using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Hosting;

/// <summary>
/// The Data Protection key ring at rest: with <c>DataProtection:CertificatePath</c> the key files on disk hold only
/// ciphertext, a second instance with the same certificate reads what the first protected, and a wrong password
/// stops the host naming the key.
/// </summary>
public sealed class KeyRingCertificateTests : IDisposable
{
    private const string Password = "pfx-pass-for-test";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatbot-keyring-" + Guid.NewGuid().ToString("N"));

    public KeyRingCertificateTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    private string KeysDirectory => Path.Combine(_folder, "keys");

    private string WriteCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=chatbot-keyring-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, "keyring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }

    private ChatBotFactory Host(string? certificate, string? password = Password)
    {
        var factory = new ChatBotFactory()
            .WithSetting("GroupChats:KeysDirectory", KeysDirectory)
            .WithSetting("GroupChats:WorkerEnabled", "false");
        if (certificate is not null)
            factory.WithSetting("DataProtection:CertificatePath", certificate).WithSetting("DataProtection:CertificatePassword", password);
        return factory;
    }

    [Fact]
    public async Task KeyFiles_HoldNoPlaintextKey_AndAnotherInstanceWithTheCertificateReadsThem_WhenCertificateIsConfigured()
    {
        var certificate = WriteCertificate();
        string protectedText;
        await using (var first = Host(certificate))
            protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("https://oapi.dingtalk.com/robot/send?access_token=secret-token");

        var keyXml = string.Concat(Directory.GetFiles(KeysDirectory, "*.xml").Select(File.ReadAllText));
        Assert.Contains("CertificateKeyXmlDecryptor", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("unencrypted form", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", keyXml, StringComparison.Ordinal);

        await using var second = Host(certificate);
        Assert.Equal("https://oapi.dingtalk.com/robot/send?access_token=secret-token",
            second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
    }

    [Fact]
    public async Task KeyFiles_AreUnencrypted_WhenNoCertificateIsConfigured()
    {
        // The contrast that makes the test above mean something: the default ring is readable XML.
        await using (var host = Host(certificate: null))
            host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("x");

        var keyXml = string.Concat(Directory.GetFiles(KeysDirectory, "*.xml").Select(File.ReadAllText));
        Assert.Contains("<masterKey", keyXml, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_FailsNamingTheKey_WhenCertificatePasswordIsWrong()
    {
        var certificate = WriteCertificate();
        using var factory = Host(certificate, password: "wrong");

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("DataProtection:CertificatePassword", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message.Replace("DataProtection", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_FailsNamingTheKey_WhenCertificateFileIsMissing()
    {
        using var factory = Host(Path.Combine(_folder, "missing.pfx"));

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("DataProtection:CertificatePath", error.ToString(), StringComparison.Ordinal);
    }
}
