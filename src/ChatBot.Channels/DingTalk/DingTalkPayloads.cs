using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatBot.Channels.DingTalk;

/// <summary>Body of an @-message posted to the robot's HTTP callback (also the <c>data</c> of a Stream frame).</summary>
public sealed record DingTalkRobotCallback
{
    [JsonPropertyName("msgtype")] public string? MsgType { get; init; }
    [JsonPropertyName("text")] public DingTalkText? Text { get; init; }
    /// <summary>Encrypted message id; stable across DingTalk's retries.</summary>
    [JsonPropertyName("msgId")] public string? MsgId { get; init; }
    /// <summary>Unix milliseconds.</summary>
    [JsonPropertyName("createAt")] public long CreateAt { get; init; }
    /// <summary>"1" one-to-one, "2" group.</summary>
    [JsonPropertyName("conversationType")] public string? ConversationType { get; init; }
    [JsonPropertyName("conversationId")] public string? ConversationId { get; init; }
    [JsonPropertyName("conversationTitle")] public string? ConversationTitle { get; init; }
    /// <summary>Encrypted, per-robot sender id; only used when <see cref="SenderStaffId"/> is empty (users outside the org).</summary>
    [JsonPropertyName("senderId")] public string? SenderId { get; init; }
    [JsonPropertyName("senderNick")] public string? SenderNick { get; init; }
    [JsonPropertyName("senderCorpId")] public string? SenderCorpId { get; init; }
    /// <summary>The sender's userid in the organisation.</summary>
    [JsonPropertyName("senderStaffId")] public string? SenderStaffId { get; init; }
    [JsonPropertyName("isAdmin")] public bool IsAdmin { get; init; }
    [JsonPropertyName("sessionWebhook")] public string? SessionWebhook { get; init; }
    /// <summary>Unix milliseconds; about 90 minutes after <see cref="CreateAt"/>.</summary>
    [JsonPropertyName("sessionWebhookExpiredTime")] public long SessionWebhookExpiredTime { get; init; }
    [JsonPropertyName("robotCode")] public string? RobotCode { get; init; }
    [JsonPropertyName("chatbotCorpId")] public string? ChatbotCorpId { get; init; }
    [JsonPropertyName("chatbotUserId")] public string? ChatbotUserId { get; init; }
    [JsonPropertyName("isInAtList")] public bool IsInAtList { get; init; }
    [JsonPropertyName("atUsers")] public IReadOnlyList<DingTalkAtUser>? AtUsers { get; init; }
    [JsonPropertyName("senderPlatform")] public string? SenderPlatform { get; init; }
    [JsonPropertyName("openThreadId")] public string? OpenThreadId { get; init; }
}

public sealed record DingTalkText([property: JsonPropertyName("content")] string? Content);

public sealed record DingTalkAtUser(
    [property: JsonPropertyName("dingtalkId")] string? DingTalkId,
    [property: JsonPropertyName("staffId")] string? StaffId);

/// <summary>
/// A custom-robot message, also accepted by a callback's sessionWebhook. Exactly one of the parts matching
/// <see cref="MsgType"/> is set; null parts are left out of the JSON.
/// </summary>
public sealed record DingTalkRobotMessage
{
    [JsonPropertyName("msgtype")] public required string MsgType { get; init; }
    [JsonPropertyName("text")] public DingTalkText? Text { get; init; }
    [JsonPropertyName("markdown")] public DingTalkMarkdown? Markdown { get; init; }
    [JsonPropertyName("link")] public DingTalkLink? Link { get; init; }
    [JsonPropertyName("actionCard")] public DingTalkActionCard? ActionCard { get; init; }
    [JsonPropertyName("feedCard")] public DingTalkFeedCard? FeedCard { get; init; }
    [JsonPropertyName("at")] public DingTalkAt? At { get; init; }

