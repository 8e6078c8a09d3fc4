using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using ChatBot.Channels.Shared;
using ChatBot.Channels.WeChat;

namespace ChatBot.IntegrationTests.WeChat;

public enum WeChatMode
{
    Plaintext,
    Compatible,
    Safe,
}

/// <summary>Builds signed /wechat callbacks the way WeChat does, and reads the replies back.</summary>
public static class WeChatRequests
{
    /// <summary>Fixed pair for GET URL checks (no timestamp window there).</summary>
    public const string Timestamp = "1409304348";
    public const string Nonce = "xxxxxx";

    /// <summary>Posts carry the current time, as WeChat's do: the host refuses timestamps outside WeChat:MaxClockSkewSeconds.</summary>
    public static string Now() => Unix(DateTimeOffset.UtcNow);

    /// <summary>
    /// One nonce per message, derived from its XML, so a repeated post of the same message is a retry (same pair)
    /// and different messages never share a pair (which the host refuses as a replay).
    /// </summary>
    public static string NonceFor(string xml) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(xml)))[..12].ToLowerInvariant();

    private static readonly Lazy<JsonDocument> Vectors = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "protocol-vectors.json"))));

    public static WxBizMsgCrypt Crypt(string appId = WeChatHostFactory.AppId) =>
        new(WeChatHostFactory.Token, WeChatHostFactory.EncodingAesKey, appId);

    /// <summary>fixtures.wechat_oa_incoming_xml[name] from protocol-vectors.json.</summary>
    public static string Fixture(string name) =>
        Vectors.Value.RootElement.GetProperty("fixtures").GetProperty("wechat_oa_incoming_xml").GetProperty(name).GetString()!;

    public static string TextMessage(string msgId, string content = "帮助", string from = "oUser1") =>
        $"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msgId}</MsgId></xml>";

    public static HttpRequestMessage Post(string xml, WeChatMode mode, string? appId = null, bool forgeSignature = false, string? timestamp = null, string? nonce = null)
    {
        timestamp ??= Now();
        nonce ??= NonceFor(xml);
        var signature = WeChatSignature.ComputeUrlSignature(WeChatHostFactory.Token, timestamp, nonce);
        if (mode == WeChatMode.Plaintext)
        {
            var sig = forgeSignature ? Forge(signature) : signature;
            return Request($"/wechat?signature={sig}&timestamp={timestamp}&nonce={nonce}&openid=oUser1", xml);
        }

        using var crypt = Crypt(appId ?? WeChatHostFactory.AppId);
        var encrypt = crypt.Encrypt(xml);
        var msgSignature = crypt.Sign(timestamp, nonce, encrypt);
        if (forgeSignature) msgSignature = Forge(msgSignature);
        var body = mode == WeChatMode.Safe
            ? $"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
            : xml.Replace("</xml>", $"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>", StringComparison.Ordinal);
        return Request($"/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid=oUser1&encrypt_type=aes&msg_signature={msgSignature}", body);
    }

    public static HttpRequestMessage Raw(string pathAndQuery, string body) => Request(pathAndQuery, body);

    public static string SignedPlainQuery()
    {
        var timestamp = Now();
        var nonce = Guid.NewGuid().ToString("N")[..12];
        return $"/wechat?signature={WeChatSignature.ComputeUrlSignature(WeChatHostFactory.Token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}";
    }

    /// <summary>The reply XML as the member's client would see it: decrypted (after checking MsgSignature) in encrypted modes.</summary>
    public static XElement ReadReply(string body, WeChatMode mode)
    {
        if (mode == WeChatMode.Plaintext)
            return XElement.Parse(body);
        var envelope = XElement.Parse(body);
        var encrypt = envelope.Element("Encrypt")!.Value;
        var timestamp = envelope.Element("TimeStamp")!.Value;
        var nonce = envelope.Element("Nonce")!.Value;
        using var crypt = Crypt();
        Assert.True(crypt.VerifySignature(envelope.Element("MsgSignature")!.Value, timestamp, nonce, encrypt), "reply MsgSignature does not verify");
        var decrypted = crypt.Decrypt(encrypt);
        Assert.True(decrypted.IsSuccess, $"reply does not decrypt: {decrypted.Status}");
        return XElement.Parse(decrypted.Message!);
    }

    private static HttpRequestMessage Request(string pathAndQuery, string body) =>
        new(HttpMethod.Post, pathAndQuery) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };

    private static string Forge(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];

    public static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
