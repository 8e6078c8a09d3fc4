namespace ChatBot.Core.Domain;

/// <summary>What a <see cref="RecurringSchedule"/> does when its cron fires; one <c>IScheduledTask</c> per kind.</summary>
public enum ScheduleKind
{
    /// <summary>Policies published since the last digest: one merged message per branch group chat, one line per member.</summary>
    PolicyDigest = 0,
    /// <summary>The next lesson of a micro-lesson series to each member (position kept per member) and a card to the branch groups.</summary>
    LessonSeries = 1,
    /// <summary>Members with study assignments due within 3 days or overdue: one digest message, at most one per day.</summary>
    StudyReminders = 2,
    /// <summary>Registered members 24 h and 1 h before an activity; the secretary gets the sign-up list 24 h before.</summary>
    ActivityReminders = 3,
    /// <summary>三会一课 / 主题党日: remind a branch secretary 3 days before a meeting is due with none scheduled.</summary>
    CadenceAlerts = 4,
    /// <summary>三会一课: the weekly note of overdue branches to the committee admins.</summary>
    CadenceWeeklyNote = 5,
}

/// <summary>
/// A recurring push, registered as a Hangfire recurring job <c>schedule:{Id}</c> (cron in <c>Scheduling:TimeZone</c>).
/// It applies to the subtree of <see cref="OrganisationId"/> (null = the whole committee); a schedule of the same kind
/// on an organisation below overrides it for that subtree (a disabled child switches the kind off there).
/// </summary>
public class RecurringSchedule
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public ScheduleKind Kind { get; set; }
    /// <summary>Cron (5 fields: minute hour day month weekday) in <c>Scheduling:TimeZone</c>.</summary>
    public required string Cron { get; set; }
    /// <summary>Root of the subtree the schedule applies to; null = the whole committee.</summary>
    public int? OrganisationId { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Kind-specific settings as a JSON object (e.g. <c>{"dueWithinDays":3}</c>); "{}" = defaults.</summary>
    public string Parameters { get; set; } = "{}";
    /// <summary>The latest slot (cron occurrence, UTC) a run was started for; recovery runs the newest missed slot once.</summary>
    public DateTime? LastSlotAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum ScheduleRunStatus
{
    Running = 0,
    Completed = 1,
    Failed = 2,
}

/// <summary>
/// One execution of a schedule for one slot. <see cref="RunKey"/> ("schedule:{id}:{slot yyyyMMddTHHmmZ}") is unique:
/// the row is inserted before the task runs, so of two instances (or a retried job) firing the same slot one wins.
/// </summary>
public class ScheduleRun
{
    public long Id { get; set; }
    public int ScheduleId { get; set; }
    /// <summary>The cron occurrence (UTC) the run is for; run-now uses the minute it was asked.</summary>
    public DateTime SlotAt { get; set; }
    public required string RunKey { get; set; }
    public ScheduleRunStatus Status { get; set; }
    /// <summary>Who started it: "cron", "recovery", "run-now:{actor}".</summary>
    public string Trigger { get; set; } = "cron";
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The task's <c>ScheduleRunReport</c> as JSON (counts, note).</summary>
    public string Report { get; set; } = "{}";
    public string? Error { get; set; }

    public static string KeyFor(int scheduleId, DateTime slotUtc) =>
        $"schedule:{scheduleId}:{slotUtc:yyyyMMdd'T'HHmm'Z'}";
}

/// <summary>
/// Where a member is in a micro-lesson series: the last lesson sent to them. The series is the published lessons in
/// publication order (<c>series</c> parameter names it; "default" otherwise), so the next lesson is the first one
/// published after <see cref="LastContentItemId"/>'s.
/// </summary>
public class LessonSeriesPosition
{
    public long Id { get; set; }
    public int MemberId { get; set; }
    public required string Series { get; set; }
    public int LastContentItemId { get; set; }
    /// <summary>The slot of the run that sent it; a rerun of the same slot does not advance the member again.</summary>
    public DateTime LastSlotAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
