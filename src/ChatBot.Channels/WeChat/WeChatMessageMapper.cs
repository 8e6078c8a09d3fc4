using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;

namespace ChatBot.Channels.WeChat;

/// <summary>Translates between WeChat's wire payloads and the engine's channel-free messages (pure).</summary>
public static class WeChatMessageMapper
{
    private const string QrScenePrefix = "qrscene_";
    private const string DedupePrefix = "wx:";
    private const long MaxUnixSeconds = 253_402_300_799;

    public static InboundMessage ToInbound(WeChatInboundPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var (kind, text, eventKey, platformMessageId) = Classify(payload);
        return new InboundMessage
        {
            Channel = Channel.WeChat,
            AccountId = payload.ToUserName ?? "",
            SenderId = payload.FromUserName ?? "",
            Kind = kind,
            Text = text,
            EventKey = eventKey,
            PlatformMessageId = platformMessageId,
            DedupeKey = DedupeKey(payload),
            ReceivedAt = ToUtc(payload.CreateTime),
        };
    }

    /// <summary>
    /// MsgId for messages; events have none, so sender + second + event name (the event name keeps
    /// two different events of the same second apart). Stable across WeChat's retries.
    /// </summary>
    public static string DedupeKey(WeChatInboundPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return string.IsNullOrEmpty(payload.MsgId)
            ? $"{DedupePrefix}{payload.FromUserName}:{payload.CreateTime}:{payload.Event}"
            : DedupePrefix + payload.MsgId;
    }

    /// <summary>The passive reply body for <paramref name="reply"/> to <paramref name="request"/>.</summary>
    public static string ToReplyXml(OutboundReply reply, WeChatInboundPayload request, long createTime) =>
        WeChatReplyRenderer.Render(reply, request, createTime);

    private static (InboundKind Kind, string? Text, string? EventKey, string? PlatformMessageId) Classify(WeChatInboundPayload p)
    {
        var msgType = p.MsgType ?? "";
        if (Is(msgType, "text"))
            return (InboundKind.Text, p.Content ?? "", null, p.MsgId);
        if (Is(msgType, "voice"))
        {
            return string.IsNullOrWhiteSpace(p.Recognition)
                ? (InboundKind.Voice, null, null, p.MsgId)
                : (InboundKind.Text, p.Recognition, null, p.MsgId);
        }
        if (Is(msgType, "image"))
            return (InboundKind.Image, null, null, p.MsgId);
        if (Is(msgType, "location"))
            return (InboundKind.Location, p.Label, null, p.MsgId);
        if (Is(msgType, "link"))
            return (InboundKind.Link, p.Url, null, p.MsgId);
        if (Is(msgType, "video") || Is(msgType, "shortvideo"))
            return (InboundKind.Video, null, null, p.MsgId);
        if (Is(msgType, "event"))
            return ClassifyEvent(p);
        return (InboundKind.Other, null, null, p.MsgId);
    }

    private static (InboundKind, string?, string?, string?) ClassifyEvent(WeChatInboundPayload p)
    {
        var name = p.Event ?? "";
        if (Is(name, "subscribe"))
            return (InboundKind.Subscribe, null, Scene(p.EventKey), null);
        if (Is(name, "unsubscribe"))
            return (InboundKind.Unsubscribe, null, null, null);
        if (Is(name, "SCAN"))
            return (InboundKind.Scan, null, Scene(p.EventKey), null);
        if (Is(name, "CLICK"))
            return (InboundKind.MenuClick, null, NullIfEmpty(p.EventKey), null);
        if (Is(name, "VIEW"))
            return (InboundKind.MenuView, null, NullIfEmpty(p.EventKey), null);
        if (Is(name, "TEMPLATESENDJOBFINISH") || Is(name, "MASSSENDJOBFINISH"))
            return (InboundKind.DeliveryReport, null, NullIfEmpty(p.Status), NullIfEmpty(p.MsgID));
        return (InboundKind.Other, null, NullIfEmpty(p.EventKey), null);
    }

    /// <summary>A follow through a parameter QR code carries "qrscene_&lt;scene&gt;"; a SCAN carries the bare scene.</summary>
    private static string? Scene(string? eventKey)
    {
        if (string.IsNullOrEmpty(eventKey))
            return null;
        return eventKey.StartsWith(QrScenePrefix, StringComparison.Ordinal) ? eventKey[QrScenePrefix.Length..] : eventKey;
    }

    private static DateTime ToUtc(long unixSeconds) =>
        unixSeconds is >= 0 and <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime : default;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool Is(string value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
