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
    /// <summary>Manual credit or deduction an admin asks for and a second admin approves; the entry holds its own amount.</summary>
    public const string Manual = "manual.adjust";
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
    /// <summary>Why: the rule's occasion, or the reason an admin gave for a manual line or a reversal.</summary>
    public string? Note { get; set; }
    /// <summary>A link or a short text backing a manual line (photo link, meeting minutes number…).</summary>
    public string? Evidence { get; set; }
    /// <summary>The admin who asked for a manual line or a reversal; null for lines the rules credited.</summary>
    public string? RequestedBy { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    public DateTime CreatedAt { get; set; }

    public const int MaxManualPoints = 100;

    /// <summary>
    /// A manual credit (positive) or deduction (negative) waiting for a second admin. Amount, reason and requester are
    /// required; the rules for them live here so the console and the API refuse the same things.
    /// </summary>
    public static PointsEntry ManualRequest(int memberId, int manualRuleId, int points, string reason, string? evidence, string requestedBy, DateTime nowUtc, string uniqueKey)
    {
        if (points == 0 || Math.Abs(points) > MaxManualPoints)
            throw new RuleViolation("points", $"分值须为 -{MaxManualPoints} 到 {MaxManualPoints} 之间的非零整数");
        if (string.IsNullOrWhiteSpace(reason)) throw new RuleViolation("reason", "请填写加减分理由");
        if (reason.Trim().Length > 500) throw new RuleViolation("reason", "理由最多 500 字");
        if (evidence is { Length: > 500 }) throw new RuleViolation("evidence", "佐证最多 500 字");
        if (string.IsNullOrWhiteSpace(requestedBy)) throw new RuleViolation("requestedBy", "缺少申请人");
        return new PointsEntry
        {
            MemberId = memberId, PointsRuleId = manualRuleId, SourceKey = "manual:" + uniqueKey, Points = points,
            Status = PointsEntryStatus.PendingApproval, Note = reason.Trim(),
            Evidence = string.IsNullOrWhiteSpace(evidence) ? null : evidence.Trim(), RequestedBy = requestedBy, CreatedAt = nowUtc,
        };
    }

    /// <summary>
    /// Approves or rejects a pending line. The person who asked for it can never decide it: the four-eyes rule is
    /// here, not in a page, so the API and any later caller inherit it.
    /// </summary>
    public PointsDecisionOutcome Decide(string decidedBy, bool approve, string? note, DateTime nowUtc)
    {
        if (Status != PointsEntryStatus.PendingApproval) return PointsDecisionOutcome.NotPending;
        if (string.IsNullOrWhiteSpace(decidedBy)) throw new RuleViolation("decidedBy", "缺少审核人");
        if (RequestedBy is not null && string.Equals(RequestedBy, decidedBy, StringComparison.OrdinalIgnoreCase))
            return PointsDecisionOutcome.SameAsRequester;
        Status = approve ? PointsEntryStatus.Approved : PointsEntryStatus.Rejected;
        DecidedBy = decidedBy;
        DecidedAt = nowUtc;
        DecisionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        return approve ? PointsDecisionOutcome.Approved : PointsDecisionOutcome.Rejected;
    }

    /// <summary>
    /// The correcting line for an approved one: the opposite amount, same member and rule, pointing back. The original is
    /// never changed; a unique source key ("reversal:ID") makes a second reversal of the same line impossible.
    /// </summary>
    public PointsEntry Reverse(string requestedBy, string reason, DateTime nowUtc)
    {
        if (Status != PointsEntryStatus.Approved) throw new RuleViolation("entryId", "只能冲正已生效的积分记录");
        if (ReversesEntryId is not null) throw new RuleViolation("entryId", "冲正记录不能再冲正");
        if (string.IsNullOrWhiteSpace(reason)) throw new RuleViolation("reason", "请填写冲正理由");
        return new PointsEntry
        {
            MemberId = MemberId, PointsRuleId = PointsRuleId, SourceKey = $"reversal:{Id}", Points = -Points,
            Status = PointsEntryStatus.Approved, ReversesEntryId = Id, Note = reason.Trim(), RequestedBy = requestedBy,
            DecidedBy = requestedBy, DecidedAt = nowUtc, CreatedAt = nowUtc,
        };
    }
}

public enum PointsDecisionOutcome
{
    Approved = 0,
    Rejected = 1,
    NotPending = 2,
    SameAsRequester = 3,
}


/// <summary>
/// A star grade (星级党员, e.g. 学习进步星) earned in a quarter when the approved points under its rules reach the
/// threshold. Configured by the committee; computed from the ledger, never stored per member.
/// </summary>
public class StarLevel
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Space-separated rule codes whose points count; empty: every rule.</summary>
    public string RuleCodes { get; set; } = "";
    public int QuarterThreshold { get; set; }
    public bool Active { get; set; } = true;

    public IReadOnlyList<string> Codes() => RuleCodes.Split([' ', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>One approved ledger line as the star computation sees it.</summary>
public readonly record struct LedgerPoint(string RuleCode, int Points, DateTime At);

public static class StarLevels
{
    /// <summary>
    /// The stars earned in [quarterStart, quarterEnd): per active level, the sum of approved points of its rules in the
    /// quarter (reversals included, so a reversed credit stops counting) reaching its threshold.
    /// </summary>
    public static IReadOnlyList<(StarLevel Level, int Points)> Earned(IEnumerable<LedgerPoint> approved, IEnumerable<StarLevel> levels,
        DateTime quarterStart, DateTime quarterEnd)
    {
        var inQuarter = approved.Where(p => p.At >= quarterStart && p.At < quarterEnd).ToList();
        var earned = new List<(StarLevel, int)>();
        foreach (var level in levels.Where(l => l.Active && l.QuarterThreshold > 0).OrderBy(l => l.Id))
        {
            var codes = level.Codes();
            var sum = inQuarter.Where(p => codes.Count == 0 || codes.Contains(p.RuleCode)).Sum(p => p.Points);
            if (sum >= level.QuarterThreshold) earned.Add((level, sum));
        }
        return earned;
    }

    /// <summary>Validates a level an admin configures; throws naming the field.</summary>
    public static void Validate(string name, int threshold)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 50) throw new RuleViolation("name", "请填写星级名称（最多 50 字）");
        if (threshold < 1 || threshold > 10_000) throw new RuleViolation("quarterThreshold", "季度门槛须为 1 到 10000 之间的整数");
    }
}
