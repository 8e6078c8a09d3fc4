using System.Globalization;

namespace ChatBot.Channels.Shared;

/// <summary>
/// The encrypted reply body of WeChat safe mode and WeCom callbacks, signed over its own timestamp and
/// nonce. Same layout (line breaks included) as Tencent's samples and wechatpy, so the known-answer
/// vectors compare byte for byte.
/// </summary>
public static class WxEncryptedEnvelope
{
    /// <summary>Encrypts <paramref name="plaintextXml"/> with a fresh random prefix and wraps it.</summary>
    public static string Render(WxBizMsgCrypt crypt, string plaintextXml, string timestamp, string nonce)
    {
        ArgumentNullException.ThrowIfNull(crypt);
        return Wrap(crypt, crypt.Encrypt(plaintextXml), timestamp, nonce);
    }

    /// <summary>Wraps an already encrypted payload.</summary>
    public static string Wrap(WxBizMsgCrypt crypt, string encrypt, string timestamp, string nonce)
    {
        ArgumentNullException.ThrowIfNull(crypt);
        ArgumentNullException.ThrowIfNull(encrypt);
        ArgumentNullException.ThrowIfNull(nonce);
        // TimeStamp is written bare (not CDATA), so only digits may go there.
        if (string.IsNullOrEmpty(timestamp) || timestamp.AsSpan().ContainsAnyExceptInRange('0', '9'))
            throw new ArgumentException("The timestamp must be decimal digits.", nameof(timestamp));

        var signature = crypt.Sign(timestamp, nonce, encrypt);
        return string.Create(CultureInfo.InvariantCulture,
            $"<xml>\n<Encrypt>{new CData(encrypt)}</Encrypt>\n<MsgSignature>{new CData(signature)}</MsgSignature>\n<TimeStamp>{timestamp}</TimeStamp>\n<Nonce>{new CData(nonce)}</Nonce>\n</xml>");
    }
}
