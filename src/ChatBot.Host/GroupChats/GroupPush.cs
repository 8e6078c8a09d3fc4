using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatBot.Host.GroupChats;

public enum GroupPushKind
{
    /// <summary>Plain text; may @-mention members by mobile number.</summary>
    Text = 0,
    Markdown = 1,
    /// <summary>Title, markdown and buttons that open member pages (DingTalk actionCard, WeCom text_notice card).</summary>
    Card = 2,
    /// <summary>A list of links (DingTalk feedCard, WeCom news).</summary>
    News = 3,
}

public sealed record GroupPushLink(string Title, string Url, string? Description = null, string? PictureUrl = null);

/// <summary>
/// A message for a branch group chat, free of either robot's JSON. Stored as the <see cref="Core.Domain.Delivery.Payload"/>
/// of its outbox row and rendered per platform by <see cref="GroupRobotRenderer"/> at send time.
/// </summary>
public sealed record GroupPush
{
    public required GroupPushKind Kind { get; init; }
    public string Title { get; init; } = "";
    public string Text { get; init; } = "";
    public IReadOnlyList<GroupPushLink> Links { get; init; } = [];
    public IReadOnlyList<string> MentionMobiles { get; init; } = [];
    public bool MentionAll { get; init; }

    public static GroupPush PlainText(string text, IReadOnlyList<string>? mentionMobiles = null) =>
        new() { Kind = GroupPushKind.Text, Text = text, MentionMobiles = mentionMobiles ?? [] };

    public static GroupPush MarkdownText(string title, string markdown) =>
        new() { Kind = GroupPushKind.Markdown, Title = title, Text = markdown };

    public static GroupPush Card(string title, string markdown, params GroupPushLink[] buttons) =>
        new() { Kind = GroupPushKind.Card, Title = title, Text = markdown, Links = buttons };

    public static GroupPush News(params GroupPushLink[] articles) =>
        new() { Kind = GroupPushKind.News, Links = articles };

    internal bool HasMentions => MentionAll || MentionMobiles.Count > 0;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Readable Chinese in the database; the payload never goes into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static GroupPush FromJson(string json) =>
        JsonSerializer.Deserialize<GroupPush>(json, Json) ?? throw new JsonException("empty group push payload");
}
