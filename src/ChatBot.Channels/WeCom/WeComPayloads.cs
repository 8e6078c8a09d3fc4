using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatBot.Channels.WeCom;

/// <summary>
/// A WeCom group robot (群机器人) message for <c>POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…</c>.
/// Build it with <see cref="WeComMessages"/>, which enforces the platform's limits.
/// </summary>
public sealed record WeComRobotMessage
{
    [JsonPropertyName("msgtype")] public required string MsgType { get; init; }
    [JsonPropertyName("text")] public WeComText? Text { get; init; }
    [JsonPropertyName("markdown")] public WeComMarkdown? Markdown { get; init; }
    [JsonPropertyName("news")] public WeComNews? News { get; init; }
    [JsonPropertyName("template_card")] public WeComTemplateCard? TemplateCard { get; init; }
}

public sealed record WeComText
{
    [JsonPropertyName("content")] public required string Content { get; init; }
    /// <summary>userids, or "@all".</summary>
    [JsonPropertyName("mentioned_list")] public IReadOnlyList<string>? MentionedList { get; init; }
    /// <summary>Mobile numbers, or "@all".</summary>
    [JsonPropertyName("mentioned_mobile_list")] public IReadOnlyList<string>? MentionedMobileList { get; init; }
}

/// <summary>No mention lists: mention with <c>&lt;@userid&gt;</c> inside the content.</summary>
public sealed record WeComMarkdown([property: JsonPropertyName("content")] string Content);

public sealed record WeComNews([property: JsonPropertyName("articles")] IReadOnlyList<WeComArticle> Articles);

public sealed record WeComArticle
{
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("picurl")] public string? PicUrl { get; init; }
}

public sealed record WeComTemplateCard
{
    /// <summary>"text_notice" or "news_notice".</summary>
    [JsonPropertyName("card_type")] public required string CardType { get; init; }
    [JsonPropertyName("main_title")] public required WeComCardTitle MainTitle { get; init; }
    [JsonPropertyName("emphasis_content")] public WeComCardTitle? EmphasisContent { get; init; }
    [JsonPropertyName("sub_title_text")] public string? SubTitleText { get; init; }
    [JsonPropertyName("jump_list")] public IReadOnlyList<WeComCardJump>? JumpList { get; init; }
    /// <summary>Required for text_notice: what a tap on the card opens.</summary>
    [JsonPropertyName("card_action")] public required WeComCardAction CardAction { get; init; }
}

public sealed record WeComCardTitle
{
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("desc")] public string? Desc { get; init; }
}

public sealed record WeComCardJump
{
    /// <summary>1 = url, 2 = mini-program.</summary>
    [JsonPropertyName("type")] public int Type { get; init; } = WeComCardAction.UrlType;
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }
}

public sealed record WeComCardAction
{
    public const int UrlType = 1;

    /// <summary>1 = url, 2 = mini-program (appid + pagepath).</summary>
    [JsonPropertyName("type")] public int Type { get; init; } = UrlType;
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("appid")] public string? AppId { get; init; }
    [JsonPropertyName("pagepath")] public string? PagePath { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WeComRobotMessage))]
public sealed partial class WeComJsonContext : JsonSerializerContext;

public static class WeComJson
{
    /// <summary>UTF-8 Chinese instead of \uXXXX escapes; bodies go to the API, never into HTML.</summary>
    public static WeComJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    public static string Serialize(WeComRobotMessage message) => JsonSerializer.Serialize(message, Context.WeComRobotMessage);
}
