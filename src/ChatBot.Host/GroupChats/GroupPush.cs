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

    /// <summary>
    /// The first field a robot could never render, as a JSON path ("push.text"), with why; null when the push is
    /// usable. Checked when a push is accepted, so a bad push is a 400 naming the field instead of a row that fails at
    /// send time (JSON null reaches these non-nullable properties, so null is checked too).
    /// </summary>
    public static (string Field, string Error)? FirstInvalidField(GroupPush? push)
    {
        if (push is null) return ("push", "push is required");
        if (!Enum.IsDefined(push.Kind)) return ("push.kind", "push.kind must be Text, Markdown, Card or News");
        if (push.Kind != GroupPushKind.News && string.IsNullOrWhiteSpace(push.Text))
            return ("push.text", "push.text is required for a " + push.Kind + " push");
        if (push.Kind is GroupPushKind.Markdown or GroupPushKind.Card && string.IsNullOrWhiteSpace(push.Title))
            return ("push.title", "push.title is required for a " + push.Kind + " push");
        if (push.Links is null) return ("push.links", "push.links must be a list (may be empty)");
        if (push.Kind == GroupPushKind.News && push.Links.Count == 0) return ("push.links", "push.links needs at least one link for a News push");
        for (var i = 0; i < push.Links.Count; i++)
        {
            var link = push.Links[i];
            if (link is null) return ($"push.links[{i}]", $"push.links[{i}] must not be null");
            if (string.IsNullOrWhiteSpace(link.Title)) return ($"push.links[{i}].title", $"push.links[{i}].title is required");
            if (!Uri.TryCreate(link.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                return ($"push.links[{i}].url", $"push.links[{i}].url must be an absolute http(s) URL");
        }
        if (push.MentionMobiles is null) return ("push.mentionMobiles", "push.mentionMobiles must be a list (may be empty)");
        return null;
    }

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
