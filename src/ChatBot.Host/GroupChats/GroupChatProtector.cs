using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ChatBot.Host.GroupChats;

/// <summary>The plaintext credentials of one group robot, only ever held in memory for a send.</summary>
public sealed record GroupRobotCredentials(string WebhookUrl, string? Secret);

/// <summary>
/// Encrypts group robot webhook URLs and secrets at rest with ASP.NET Core Data Protection (keys in <c>data/keys</c>,
/// or in Redis when configured). The webhook URL alone is enough to post into a group, so it is a secret too.
/// </summary>
public sealed class GroupChatProtector(IDataProtectionProvider provider)
{
    // Versioned purpose: changing how credentials are stored later means a new purpose, not a silent mismatch.
    private readonly IDataProtector _protector = provider.CreateProtector("ChatBot.GroupChats.RobotCredentials.v1");

    public string? Protect(string? plaintext) => string.IsNullOrEmpty(plaintext) ? null : _protector.Protect(plaintext);

    /// <summary>Null when the value cannot be read (lost or foreign key ring); the caller reports the chat as broken.</summary>
    public string? TryUnprotect(string? protectedValue)
    {
        if (string.IsNullOrEmpty(protectedValue))
            return null;
        try
        {
            return _protector.Unprotect(protectedValue);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
