using ChatBot.Core.Domain;

namespace ChatBot.Core.Messaging;

public enum InboundKind
{
    Text = 0,
    /// <summary>Voice with no recognised text; voice with text arrives as <see cref="Text"/>.</summary>
    Voice = 1,
    Image = 2,
    Location = 3,
    Link = 4,
    Video = 5,
    Subscribe = 6,
    Unsubscribe = 7,
    /// <summary>An existing follower scanned a parameter QR code (EventKey = scene).</summary>
    Scan = 8,
    /// <summary>A menu click; <see cref="InboundMessage.EventKey"/> holds the command it stands for.</summary>
    MenuClick = 9,
    /// <summary>A menu link was opened; nothing to answer.</summary>
    MenuView = 10,
    /// <summary>A template message finished; <see cref="InboundMessage.PlatformMessageId"/> names it.</summary>
    DeliveryReport = 11,
    Other = 12,
}

/// <summary>
/// A message from any channel, reduced to what the engine needs. No platform markup survives the mapping.
/// </summary>
public sealed record InboundMessage
{
    public required Channel Channel { get; init; }
    /// <summary>The account or robot that received it (WeChat original id, DingTalk robot code).</summary>
    public string AccountId { get; init; } = "";
    /// <summary>OpenID / staff id of the sender.</summary>
    public required string SenderId { get; init; }
    public string? SenderName { get; init; }
    /// <summary>Group conversation id; null in a one-to-one chat.</summary>
    public string? ConversationId { get; init; }
    public required InboundKind Kind { get; init; }
    public string? Text { get; init; }
    /// <summary>Menu key, QR scene (without "qrscene_"), or delivery status, depending on <see cref="Kind"/>.</summary>
    public string? EventKey { get; init; }
    public string? PlatformMessageId { get; init; }
    /// <summary>Stable across platform retries of the same message.</summary>
    public required string DedupeKey { get; init; }
    public DateTime ReceivedAt { get; init; }

    public bool IsGroup => ConversationId is not null;
}
