using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;

namespace ChatBot.UnitTests.Domain;

public sealed class PointsAndActivityRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc);

    private static PointsEntry Pending(int points = 5) => PointsEntry.ManualRequest(1, 9, points, "志愿服务", "https://example.org/x", "admin", Now, "k1");

    [Fact]
    public void Decide_RefusesTheRequester_WhenTheyTryToApproveTheirOwnRequest()
    {
        var entry = Pending();
        Assert.Equal(PointsDecisionOutcome.SameAsRequester, entry.Decide("ADMIN", approve: true, null, Now));
        Assert.Equal(PointsEntryStatus.PendingApproval, entry.Status);
        Assert.Null(entry.DecidedBy);
    }

    [Fact]
    public void Decide_ApprovesOnce_WhenASecondAdminDecides()
    {
        var entry = Pending();
        Assert.Equal(PointsDecisionOutcome.Approved, entry.Decide("admin2", approve: true, "核实", Now));
        Assert.Equal((PointsEntryStatus.Approved, "admin2", "核实"), (entry.Status, entry.DecidedBy, entry.DecisionNote));
        Assert.Equal(PointsDecisionOutcome.NotPending, entry.Decide("admin3", approve: false, null, Now));
        Assert.Equal(PointsEntryStatus.Approved, entry.Status);
    }

    [Theory]
    [InlineData(0, "志愿", "points")]
    [InlineData(101, "志愿", "points")]
    [InlineData(5, " ", "reason")]
    public void ManualRequest_NamesTheBadField(int points, string reason, string field)
    {
        var ex = Assert.Throws<RuleViolation>(() => PointsEntry.ManualRequest(1, 9, points, reason, null, "admin", Now, "k"));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Reverse_IsANewOppositeLine_AndTheOriginalIsUnchanged()
    {
        var entry = Pending(-5);
        entry.Id = 42;
        entry.Decide("admin2", true, null, Now);
        var reversal = entry.Reverse("admin3", "误扣", Now);
        Assert.Equal((5, 42L, "reversal:42", PointsEntryStatus.Approved), (reversal.Points, reversal.ReversesEntryId!.Value, reversal.SourceKey, reversal.Status));
        Assert.Equal(-5, entry.Points);
        Assert.Throws<RuleViolation>(() => reversal.Reverse("admin", "再冲", Now));
        Assert.Throws<RuleViolation>(() => Pending().Reverse("admin", "未生效", Now));
    }

    [Fact]
    public void StarLevels_CountOnlyTheirRulesInTheQuarter_AndReversalsTakePointsBack()
    {
        var study = new StarLevel { Id = 1, Name = "学习进步星", RuleCodes = "lesson.read quiz.passed", QuarterThreshold = 10 };
        var all = new StarLevel { Id = 2, Name = "综合星", RuleCodes = "", QuarterThreshold = 15 };
        var q = (Start: new DateTime(2026, 9, 30, 16, 0, 0, DateTimeKind.Utc), End: new DateTime(2026, 12, 31, 16, 0, 0, DateTimeKind.Utc));
        List<LedgerPoint> points =
        [
            new("lesson.read", 6, Now), new("quiz.passed", 4, Now), new("activity.checkin", 3, Now),
            new("quiz.passed", 50, q.Start.AddDays(-1)), // last quarter: not counted
        ];
        var earned = StarLevels.Earned(points, [study, all], q.Start, q.End);
        Assert.Equal(["学习进步星"], earned.Select(e => e.Level.Name).ToArray());

        points.Add(new("quiz.passed", -4, Now)); // a reversal
        Assert.Empty(StarLevels.Earned(points, [study, all], q.Start, q.End));
    }

    [Fact]
    public void LocalQuarter_IsTheShanghaiCalendarQuarter()
    {
        var display = new DisplayTime(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var (start, end, label) = display.LocalQuarter(new DateTime(2026, 12, 31, 17, 0, 0, DateTimeKind.Utc)); // 2027-01-01 01:00 local
        Assert.Equal("2027年第1季度", label);
        Assert.Equal(new DateTime(2026, 12, 31, 16, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(new DateTime(2027, 3, 31, 16, 0, 0, DateTimeKind.Utc), end);
    }

    private static ActivityInput Input(int? capacity = 3, DateTime? deadline = null, DateTime? end = null, string? code = null) =>
        new(1, ActivityKind.ThemeDay, "主题党日", null, "党群服务中心", Now.AddDays(7), end ?? Now.AddDays(7).AddHours(2), capacity, deadline ?? Now.AddDays(6), code);

    [Theory]
    [InlineData("endsAt")]
    [InlineData("capacity")]
    [InlineData("signUpDeadline")]
    [InlineData("checkInCode")]
    public void ActivityRules_NameTheBadField(string field)
    {
        var input = field switch
        {
            "endsAt" => Input(end: Now.AddDays(6)),
            "capacity" => Input(capacity: 0),
            "signUpDeadline" => Input(deadline: Now.AddDays(8)),
            _ => Input(code: "签到"),
        };
        var ex = Assert.Throws<RuleViolation>(() => ActivityRules.Apply(new Activity { Title = "" }, input));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Capacity_CannotDropBelowAGivenSeat()
    {
        Assert.Equal("capacity", Assert.Throws<RuleViolation>(() => ActivityRules.CheckCapacity(2, 3)).Field);
        ActivityRules.CheckCapacity(3, 3);
        ActivityRules.CheckCapacity(null, 3);
    }

    [Fact]
    public void NoShow_OnlyAfterTheCheckInWindow_AndOnlyForRegistered()
    {
        var activity = new Activity { Title = "t", StartsAt = Now, CheckInClosesMinutesAfter = 30 };
        var registered = new SignUp { Status = SignUpStatus.Registered };
        Assert.False(ActivityRules.CanMarkNoShow(activity, registered, Now.AddMinutes(10)));
        Assert.True(ActivityRules.CanMarkNoShow(activity, registered, Now.AddMinutes(31)));
        Assert.False(ActivityRules.CanMarkNoShow(activity, new SignUp { Status = SignUpStatus.CheckedIn }, Now.AddMinutes(31)));
        Assert.True(ActivityRules.IsThreeMeetingsOneLecture(ActivityKind.PartyLecture));
        Assert.False(ActivityRules.IsThreeMeetingsOneLecture(ActivityKind.ThemeDay));
    }
}
