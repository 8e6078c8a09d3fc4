using ChatBot.Core.Domain;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Whether the 客服消息 window of a member is open and how many of its messages remain: WeChat allows
/// 5 customer-service messages within 48 hours of the member's last message; outside it only template
/// messages reach them (45015).
/// </summary>
public readonly record struct CustomerServiceWindow(bool IsOpen, int Remaining, DateTime? ClosesAt)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(48);
    public const int MessagesPerWindow = 5;

    public bool CanSend => IsOpen && Remaining > 0;

    public static CustomerServiceWindow For(ChannelIdentity identity, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return For(identity.LastInboundAt, identity.CustomerServiceSendsInWindow, nowUtc);
    }

    public static CustomerServiceWindow For(DateTime? lastInboundAt, int sendsInWindow, DateTime nowUtc)
    {
        if (lastInboundAt is null)
            return new CustomerServiceWindow(false, 0, null);
        var closesAt = lastInboundAt.Value + Length;
        var open = nowUtc < closesAt;
        return new CustomerServiceWindow(open, open ? Math.Max(0, MessagesPerWindow - sendsInWindow) : 0, closesAt);
    }
}
