using ChatBot.Core.Messaging;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Where a reply goes that could not be given passively (the 5-second budget ran out, or the text was too
/// long for one message): it is delivered later as a 客服消息. The host writes it to the delivery outbox.
/// </summary>
public interface IWeChatAsyncReplyQueue
{
    /// <param name="idempotencyKey">Stable for this reply of this message, so a repeat never sends it twice.</param>
    Task EnqueueAsync(string openId, OutboundReply reply, string idempotencyKey, CancellationToken ct);
}
