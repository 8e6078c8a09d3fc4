using ChatBot.Core.Domain;
using CoreWindow = ChatBot.Core.Delivery.CustomerServiceWindow;

namespace ChatBot.Channels.WeChat;

/// <summary>The 客服 window of one identity; the rule itself is <see cref="CoreWindow"/> (one boundary for every caller).</summary>
public static class CustomerServiceWindow
{
    public static readonly TimeSpan Length = CoreWindow.Length;
    public const int MessagesPerWindow = CoreWindow.MessagesPerWindow;

    public static CoreWindow For(ChannelIdentity identity, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return CoreWindow.For(identity.LastInboundAt, identity.CustomerServiceSendsInWindow, nowUtc);
    }

    public static CoreWindow For(DateTime? lastInboundAt, int sendsInWindow, DateTime nowUtc) =>
        CoreWindow.For(lastInboundAt, sendsInWindow, nowUtc);
}
