using System.Text.Encodings.Web;
using System.Text.Json;
using ChatBot.Channels.DingTalk;
using ChatBot.Core.Messaging;

namespace ChatBot.Host.Delivery;

/// <summary>
/// Payload of a late or overflow WeChat reply to the account that wrote (route 客服, no member): sent as it is,
/// never re-routed, since it answers that account.
/// </summary>
public sealed record WeChatReplyPayload(string OpenId, OutboundReply Reply);

/// <summary>
/// Payload of a DingTalk answer, written when the callback is accepted: the message and where to answer. The engine
/// runs when the sender claims the row and its reply is saved into the row before it is posted, so a restart between
/// accept and send loses nothing, and a restart after the engine does not run it again.
/// </summary>
public sealed record DingTalkAnswerPayload(InboundMessage Message, DingTalkReplyTarget Target, OutboundReply? Reply = null);

internal static class DeliveryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) where T : class =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"empty {typeof(T).Name} payload");
}
