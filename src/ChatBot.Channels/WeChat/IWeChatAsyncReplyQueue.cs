using ChatBot.Core.Messaging;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Where a reply goes that could not be given passively (the 5-second budget ran out, or the text was too
/// long for one message): it is delivered later as a 客服消息. The host queues it as a background job.
/// </summary>
public interface IWeChatAsyncReplyQueue
{
    Task EnqueueAsync(string openId, OutboundReply reply, CancellationToken ct);
}
