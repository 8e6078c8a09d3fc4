using ChatBot.Core.Cadence;
using ChatBot.Core.Domain;

namespace ChatBot.UnitTests.Cadence;

/// <summary>The 三会一课 / 主题党日 rules: periods, status per kind, the reminder window, overdue, overrides, time zone.</summary>
public sealed class CadenceRulesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    // A fixed date well away from today: the rules are pure, nothing reads the machine clock.
    private static readonly DateTime BranchSince = new(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Local Shanghai wall clock → UTC.</summary>
    private static DateTime Local(int year, int month, int day, int hour = 10, int minute = 0) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified), Shanghai);

    private static IReadOnlyDictionary<ActivityKind, CadenceFrequency> Defaults => CadenceRules.Requirements(null);

    private static CadenceEvaluation Of(IReadOnlyList<CadenceEvaluation> all, ActivityKind kind) => all.Single(e => e.Kind == kind);

    [Fact]
    public void Defaults_are_the_party_rules()
    {
        Assert.Equal(CadenceFrequency.Quarterly, Defaults[ActivityKind.BranchAssembly]);
        Assert.Equal(CadenceFrequency.Monthly, Defaults[ActivityKind.BranchCommittee]);
        Assert.Equal(CadenceFrequency.Monthly, Defaults[ActivityKind.GroupMeeting]);
        Assert.Equal(CadenceFrequency.Quarterly, Defaults[ActivityKind.PartyLecture]);
        Assert.Equal(CadenceFrequency.Monthly, Defaults[ActivityKind.ThemeDay]);
        Assert.Equal(5, Defaults.Count);
        Assert.False(CadenceRules.IsTracked(ActivityKind.Volunteer));
    }

    public static TheoryData<CadenceFrequency, string, string, string, string> Periods => new()
    {
        { CadenceFrequency.Monthly, "2031-02-14", "2031-02-01", "2031-02-28", "2031-02" },
        { CadenceFrequency.Monthly, "2032-02-29", "2032-02-01", "2032-02-29", "2032-02" },  // leap year
        { CadenceFrequency.Monthly, "2031-12-31", "2031-12-01", "2031-12-31", "2031-12" },
        { CadenceFrequency.Quarterly, "2031-01-01", "2031-01-01", "2031-03-31", "2031-Q1" },
        { CadenceFrequency.Quarterly, "2031-06-30", "2031-04-01", "2031-06-30", "2031-Q2" },
        { CadenceFrequency.Quarterly, "2031-08-15", "2031-07-01", "2031-09-30", "2031-Q3" },
        { CadenceFrequency.Quarterly, "2031-11-30", "2031-10-01", "2031-12-31", "2031-Q4" },
    };

    [Theory]
    [MemberData(nameof(Periods))]
    public void Period_and_due_date(CadenceFrequency frequency, string date, string start, string due, string key)
    {
        var period = CadenceRules.PeriodOf(frequency, DateOnly.Parse(date));
        Assert.Equal(DateOnly.Parse(start), period.Start);
        Assert.Equal(DateOnly.Parse(due), period.DueDate);
        Assert.Equal(key, period.Key);
    }

    // (now local, meeting local or null, cancelled, expected status) for 主题党日 (monthly, due 2031-03-31)
    public static TheoryData<string, DateTime, DateTime?, bool, CadenceStatus> StatusTable => new()
    {
        { "nothing, 10 days left", Local(2031, 3, 21), null, false, CadenceStatus.Open },
        { "nothing, 4 days left", Local(2031, 3, 27, 23, 59), null, false, CadenceStatus.Open },
        { "nothing, 3 days left", Local(2031, 3, 28, 0, 0), null, false, CadenceStatus.DueSoon },
        { "nothing, due today", Local(2031, 3, 31, 23, 0), null, false, CadenceStatus.DueSoon },
        { "planned later this month", Local(2031, 3, 28), Local(2031, 3, 30, 14), false, CadenceStatus.Scheduled },
        { "held earlier this month", Local(2031, 3, 28), Local(2031, 3, 2, 14), false, CadenceStatus.Held },
        { "held earlier, but cancelled", Local(2031, 3, 28), Local(2031, 3, 2, 14), true, CadenceStatus.DueSoon },
        { "planned next month only", Local(2031, 3, 29), Local(2031, 4, 1, 9), false, CadenceStatus.DueSoon },
        // 23:30 UTC on 31 March is 07:30 on 1 April in Shanghai: the meeting belongs to April, not March.
        { "local date decides the period", Local(2031, 3, 29), new DateTime(2031, 3, 31, 23, 30, 0, DateTimeKind.Utc), false, CadenceStatus.DueSoon },
        { "started a minute ago counts as held", Local(2031, 3, 29, 15, 1), Local(2031, 3, 29, 15, 0), false, CadenceStatus.Held },
    };

    [Theory]
    [MemberData(nameof(StatusTable))]
    public void Status_of_a_monthly_kind(string because, DateTime nowUtc, DateTime? meetingUtc, bool cancelled, CadenceStatus expected)
    {
        var meetings = meetingUtc is { } at ? new[] { new CadenceMeeting(ActivityKind.ThemeDay, at, cancelled) } : [];
        var evaluation = Of(CadenceRules.Evaluate(Defaults, meetings, nowUtc, Shanghai, BranchSince), ActivityKind.ThemeDay);
        Assert.True(expected == evaluation.Status, because + ": was " + evaluation.Status);
        Assert.Equal(expected == CadenceStatus.DueSoon, CadenceRules.NeedingReminder([evaluation]).Count == 1);
    }

    [Fact]
    public void Quarterly_kind_is_not_due_at_the_end_of_the_first_month()
    {
        var all = CadenceRules.Evaluate(Defaults, [], Local(2031, 1, 30), Shanghai, BranchSince);
        Assert.Equal(CadenceStatus.Open, Of(all, ActivityKind.BranchAssembly).Status);
        Assert.Equal(new DateOnly(2031, 3, 31), Of(all, ActivityKind.BranchAssembly).DueDate);
        Assert.Equal(CadenceStatus.DueSoon, Of(all, ActivityKind.BranchCommittee).Status);
        Assert.Equal(60, Of(all, ActivityKind.PartyLecture).DaysToDue);
    }

    [Fact]
    public void Overdue_when_the_previous_period_was_missed_until_one_is_held()
    {
        // January had a 主题党日, February none; now early March.
        var meetings = new[] { new CadenceMeeting(ActivityKind.ThemeDay, Local(2031, 1, 20), false) };
        var march = Of(CadenceRules.Evaluate(Defaults, meetings, Local(2031, 3, 5), Shanghai, BranchSince), ActivityKind.ThemeDay);
        Assert.True(march.PreviousMissed);
        Assert.True(march.Overdue);
        Assert.Equal("2031-02", march.PreviousPeriod.Key);

        // Planned in March: still overdue (February was missed and nothing is held yet) …
        var planned = meetings.Append(new CadenceMeeting(ActivityKind.ThemeDay, Local(2031, 3, 10), false)).ToArray();
        Assert.True(Of(CadenceRules.Evaluate(Defaults, planned, Local(2031, 3, 5), Shanghai, BranchSince), ActivityKind.ThemeDay).Overdue);
        // … held: caught up.
        var held = Of(CadenceRules.Evaluate(Defaults, planned, Local(2031, 3, 11), Shanghai, BranchSince), ActivityKind.ThemeDay);
        Assert.True(held.PreviousMissed);
        Assert.False(held.Overdue);
        Assert.Equal(CadenceStatus.Held, held.Status);
    }

    [Fact]
    public void A_cancelled_meeting_does_not_save_the_previous_period()
    {
        var meetings = new[] { new CadenceMeeting(ActivityKind.BranchCommittee, Local(2031, 2, 20), true) };
        Assert.True(Of(CadenceRules.Evaluate(Defaults, meetings, Local(2031, 3, 5), Shanghai, BranchSince), ActivityKind.BranchCommittee).Overdue);
    }

    [Fact]
    public void A_branch_created_during_the_previous_period_is_not_overdue_for_it()
    {
        var since = Local(2031, 2, 10);
        var all = CadenceRules.Evaluate(Defaults, [], Local(2031, 3, 5), Shanghai, since);
        Assert.All(all, e => Assert.False(e.Overdue));
        var later = CadenceRules.Evaluate(Defaults, [], Local(2031, 4, 5), Shanghai, since);
        Assert.True(Of(later, ActivityKind.ThemeDay).Overdue);          // March missed
        Assert.False(Of(later, ActivityKind.BranchAssembly).Overdue);   // Q1 began before the branch
    }

    [Fact]
    public void Overrides_change_frequency_and_off_means_never_due()
    {
        var requirements = CadenceRules.Requirements([
            (ActivityKind.GroupMeeting, CadenceFrequency.Off),
            (ActivityKind.PartyLecture, CadenceFrequency.Monthly),
            (ActivityKind.Volunteer, CadenceFrequency.Monthly), // untracked: ignored
        ]);
        Assert.Equal(5, requirements.Count);
        var all = CadenceRules.Evaluate(requirements, [], Local(2031, 1, 30), Shanghai, BranchSince);
        var group = Of(all, ActivityKind.GroupMeeting);
        Assert.Equal(CadenceStatus.NotRequired, group.Status);
        Assert.False(group.Overdue);
        Assert.Empty(CadenceRules.NeedingReminder([group]));
        Assert.Equal(CadenceStatus.DueSoon, Of(all, ActivityKind.PartyLecture).Status);
        Assert.Equal("2031-01", Of(all, ActivityKind.PartyLecture).Period.Key);
    }

    [Fact]
    public void Other_kinds_do_not_count()
    {
        var meetings = new[] { new CadenceMeeting(ActivityKind.Volunteer, Local(2031, 2, 2), false) };
        Assert.All(CadenceRules.Evaluate(Defaults, meetings, Local(2031, 2, 26), Shanghai, BranchSince),
            e => Assert.Equal(e.Frequency == CadenceFrequency.Monthly ? CadenceStatus.DueSoon : CadenceStatus.Open, e.Status));
    }

    [Fact]
    public void Quarter_end_lists_every_kind_due_the_same_day()
    {
        var due = CadenceRules.NeedingReminder(CadenceRules.Evaluate(Defaults, [], Local(2031, 6, 28), Shanghai, BranchSince));
        Assert.Equal(5, due.Count);
        Assert.All(due, e => Assert.Equal(new DateOnly(2031, 6, 30), e.DueDate));
    }
}
