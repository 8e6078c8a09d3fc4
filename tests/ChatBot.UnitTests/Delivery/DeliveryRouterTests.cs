using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;

namespace ChatBot.UnitTests.Delivery;

/// <summary>The routing table: one row per platform rule, with the 48-hour boundary at 47:59, 48:00 and 48:01.</summary>
public sealed class DeliveryRouterTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    // 10:00 in Shanghai: outside the default quiet hours.
    private static readonly DateTime Now = new(2031, 3, 12, 2, 0, 0, DateTimeKind.Utc);

    private static RoutingPolicy Policy(params string[] templateKinds) => new(
        new HashSet<string>(templateKinds, StringComparer.Ordinal),
        new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0), Shanghai),
        MemberWeeklyBudget: 3);

    private static MemberFacts WeChat(TimeSpan sinceLastMessage, int sends = 0, bool subscribed = true, int massSends = 0, bool alsoDingTalk = false) =>
        new(1, new WeChatAccountFacts(10, "openid", subscribed, Now - sinceLastMessage, sends, massSends),
            alsoDingTalk ? new DingTalkAccountFacts(11, "staff") : null);

    public static TheoryData<string, MemberFacts, RouteRequest, string[], DeliveryRoute?, UnreachableReason?> Table => new()
    {
        { "47:59 open", WeChat(new TimeSpan(47, 59, 0)), new("notice"), [], DeliveryRoute.WeChatCustomerService, null },
        { "48:00 closed", WeChat(TimeSpan.FromHours(48)), new("notice"), [], null, UnreachableReason.WindowClosedNoTemplate },
        { "48:01 closed", WeChat(new TimeSpan(48, 1, 0)), new("notice"), [], null, UnreachableReason.WindowClosedNoTemplate },
        { "48:00 closed, template", WeChat(TimeSpan.FromHours(48)), new("notice"), ["notice"], DeliveryRoute.WeChatTemplate, null },
        { "template for another kind only", WeChat(TimeSpan.FromHours(50)), new("broadcast"), ["notice"], null, UnreachableReason.WindowClosedNoTemplate },
        { "4 of 5 sends used", WeChat(TimeSpan.FromHours(1), sends: 4), new("notice"), [], DeliveryRoute.WeChatCustomerService, null },
        { "5 of 5 sends used", WeChat(TimeSpan.FromHours(1), sends: 5), new("notice"), ["notice"], DeliveryRoute.WeChatTemplate, null },
        { "5 of 5 used, no template", WeChat(TimeSpan.FromHours(1), sends: 5), new("notice"), [], null, UnreachableReason.WindowClosedNoTemplate },
        { "never wrote", new MemberFacts(1, new WeChatAccountFacts(10, "o", true, null, 0, 0), null), new("notice"), [], null, UnreachableReason.WindowClosedNoTemplate },
        { "mass send chosen, 3 used", WeChat(TimeSpan.FromDays(5), massSends: 3), new("broadcast", MassSend: true), [], DeliveryRoute.WeChatMassSend, null },
        { "mass send chosen, 4 used", WeChat(TimeSpan.FromDays(5), massSends: 4), new("broadcast", MassSend: true), [], null, UnreachableReason.MassQuotaUsed },
        { "mass used, template left", WeChat(TimeSpan.FromDays(5), massSends: 4), new("broadcast", MassSend: true), ["broadcast"], DeliveryRoute.WeChatTemplate, null },
        { "mass not chosen", WeChat(TimeSpan.FromDays(5)), new("broadcast"), [], null, UnreachableReason.WindowClosedNoTemplate },
        { "window beats mass", WeChat(TimeSpan.FromHours(2)), new("broadcast", MassSend: true), [], DeliveryRoute.WeChatCustomerService, null },
        { "unsubscribed", WeChat(TimeSpan.FromHours(1), subscribed: false), new("notice"), ["notice"], null, UnreachableReason.Unsubscribed },
        { "unsubscribed, DingTalk too", WeChat(TimeSpan.FromHours(1), subscribed: false, alsoDingTalk: true), new("notice"), [], DeliveryRoute.DingTalkOneToOne, null },
        { "window closed, DingTalk too", WeChat(TimeSpan.FromDays(3), alsoDingTalk: true), new("notice"), [], DeliveryRoute.DingTalkOneToOne, null },
        { "DingTalk only", new MemberFacts(1, null, new DingTalkAccountFacts(11, "staff")), new("notice"), [], DeliveryRoute.DingTalkOneToOne, null },
        { "unbound", new MemberFacts(1, null, null), new("notice"), ["notice"], null, UnreachableReason.Unbound },
        { "budget used", WeChat(TimeSpan.FromHours(1)) with { PushesThisWeek = 3 }, new("broadcast", CountsTowardsBudget: true), [], null, UnreachableReason.Budget },
        { "budget left", WeChat(TimeSpan.FromHours(1)) with { PushesThisWeek = 2 }, new("broadcast", CountsTowardsBudget: true), [], DeliveryRoute.WeChatCustomerService, null },
        { "urgent ignores budget", WeChat(TimeSpan.FromHours(1)) with { PushesThisWeek = 9 }, new("broadcast", Urgent: true, CountsTowardsBudget: true), [], DeliveryRoute.WeChatCustomerService, null },
        { "notices are not budgeted", WeChat(TimeSpan.FromHours(1)) with { PushesThisWeek = 9 }, new("notice"), [], DeliveryRoute.WeChatCustomerService, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Route_FollowsThePlatformRules(string row, MemberFacts member, RouteRequest request, string[] templates, DeliveryRoute? route, UnreachableReason? reason)
    {
        var decision = DeliveryRouter.Route(member, request, Policy(templates), Now);
        Assert.True((route, reason) == (decision.Route, decision.Reason), $"{row}: got {decision.Route}/{decision.Reason}");
        if (route is not null) Assert.NotNull(decision.IdentityId);
    }

    [Theory]
    [InlineData(Channel.DingTalk, false, false, DeliveryRoute.DingTalkRobot, null)]
    [InlineData(Channel.WeCom, false, false, DeliveryRoute.WeComRobot, null)]
    [InlineData(Channel.WeCom, true, false, null, UnreachableReason.GroupChatMuted)]
    [InlineData(Channel.DingTalk, false, true, null, UnreachableReason.GroupChatBroken)]
    public void Route_GroupChats(Channel channel, bool muted, bool broken, DeliveryRoute? route, UnreachableReason? reason)
    {
        var decision = DeliveryRouter.Route(new GroupChatFacts(5, channel, muted, broken));
        Assert.Equal((route, reason), (decision.Route, decision.Reason));
        Assert.Null(decision.NotBefore);
    }

    [Fact]
    public void Route_DefersMemberToEndOfQuietHours_UnlessUrgent()
    {
        var night = new DateTime(2031, 3, 12, 14, 30, 0, DateTimeKind.Utc); // 22:30 Shanghai
        var member = new MemberFacts(1, new WeChatAccountFacts(10, "o", true, night.AddHours(-1), 0, 0), null);
        var deferred = DeliveryRouter.Route(member, new RouteRequest("broadcast"), Policy(), night);
        Assert.Equal(DeliveryRoute.WeChatCustomerService, deferred.Route);
        Assert.Equal(new DateTime(2031, 3, 13, 0, 0, 0, DateTimeKind.Utc), deferred.NotBefore); // 08:00 Shanghai
        Assert.Null(DeliveryRouter.Route(member, new RouteRequest("broadcast", Urgent: true), Policy(), night).NotBefore);
    }

    [Fact]
    public void Route_JudgesTheWindowAtTheDeferredSendTime()
    {
        var night = new DateTime(2031, 3, 12, 14, 30, 0, DateTimeKind.Utc); // 22:30 Shanghai; quiet until 08:00
        // Wrote 40 hours ago: open now, closed by 08:00 (49.5 h) → template.
        var member = new MemberFacts(1, new WeChatAccountFacts(10, "o", true, night.AddHours(-40), 0, 0), null);
        var decision = DeliveryRouter.Route(member, new RouteRequest("broadcast"), Policy("broadcast"), night);
        Assert.Equal(DeliveryRoute.WeChatTemplate, decision.Route);
    }

    [Theory]
    [InlineData(12, 59, false)]
    [InlineData(13, 0, true)]  // 21:00 Shanghai
    [InlineData(23, 59, true)] // 07:59
    [InlineData(0, 0, false)]  // 08:00
    public void QuietHours_StartInclusiveEndExclusive(int utcHour, int minute, bool quiet)
    {
        var hours = new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0), Shanghai);
        Assert.Equal(quiet, hours.IsQuiet(new DateTime(2031, 3, 12, utcHour, minute, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void WeekAndMonthStarts_AreLocal()
    {
        var sundayNightLocal = new DateTime(2031, 3, 16, 15, 0, 0, DateTimeKind.Utc); // Sunday 23:00 Shanghai
        Assert.Equal(new DateTime(2031, 3, 9, 16, 0, 0, DateTimeKind.Utc), DeliveryRouter.WeekStartUtc(sundayNightLocal, Shanghai));
        var firstMorning = new DateTime(2031, 3, 31, 17, 0, 0, DateTimeKind.Utc); // 1 April 01:00 Shanghai
        Assert.Equal(new DateTime(2031, 3, 31, 16, 0, 0, DateTimeKind.Utc), DeliveryRouter.MonthStartUtc(firstMorning, Shanghai));
    }
}
