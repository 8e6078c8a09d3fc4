using ChatBot.Core.Domain;

namespace ChatBot.Core.Delivery;

/// <summary>Why a recipient cannot be reached, or why its delivery is skipped.</summary>
public enum UnreachableReason
{
    /// <summary>No bound account on any channel we can send to.</summary>
    Unbound = 0,
    /// <summary>The WeChat account unfollowed and there is no other channel.</summary>
    Unsubscribed = 1,
    /// <summary>The 48-hour 客服 window is closed (or its 5 sends used) and <c>WeChat:Templates</c> has no template for this kind.</summary>
    WindowClosedNoTemplate = 2,
    /// <summary>Mass send was chosen and the member already got 4 this natural month.</summary>
    MassQuotaUsed = 3,
    GroupChatBroken = 4,
    GroupChatMuted = 5,
    /// <summary>Over <c>Scheduling:MemberWeeklyBudget</c> non-urgent pushes this week.</summary>
    Budget = 6,
    /// <summary>The channel this route needs is not configured on this host.</summary>
    ChannelOff = 7,
}

/// <summary>
/// The one spelling of a reason in a Skipped row's <c>SkipReason</c> (and so in reports and CSV): camelCase, like the
/// outbox's own reasons ("cancelled", "budget"), whoever skipped it — the broadcast runner at write time or the
/// sender at send time.
/// </summary>
public static class UnreachableReasonCodes
{
    public static string Code(this UnreachableReason reason) =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(reason.ToString());
}

/// <summary>What the router needs to know about a member's WeChat account (bound, from the database).</summary>
public sealed record WeChatAccountFacts(int IdentityId, string OpenId, bool Subscribed, DateTime? LastInboundAt, int CustomerServiceSendsInWindow, int MassSendsThisMonth);

public sealed record DingTalkAccountFacts(int IdentityId, string StaffId);

/// <param name="PushesThisWeek">Non-urgent budgeted pushes written for the member this (local) week.</param>
public sealed record MemberFacts(int MemberId, WeChatAccountFacts? WeChat, DingTalkAccountFacts? DingTalk, int PushesThisWeek = 0);

public sealed record GroupChatFacts(int GroupChatId, Channel Channel, bool Muted, bool Broken);

/// <summary>What is being sent: its kind (key into <c>WeChat:Templates</c>) and the broadcast's choices.</summary>
/// <param name="CountsTowardsBudget">Broadcasts and reminders do; replies and notices a member caused do not.</param>
/// <param name="Urgent">Ignores quiet hours and the budget, explicitly.</param>
public sealed record RouteRequest(string MessageKind, bool Urgent = false, bool MassSend = false, bool CountsTowardsBudget = false);

/// <summary>The rules that are configuration, not platform facts.</summary>
public sealed record RoutingPolicy(
    IReadOnlySet<string> TemplateKinds,
    QuietHours QuietHours,
    int MemberWeeklyBudget,
    bool WeChatEnabled = true,
    bool DingTalkEnabled = true)
{
    public const int MassSendsPerMonth = 4;
}

/// <summary>A route (with the account it uses and the earliest send time) or the reason there is none.</summary>
public readonly record struct RouteDecision(DeliveryRoute? Route, UnreachableReason? Reason, int? IdentityId = null, DateTime? NotBefore = null)
{
    public bool IsReachable => Route is not null;

    public static RouteDecision To(DeliveryRoute route, int? identityId, DateTime? notBefore) => new(route, null, identityId, notBefore);

    public static RouteDecision Unreachable(UnreachableReason reason) => new(null, reason);
}

