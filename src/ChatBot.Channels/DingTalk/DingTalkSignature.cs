using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.DingTalk;

public enum DingTalkSignatureResult
{
    Ok = 0,
    /// <summary>The <c>timestamp</c> or <c>sign</c> header is absent, or the timestamp is not a number.</summary>
    Missing = 1,
    /// <summary>The signature is right but the timestamp is too far from our clock (replay, or clock drift).</summary>
    Stale = 2,
    Mismatch = 3,
}

/// <summary>
/// DingTalk robot signatures. Inbound: the enterprise robot's HTTP callback carries headers <c>timestamp</c> (ms) and
/// <c>sign</c> = Base64(HMAC-SHA256(key = AppSecret, timestamp + "\n" + AppSecret)). Outbound: the custom group
/// robot's 加签 appends the same HMAC (keyed by the robot's SEC… secret), URL-encoded, to the webhook URL.
/// </summary>
public sealed class DingTalkSignature(IOptions<DingTalkOptions> options, TimeProvider time)
{
    public DingTalkSignatureResult Verify(string? timestampHeader, string? signHeader)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signHeader)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestampMs))
            return DingTalkSignatureResult.Missing;

        var settings = options.Value;
        var expected = Encoding.ASCII.GetBytes(ComputeSign(timestampHeader, settings.AppSecret));
        var actual = Encoding.UTF8.GetBytes(signHeader);
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            return DingTalkSignatureResult.Mismatch;

        // Checked after the signature so that Stale always means "genuine but old": a clock problem, not an attacker.
        var skewMs = Math.Abs(time.GetUtcNow().ToUnixTimeMilliseconds() - timestampMs);
        return skewMs > (long)settings.MaxClockSkew.TotalMilliseconds ? DingTalkSignatureResult.Stale : DingTalkSignatureResult.Ok;
    }

    /// <summary>Base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)), not URL-encoded.</summary>
    public static string ComputeSign(string timestamp, string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(timestamp + "\n" + secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, data));
    }

    /// <summary>
    /// Appends <c>timestamp</c> and the URL-encoded <c>sign</c> to a custom robot webhook URL. DingTalk rejects a
    /// timestamp more than an hour away from its clock, so sign right before each send.
    /// </summary>
    public static string SignWebhookUrl(string webhookUrl, string secret, long timestampMs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookUrl);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var timestamp = timestampMs.ToString(CultureInfo.InvariantCulture);
        var sign = Uri.EscapeDataString(ComputeSign(timestamp, secret));
        var separator = webhookUrl.Contains('?', StringComparison.Ordinal)
            ? (webhookUrl.EndsWith('?') || webhookUrl.EndsWith('&') ? "" : "&")
            : "?";
        return $"{webhookUrl}{separator}timestamp={timestamp}&sign={sign}";
    }

    public static string SignWebhookUrl(string webhookUrl, string secret, TimeProvider time) =>
        SignWebhookUrl(webhookUrl, secret, time.GetUtcNow().ToUnixTimeMilliseconds());
}
