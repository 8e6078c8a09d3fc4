using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChatBot.Core.Delivery;

/// <summary>Message kinds: the keys of <c>WeChat:Templates</c> and of the budget rules.</summary>
public static class MessageKinds
{
    /// <summary>A reply the member asked for that could not go passively (late reply, overflow, DingTalk answer).</summary>
    public const string Reply = "reply";
    /// <summary>A notice the member caused (binding confirmed, promoted from the waitlist, points approved).</summary>
    public const string Notice = "notice";
    public const string Broadcast = "broadcast";
    public const string PolicyDigest = "policy_digest";
    public const string Lesson = "lesson";
    public const string StudyReminder = "study_reminder";
    public const string ActivityReminder = "activity_reminder";
}

/// <summary>
/// A message for one member, free of any platform's JSON: stored as the payload of its outbox row and rendered per
/// route at send time (客服 text with the link appended, template fields, DingTalk 1:1 markdown).
/// </summary>
/// <param name="Kind">One of <see cref="MessageKinds"/>.</param>
/// <param name="Text">Markdown; routes that cannot show Markdown get it as plain text.</param>
/// <param name="Url">Member page the message links to (already signed for this member), if any.</param>
/// <param name="Urgent">Sent in quiet hours too (the broadcast's explicit "urgent" flag). Replies and notices a member
/// caused are never deferred either; see <see cref="IgnoresQuietHours"/>.</param>
public sealed record MemberMessage(string Kind, string Title, string Text, string? Url = null, bool Urgent = false)
{
    /// <summary>Whether the sender may send it in quiet hours: urgent, or an answer to something the member just did.</summary>
    public bool IgnoresQuietHours => Urgent || Kind is MessageKinds.Reply or MessageKinds.Notice;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Readable Chinese in the database; the payload never goes into HTML unencoded.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MemberMessage FromJson(string json) =>
        JsonSerializer.Deserialize<MemberMessage>(json, Json) ?? throw new JsonException("empty member message payload");
}