    public static DingTalkRobotMessage ForText(string content, DingTalkAt? at = null) =>
        new() { MsgType = "text", Text = new DingTalkText(content), At = at };

    public static DingTalkRobotMessage ForMarkdown(string title, string text, DingTalkAt? at = null) =>
        new() { MsgType = "markdown", Markdown = new DingTalkMarkdown(title, text), At = at };

    public static DingTalkRobotMessage ForActionCard(DingTalkActionCard card) =>
        new() { MsgType = "actionCard", ActionCard = card };
}

/// <summary><paramref name="Title"/> is what the notification and the conversation list show.</summary>
public sealed record DingTalkMarkdown(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("text")] string Text);

public sealed record DingTalkLink(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("messageUrl")] string MessageUrl,
    [property: JsonPropertyName("picUrl")] string? PicUrl = null);

/// <summary>Single-button card (<see cref="SingleTitle"/>/<see cref="SingleUrl"/>) or multi-button card (<see cref="Buttons"/>).</summary>
public sealed record DingTalkActionCard
{
    [JsonPropertyName("title")] public required string Title { get; init; }
    /// <summary>Markdown.</summary>
    [JsonPropertyName("text")] public required string Text { get; init; }
    /// <summary>"0" buttons stacked vertically, "1" side by side.</summary>
    [JsonPropertyName("btnOrientation")] public string BtnOrientation { get; init; } = "0";
    [JsonPropertyName("singleTitle")] public string? SingleTitle { get; init; }
    [JsonPropertyName("singleURL")] public string? SingleUrl { get; init; }
    [JsonPropertyName("btns")] public IReadOnlyList<DingTalkActionButton>? Buttons { get; init; }
}

public sealed record DingTalkActionButton(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("actionURL")] string ActionUrl);

public sealed record DingTalkFeedCard([property: JsonPropertyName("links")] IReadOnlyList<DingTalkFeedLink> Links);

public sealed record DingTalkFeedLink(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("messageURL")] string MessageUrl,
    [property: JsonPropertyName("picURL")] string PicUrl);

/// <summary>Mentions. For a visible mention the text must also contain "@userid" / "@mobile".</summary>
public sealed record DingTalkAt
{
    [JsonPropertyName("atUserIds")] public IReadOnlyList<string>? AtUserIds { get; init; }
    [JsonPropertyName("atMobiles")] public IReadOnlyList<string>? AtMobiles { get; init; }
    [JsonPropertyName("isAtAll")] public bool IsAtAll { get; init; }
}

/// <summary>Body of <c>POST /v1.0/robot/groupMessages/send</c>.</summary>
public sealed record DingTalkGroupMessageRequest
{
    /// <summary>JSON text of the template's parameters, e.g. <c>{"content":"…"}</c> for sampleText.</summary>
    [JsonPropertyName("msgParam")] public required string MsgParam { get; init; }
    [JsonPropertyName("msgKey")] public required string MsgKey { get; init; }
    [JsonPropertyName("openConversationId")] public required string OpenConversationId { get; init; }
    [JsonPropertyName("robotCode")] public required string RobotCode { get; init; }
}

/// <summary>Body of <c>POST /v1.0/robot/oToMessages/batchSend</c> (one-to-one chats).</summary>
public sealed record DingTalkBatchSendRequest
{
    [JsonPropertyName("robotCode")] public required string RobotCode { get; init; }
    [JsonPropertyName("userIds")] public required IReadOnlyList<string> UserIds { get; init; }
    [JsonPropertyName("msgKey")] public required string MsgKey { get; init; }
    [JsonPropertyName("msgParam")] public required string MsgParam { get; init; }
}

public sealed record DingTalkSendResponse
{
    [JsonPropertyName("processQueryKey")] public string? ProcessQueryKey { get; init; }
    [JsonPropertyName("invalidStaffIdList")] public IReadOnlyList<string>? InvalidStaffIdList { get; init; }
    [JsonPropertyName("flowControlledStaffIdList")] public IReadOnlyList<string>? FlowControlledStaffIdList { get; init; }
}

