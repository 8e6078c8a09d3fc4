using System.Globalization;
using ChatBot.Core.Domain;

namespace ChatBot.Core.Cadence;

/// <summary>How often a branch is expected to hold a meeting of one kind (三会一课 / 主题党日).</summary>
public enum CadenceFrequency
{
    /// <summary>Not expected (e.g. a small branch without 党小组).</summary>
    Off = 0,
    Monthly = 1,
    Quarterly = 2,
}

/// <summary>Where one (branch, meeting kind) stands in its current period.</summary>
public enum CadenceStatus
{
    /// <summary>Not expected for this branch.</summary>
    NotRequired = 0,
    /// <summary>At least one meeting of the kind took place in the period.</summary>
    Held = 1,
    /// <summary>None held yet, at least one is planned later in the period.</summary>
    Scheduled = 2,
    /// <summary>None held or planned, more than <see cref="CadenceRules.ReminderLeadDays"/> days before the due date.</summary>
    Open = 3,
    /// <summary>None held or planned, within <see cref="CadenceRules.ReminderLeadDays"/> days of the due date: the secretary is reminded.</summary>
    DueSoon = 4,
}

/// <summary>A per-branch override of the default frequency of one meeting kind (<c>MeetingCadenceOverrides</c>).</summary>
public class MeetingCadenceOverride
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public ActivityKind Kind { get; set; }
    public CadenceFrequency Frequency { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A period of a frequency in local dates: [Start, EndExclusive), named by <see cref="Key"/> ("2026-12", "2026-Q4").</summary>
public readonly record struct CadencePeriod(DateOnly Start, DateOnly EndExclusive, string Key)
{
    /// <summary>The last day of the period: the meeting is due by the end of that day.</summary>
    public DateOnly DueDate => EndExclusive.AddDays(-1);

    public bool Contains(DateOnly date) => date >= Start && date < EndExclusive;
}

/// <summary>An activity as the cadence rules see it (start in UTC).</summary>
public readonly record struct CadenceMeeting(ActivityKind Kind, DateTime StartsAtUtc, bool Cancelled);

/// <param name="Held">Meetings of the kind in the period that have started (not cancelled).</param>
/// <param name="Scheduled">Meetings of the kind later in the period (not cancelled).</param>
/// <param name="DaysToDue">Whole local days from today to the due date (0 on the due date).</param>
/// <param name="PreviousMissed">The previous period had no meeting of the kind (and the branch existed all of it).</param>
/// <param name="Overdue">The previous period was missed and nothing has been held since: the branch is behind.</param>
public sealed record CadenceEvaluation(
    ActivityKind Kind,
    CadenceFrequency Frequency,
    CadencePeriod Period,
    int Held,
    int Scheduled,
    int DaysToDue,
    CadenceStatus Status,
    CadencePeriod PreviousPeriod,
    bool PreviousMissed,
    bool Overdue)
{
    public DateOnly DueDate => Period.DueDate;
}

/// <summary>
/// The 三会一课 / 主题党日 rules: which meetings a branch is expected to hold per period (支部党员大会 quarterly, 支委会
/// monthly, 党小组会 monthly, 党课 quarterly, 主题党日 monthly, each overridable per branch), and for a given moment
/// where each stands. Periods are natural months / quarters in the local time zone; a meeting counts for the period
/// its local start date falls in, when it is not cancelled. Pure: the host loads activities and overrides and asks.
/// </summary>
public static class CadenceRules
{
    /// <summary>The secretary is reminded this many days before the due date when nothing is held or planned.</summary>
    public const int ReminderLeadDays = 3;

    /// <summary>The meeting kinds the cadence tracks, in display order.</summary>
    public static readonly IReadOnlyList<ActivityKind> TrackedKinds =
    [
        ActivityKind.BranchAssembly, ActivityKind.BranchCommittee, ActivityKind.GroupMeeting, ActivityKind.PartyLecture, ActivityKind.ThemeDay,
    ];

    public static CadenceFrequency DefaultFrequency(ActivityKind kind) => kind switch
    {
        ActivityKind.BranchAssembly => CadenceFrequency.Quarterly,
        ActivityKind.BranchCommittee => CadenceFrequency.Monthly,
        ActivityKind.GroupMeeting => CadenceFrequency.Monthly,
        ActivityKind.PartyLecture => CadenceFrequency.Quarterly,
        ActivityKind.ThemeDay => CadenceFrequency.Monthly,
        _ => CadenceFrequency.Off,
    };

    public static bool IsTracked(ActivityKind kind) => DefaultFrequency(kind) != CadenceFrequency.Off;

    /// <summary>The defaults with a branch's overrides applied (overrides of untracked kinds are ignored).</summary>
    public static IReadOnlyDictionary<ActivityKind, CadenceFrequency> Requirements(IEnumerable<(ActivityKind Kind, CadenceFrequency Frequency)>? overrides)
    {
        var result = TrackedKinds.ToDictionary(k => k, DefaultFrequency);
        foreach (var (kind, frequency) in overrides ?? [])
            if (result.ContainsKey(kind)) result[kind] = frequency;
        return result;
    }

    public static string DisplayName(ActivityKind kind) => kind switch
    {
        ActivityKind.BranchAssembly => "支部党员大会",
        ActivityKind.BranchCommittee => "支委会",
        ActivityKind.GroupMeeting => "党小组会",
        ActivityKind.PartyLecture => "党课",
        ActivityKind.ThemeDay => "主题党日",
        ActivityKind.Volunteer => "志愿服务",
        ActivityKind.Contest => "知识竞赛",
        _ => "其他活动",
    };

    public static string DisplayName(CadenceFrequency frequency) => frequency switch
    {
        CadenceFrequency.Monthly => "每月",
        CadenceFrequency.Quarterly => "每季度",
        _ => "不要求",
    };

    /// <summary>The period of <paramref name="frequency"/> containing a local date (Off: the month, for display only).</summary>
    public static CadencePeriod PeriodOf(CadenceFrequency frequency, DateOnly date)
    {
        if (frequency == CadenceFrequency.Quarterly)
        {
            var quarter = (date.Month - 1) / 3;
            var start = new DateOnly(date.Year, quarter * 3 + 1, 1);
            return new CadencePeriod(start, start.AddMonths(3), string.Create(CultureInfo.InvariantCulture, $"{date.Year}-Q{quarter + 1}"));
        }
        var monthStart = new DateOnly(date.Year, date.Month, 1);
        return new CadencePeriod(monthStart, monthStart.AddMonths(1), monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture));
    }

    public static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    /// <summary>
    /// Where each tracked kind stands for one branch at <paramref name="nowUtc"/>.
    /// </summary>
    /// <param name="branchSinceUtc">When the branch was created: a previous period that began before it is never "missed".</param>
    public static IReadOnlyList<CadenceEvaluation> Evaluate(
        IReadOnlyDictionary<ActivityKind, CadenceFrequency> requirements,
        IEnumerable<CadenceMeeting> meetings,
        DateTime nowUtc,
        TimeZoneInfo zone,
        DateTime? branchSinceUtc = null)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(zone);
        var today = LocalDate(nowUtc, zone);
        var since = branchSinceUtc is { } s ? LocalDate(s, zone) : DateOnly.MinValue;
        var live = (meetings ?? []).Where(m => !m.Cancelled)
            .Select(m => (m.Kind, m.StartsAtUtc, Date: LocalDate(m.StartsAtUtc, zone))).ToList();

        var result = new List<CadenceEvaluation>();
        foreach (var kind in TrackedKinds)
        {
            var frequency = requirements.TryGetValue(kind, out var f) ? f : DefaultFrequency(kind);
            var period = PeriodOf(frequency, today);
            var previous = PeriodOf(frequency, period.Start.AddDays(-1));
            var ofKind = live.Where(m => m.Kind == kind).ToList();
            var held = ofKind.Count(m => period.Contains(m.Date) && m.StartsAtUtc <= nowUtc);
            var scheduled = ofKind.Count(m => period.Contains(m.Date) && m.StartsAtUtc > nowUtc);
            var daysToDue = period.DueDate.DayNumber - today.DayNumber;
            if (frequency == CadenceFrequency.Off)
            {
                result.Add(new CadenceEvaluation(kind, frequency, period, held, scheduled, daysToDue, CadenceStatus.NotRequired, previous, false, false));
                continue;
            }
            var status = held > 0 ? CadenceStatus.Held
                : scheduled > 0 ? CadenceStatus.Scheduled
                : daysToDue <= ReminderLeadDays ? CadenceStatus.DueSoon
                : CadenceStatus.Open;
            var previousMissed = previous.Start >= since && !ofKind.Any(m => previous.Contains(m.Date));
            result.Add(new CadenceEvaluation(kind, frequency, period, held, scheduled, daysToDue, status, previous, previousMissed,
                Overdue: previousMissed && held == 0));
        }
        return result;
    }

    /// <summary>The kinds the secretary is reminded about now: due within the lead days with nothing held or planned.</summary>
    public static IReadOnlyList<CadenceEvaluation> NeedingReminder(IEnumerable<CadenceEvaluation> evaluations) =>
        evaluations.Where(e => e.Status == CadenceStatus.DueSoon).ToList();
}
