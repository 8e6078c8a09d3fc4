using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatBot.Channels.WeChat;

internal sealed record StableTokenRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("appid")] string AppId,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("force_refresh")] bool ForceRefresh);

internal sealed record CustomerServiceText([property: JsonPropertyName("content")] string Content);

internal sealed record CustomerServiceArticle(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("picurl")] string? PictureUrl);

internal sealed record CustomerServiceNews([property: JsonPropertyName("articles")] IReadOnlyList<CustomerServiceArticle> Articles);

/// <summary>客服消息 body: exactly one of <see cref="Text"/> and <see cref="News"/> is set.</summary>
internal sealed record CustomerServiceRequest(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("msgtype")] string MsgType,
    [property: JsonPropertyName("text")] CustomerServiceText? Text = null,
    [property: JsonPropertyName("news")] CustomerServiceNews? News = null);

internal sealed record TemplateValue([property: JsonPropertyName("value")] string Value);

internal sealed record TemplateRequest(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("template_id")] string TemplateId,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("client_msg_id")] string? ClientMsgId,
    [property: JsonPropertyName("data")] IReadOnlyDictionary<string, TemplateValue> Data);

/// <summary>群发 to an OpenID list (<c>cgi-bin/message/mass/send</c>); <c>clientmsgid</c> makes a resubmission a no-op.</summary>
internal sealed record MassSendRequest(
    [property: JsonPropertyName("touser")] IReadOnlyList<string> ToUser,
    [property: JsonPropertyName("msgtype")] string MsgType,
    [property: JsonPropertyName("text")] CustomerServiceText Text,
    [property: JsonPropertyName("clientmsgid")] string ClientMsgId);

/// <summary>The fields WeChat answers with; absent ones keep their defaults (errcode 0 = success).</summary>
internal sealed record WeChatApiResponse
{
    [JsonPropertyName("errcode")] public int ErrorCode { get; init; }
    [JsonPropertyName("errmsg")] public string? ErrorMessage { get; init; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; init; }
    [JsonPropertyName("msgid")] public long? MessageId { get; init; }
    /// <summary>The mass-send job id (spelled msg_id in that answer); MASSSENDJOBFINISH reports it as MsgID.</summary>
    [JsonPropertyName("msg_id")] public long? MassMessageId { get; init; }
}

internal static class WeChatJson
{
    /// <summary>
    /// Chinese is written as is, not as \uXXXX: WeChat has shown escaped text literally (menu names,
    /// message bodies), which is why the SDKs all send ensure_ascii=False. The body is never HTML.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