/// <summary>Error body of the api.dingtalk.com v1.0 OpenAPI (non-2xx answers).</summary>
public sealed record DingTalkApiError
{
    [JsonPropertyName("code")] public string? Code { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("requestid")] public string? RequestId { get; init; }
}

/// <summary>Body of <c>POST /v1.0/oauth2/accessToken</c>.</summary>
public sealed record DingTalkAccessTokenRequest(
    [property: JsonPropertyName("appKey")] string AppKey,
    [property: JsonPropertyName("appSecret")] string AppSecret);

public sealed record DingTalkAccessTokenResponse
{
    [JsonPropertyName("accessToken")] public string? AccessToken { get; init; }
    /// <summary>Seconds (7200 today; read it rather than assume it).</summary>
    [JsonPropertyName("expireIn")] public long ExpireIn { get; init; }
}

/// <summary>An OpenAPI robot message: a built-in template key and its parameters as a JSON string.</summary>
public sealed record DingTalkTemplateMessage(string MsgKey, string MsgParam)
{
    public static DingTalkTemplateMessage SampleText(string content) =>
        new("sampleText", JsonSerializer.Serialize(new SampleTextParam(content), DingTalkJson.Context.SampleTextParam));

    public static DingTalkTemplateMessage SampleMarkdown(string title, string text) =>
        new("sampleMarkdown", JsonSerializer.Serialize(new SampleMarkdownParam(title, text), DingTalkJson.Context.SampleMarkdownParam));

    public static DingTalkTemplateMessage SampleActionCard(string title, string text, string singleTitle, string singleUrl) =>
        new("sampleActionCard", JsonSerializer.Serialize(
            new SampleActionCardParam(title, text, singleTitle, singleUrl), DingTalkJson.Context.SampleActionCardParam));
}

public sealed record SampleTextParam([property: JsonPropertyName("content")] string Content);

public sealed record SampleMarkdownParam(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("text")] string Text);

public sealed record SampleActionCardParam(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("singleTitle")] string SingleTitle,
    [property: JsonPropertyName("singleURL")] string SingleUrl);

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(DingTalkRobotCallback))]
[JsonSerializable(typeof(DingTalkRobotMessage))]
[JsonSerializable(typeof(DingTalkGroupMessageRequest))]
[JsonSerializable(typeof(DingTalkBatchSendRequest))]
[JsonSerializable(typeof(DingTalkSendResponse))]
[JsonSerializable(typeof(DingTalkApiError))]
[JsonSerializable(typeof(DingTalkAccessTokenRequest))]
[JsonSerializable(typeof(DingTalkAccessTokenResponse))]
[JsonSerializable(typeof(DingTalkStreamOpenRequest))]
[JsonSerializable(typeof(DingTalkStreamOpenResponse))]
[JsonSerializable(typeof(DingTalkStreamFrame))]
[JsonSerializable(typeof(DingTalkStreamAck))]
[JsonSerializable(typeof(DingTalkStreamCallbackResponse))]
[JsonSerializable(typeof(SampleTextParam))]
[JsonSerializable(typeof(SampleMarkdownParam))]
[JsonSerializable(typeof(SampleActionCardParam))]
public sealed partial class DingTalkJsonContext : JsonSerializerContext;

public static class DingTalkJson
{
    /// <summary>
    /// Chinese text is written as UTF-8 rather than \uXXXX escapes: bodies stay readable and about half the size.
    /// These bodies go to APIs, never into HTML, so the relaxed encoder is safe here.
    /// </summary>
    public static DingTalkJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    });

    public static DingTalkRobotCallback? ParseCallback(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, Context.DingTalkRobotCallback);

    public static DingTalkRobotCallback? ParseCallback(string json) =>
        JsonSerializer.Deserialize(json, Context.DingTalkRobotCallback);
}