/// <summary>
/// The delivery router: for one recipient and one message, the route by platform rules (PROTOCOLS §1.6–1.9, §2.1, §3)
/// or why it cannot be reached. Pure, so preflight, enqueue and the sender (which routes member rows again at send
/// time, when the window may have closed) all apply the same rules.
/// <list type="number">
/// <item>Budget: non-urgent budgeted pushes over <see cref="RoutingPolicy.MemberWeeklyBudget"/> → Budget.</item>
/// <item>WeChat, bound and following: 客服消息 while the window is open with quota left; else mass send when chosen
/// and under 4 this month; else a template when the kind has one; else the reason.</item>
/// <item>DingTalk 1:1 robot message for a member bound on DingTalk (also when WeChat cannot reach them).</item>
/// <item>Quiet hours defer member routes (not group chats, not urgent messages) to the end of the window.</item>
/// </list>
/// </summary>
public static class DeliveryRouter
{
    public static RouteDecision Route(MemberFacts member, RouteRequest request, RoutingPolicy policy, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        if (request.CountsTowardsBudget && !request.Urgent && member.PushesThisWeek >= policy.MemberWeeklyBudget)
            return RouteDecision.Unreachable(UnreachableReason.Budget);

        var notBefore = !request.Urgent && policy.QuietHours.IsQuiet(nowUtc) ? policy.QuietHours.EndAfter(nowUtc) : (DateTime?)null;
        // The window is judged at the moment of sending: a deferred 客服 send must still be inside it then.
        var sendAt = notBefore ?? nowUtc;

        UnreachableReason? weChatReason = null;
        if (member.WeChat is { } wx)
        {
            if (!policy.WeChatEnabled)
                weChatReason = UnreachableReason.ChannelOff;
            else if (!wx.Subscribed)
                weChatReason = UnreachableReason.Unsubscribed;
            else if (CustomerServiceWindow.For(wx.LastInboundAt, wx.CustomerServiceSendsInWindow, sendAt).CanSend)
                return RouteDecision.To(DeliveryRoute.WeChatCustomerService, wx.IdentityId, notBefore);
            else if (request.MassSend && wx.MassSendsThisMonth < RoutingPolicy.MassSendsPerMonth)
                return RouteDecision.To(DeliveryRoute.WeChatMassSend, wx.IdentityId, notBefore);
            else if (policy.TemplateKinds.Contains(request.MessageKind))
                return RouteDecision.To(DeliveryRoute.WeChatTemplate, wx.IdentityId, notBefore);
            else
                weChatReason = request.MassSend ? UnreachableReason.MassQuotaUsed : UnreachableReason.WindowClosedNoTemplate;
        }

        if (member.DingTalk is { } dt)
            return policy.DingTalkEnabled
                ? RouteDecision.To(DeliveryRoute.DingTalkOneToOne, dt.IdentityId, notBefore)
                : RouteDecision.Unreachable(weChatReason ?? UnreachableReason.ChannelOff);

        return RouteDecision.Unreachable(weChatReason ?? UnreachableReason.Unbound);
    }

    /// <summary>Group chats go to their robot at once (never deferred by quiet hours) unless muted or broken.</summary>
    public static RouteDecision Route(GroupChatFacts chat)
    {
        ArgumentNullException.ThrowIfNull(chat);
        if (chat.Muted) return RouteDecision.Unreachable(UnreachableReason.GroupChatMuted);
        if (chat.Broken) return RouteDecision.Unreachable(UnreachableReason.GroupChatBroken);
        return chat.Channel switch
        {
            Channel.DingTalk => RouteDecision.To(DeliveryRoute.DingTalkRobot, null, null),
            Channel.WeCom => RouteDecision.To(DeliveryRoute.WeComRobot, null, null),
            _ => RouteDecision.Unreachable(UnreachableReason.GroupChatBroken),
        };
    }

    /// <summary>Start of the natural month (local) in UTC: mass-send quota counts from here.</summary>
    public static DateTime MonthStartUtc(DateTime nowUtc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone);
        return TimeZoneInfo.ConvertTimeToUtc(new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified), zone);
    }

    /// <summary>Start of the local week (Monday 00:00) in UTC: the weekly budget counts from here.</summary>
    public static DateTime WeekStartUtc(DateTime nowUtc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone);
        var daysSinceMonday = ((int)local.DayOfWeek + 6) % 7;
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local.Date.AddDays(-daysSinceMonday), DateTimeKind.Unspecified), zone);
    }
}
