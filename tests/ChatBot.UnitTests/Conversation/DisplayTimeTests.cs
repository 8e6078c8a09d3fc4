using ChatBot.Core.Conversation;

namespace ChatBot.UnitTests.Conversation;

public sealed class DisplayTimeTests
{
    private readonly DisplayTime _shanghai = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    [Fact]
    public void LocalDay_IsTheShanghaiCalendarDay_WhenUtcIsStillThePreviousDay()
    {
        // 17:00 UTC on the 23rd is 01:00 on the 24th in Shanghai.
        var (start, end) = _shanghai.LocalDay(new DateTime(2026, 11, 23, 17, 0, 0, DateTimeKind.Utc));

        Assert.Equal(new DateTime(2026, 11, 23, 16, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(new DateTime(2026, 11, 24, 16, 0, 0, DateTimeKind.Utc), end);
    }

    [Fact]
    public void LocalMonthStart_FollowsTheLocalMonth_AtMonthBoundary()
    {
        // 2026-11-30 20:00 UTC is already 1 December in Shanghai.
        Assert.Equal(new DateTime(2026, 11, 30, 16, 0, 0, DateTimeKind.Utc),
            _shanghai.LocalMonthStart(new DateTime(2026, 11, 30, 20, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void DaysUntil_CountsLocalCalendarDays()
    {
        var now = new DateTime(2026, 11, 23, 15, 0, 0, DateTimeKind.Utc); // 23:00 local
        Assert.Equal(1, _shanghai.DaysUntil(new DateTime(2026, 11, 23, 17, 0, 0, DateTimeKind.Utc), now));
        Assert.Equal(-1, _shanghai.DaysUntil(new DateTime(2026, 11, 22, 15, 0, 0, DateTimeKind.Utc), now));
    }
}
