namespace ChatBot.Core.Delivery;

/// <summary>
/// Whether the 客服消息 window of a member is open and how many of its messages remain: WeChat allows
/// 5 customer-service messages within 48 hours of the member's last message (PROTOCOLS §1.6). The one rule for the
/// boundary: the window is open while less than 48 hours have passed, so at exactly 48:00 it is closed.
/// </summary>
public readonly record struct CustomerServiceWindow(bool IsOpen, int Remaining, DateTime? ClosesAt)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(48);
    public const int MessagesPerWindow = 5;

    public bool CanSend => IsOpen && Remaining > 0;

    public static CustomerServiceWindow For(DateTime? lastInboundAt, int sendsInWindow, DateTime nowUtc)
    {
        if (lastInboundAt is null)
            return new CustomerServiceWindow(false, 0, null);
        var closesAt = lastInboundAt.Value + Length;
        var open = nowUtc < closesAt;
        return new CustomerServiceWindow(open, open ? Math.Max(0, MessagesPerWindow - sendsInWindow) : 0, closesAt);
    }
}
