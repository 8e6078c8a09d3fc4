namespace ChatBot.Core.Domain;

public class PointsRule
{
    public int Id { get; set; }
    /// <summary>Stable code the engine credits by, e.g. <see cref="PointsRuleCodes.QuizPassed"/>.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public int Points { get; set; }
    /// <summary>Most points this rule can credit a member in one day; null for no cap.</summary>
    public int? DailyCap { get; set; }
    public bool NeedsApproval { get; set; }
    public bool Active { get; set; } = true;
}

public static class PointsRuleCodes
{
    public const string LessonRead = "lesson.read";
    public const string QuizPassed = "quiz.passed";
    public const string TaskCompleted = "task.completed";
    public const string ActivityCheckIn = "activity.checkin";
    public const string Volunteer = "volunteer.service";
    public const string UnexcusedAbsence = "activity.absence";
    public const string TaskOverdue = "task.overdue";
}

public enum PointsEntryStatus
{
    Approved = 0,
    PendingApproval = 1,
    Rejected = 2,
}

/// <summary>
/// Append-only ledger line. Unique per member + rule + source so a retried message cannot credit twice;
/// a correction is a new line pointing at the one it reverses, never an edit.
/// </summary>
public class PointsEntry
{
    public long Id { get; set; }
    public int MemberId { get; set; }
    public int PointsRuleId { get; set; }
    public PointsRule? PointsRule { get; set; }
    /// <summary>What earned it, e.g. "quiz:12", "activity:7".</summary>
    public required string SourceKey { get; set; }
    public int Points { get; set; }
    public PointsEntryStatus Status { get; set; }
    public long? ReversesEntryId { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
}
