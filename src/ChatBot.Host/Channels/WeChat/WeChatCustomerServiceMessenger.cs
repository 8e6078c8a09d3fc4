using ChatBot.Channels.WeChat;
using ChatBot.Core.Messaging;
using ChatBot.Host.Features;

namespace ChatBot.Host.Channels.WeChat;

/// <summary>Member notifications through WeChat 客服消息; the sender records each accepted send on the identity.</summary>
public sealed class WeChatCustomerServiceMessenger(WeChatChannelSender sender) : ICustomerServiceMessenger
{
    public async Task<MessengerResult> SendTextAsync(string openId, string text, CancellationToken ct)
    {
        var outcome = await sender.SendCustomerServiceAsync(openId, OutboundReply.FromText(text), ct);
        var detail = outcome.IsSuccess ? null : $"{outcome.Status} ({outcome.ErrorCode})";
        return outcome.Status switch
        {
            WeChatApiStatus.Ok => new MessengerResult(MessengerOutcome.Sent, PlatformMessageId: outcome.MessageId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            WeChatApiStatus.OutOfWindow or WeChatApiStatus.QuotaExceeded => new MessengerResult(MessengerOutcome.OutOfWindow, detail),
            WeChatApiStatus.UserUnavailable or WeChatApiStatus.InvalidOpenId => new MessengerResult(MessengerOutcome.Unreachable, detail),
            WeChatApiStatus.Transient => new MessengerResult(MessengerOutcome.Transient, detail),
            _ => new MessengerResult(MessengerOutcome.Unreachable, detail),
        };
    }
}
