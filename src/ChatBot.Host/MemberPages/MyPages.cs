using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.MemberPages;

/// <summary>我的学习任务 and 我的积分: the member's own rows only (the member id comes from the token), no ranking.</summary>
public sealed class MyPages(
    ChatBotDbContext db, IPointsService points, SignedMemberLinks links, DisplayTime display, TimeProvider time, MemberPageRenderer pages)
{
    /// <summary>Most ledger lines shown (newest first); the total always counts every approved line.</summary>
    public const int EntryLimit = 100;

    public MemberPageRenderer Pages => pages;

    public async Task<IResult> TasksAsync(int memberId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await db.StudyAssignments.AsNoTracking()
            .Where(a => a.MemberId == memberId)
            .Select(a => new
            {
                a.Status, a.Score, a.CompletedAt, a.StudyTask!.Title, a.StudyTask.DueAt, a.StudyTask.ContentItemId,
                Published = a.StudyTask.ContentItem!.Status == ContentStatus.Published,
                Lesson = a.StudyTask.ContentItem.Title,
            })
            .ToListAsync(ct);
        var pending = rows.Where(r => r.Status == AssignmentStatus.Pending).OrderBy(r => r.DueAt).Select(r => new
        {
            title = r.Title,
            lesson = r.Lesson,
            due_at = display.ToLocal(r.DueAt),
            due_days = display.DaysUntil(r.DueAt, now),
            overdue = r.DueAt < now,
            score = r.Score,
            url = r.Published ? links.Lesson(memberId, r.ContentItemId) : null,
        }).ToList();
        var done = rows.Where(r => r.Status == AssignmentStatus.Completed).OrderByDescending(r => r.CompletedAt).Select(r => new
        {
            title = r.Title,
            lesson = r.Lesson,
            due_at = display.ToLocal(r.DueAt),
            completed_at = r.CompletedAt is { } c ? display.ToLocal(c) : (DateTime?)null,
            score = r.Score,
            url = r.Published ? links.Lesson(memberId, r.ContentItemId) : null,
        }).ToList();
        return pages.Page("tasks", "我的学习任务", new { pending, done, total = rows.Count }, memberId);
    }

    public async Task<IResult> PointsAsync(int memberId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var summary = await points.GetSummaryAsync(memberId, now, ct);
        var entries = await db.PointsEntries.AsNoTracking()
            .Where(e => e.MemberId == memberId)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Take(EntryLimit)
            .Select(e => new { e.Id, e.SourceKey, e.Points, e.Status, e.Note, e.CreatedAt, e.ReversesEntryId, Rule = e.PointsRule!.Name, e.PointsRule.Code })
            .ToListAsync(ct);
        var count = await db.PointsEntries.CountAsync(e => e.MemberId == memberId, ct);
        var sources = await SourceTitlesAsync(entries.Select(e => e.SourceKey).ToList(), ct);

        return pages.Page("points", "我的积分", new
        {
            total = summary.Total,
            month = summary.ThisMonth,
            stars = summary.Stars,
            by_rule = summary.ByRule.Select(r => new { name = r.Name, points = r.Points }).ToList(),
            today = summary.StillAvailableToday.Select(t => new { name = t.Name, remaining = t.Remaining }).ToList(),
            more = count > entries.Count,
            limit = EntryLimit,
            entries = entries.Select(e => new
            {
                rule = e.Rule,
                points = e.Points,
                at = display.ToLocal(e.CreatedAt),
                what = sources.GetValueOrDefault(e.SourceKey) ?? Describe(e.SourceKey),
                note = e.Note,
                status = e.Status switch
                {
                    PointsEntryStatus.PendingApproval => "pending",
                    PointsEntryStatus.Rejected => "rejected",
                    _ => "approved",
                },
                reversal = e.ReversesEntryId is not null,
            }).ToList(),
        }, memberId);
    }

    /// <summary>"quiz:12" → 《lesson title》 etc.: what each line was for, in words.</summary>
    private async Task<Dictionary<string, string>> SourceTitlesAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        List<int> Ids(params string[] prefixes) => keys
            .Select(k => k.Split(':'))
            .Where(p => p.Length == 2 && prefixes.Contains(p[0]) && int.TryParse(p[1], out _))
            .Select(p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();

        var contentIds = Ids("lesson", "quiz");
        if (contentIds.Count > 0)
            foreach (var c in await db.ContentItems.AsNoTracking().Where(c => contentIds.Contains(c.Id)).Select(c => new { c.Id, c.Title }).ToListAsync(ct))
            {
                result["lesson:" + MemberPageEndpoints.Inv(c.Id)] = $"阅读《{c.Title}》";
                result["quiz:" + MemberPageEndpoints.Inv(c.Id)] = $"《{c.Title}》答题通过";
            }
        var taskIds = Ids("task", "overdue");
        if (taskIds.Count > 0)
            foreach (var t in await db.StudyTasks.AsNoTracking().Where(t => taskIds.Contains(t.Id)).Select(t => new { t.Id, t.Title }).ToListAsync(ct))
            {
                result["task:" + MemberPageEndpoints.Inv(t.Id)] = $"完成学习任务“{t.Title}”";
                result["overdue:" + MemberPageEndpoints.Inv(t.Id)] = $"学习任务“{t.Title}”逾期未完成";
            }
        var activityIds = Ids("activity", "absence");
        if (activityIds.Count > 0)
            foreach (var a in await db.Activities.AsNoTracking().Where(a => activityIds.Contains(a.Id)).Select(a => new { a.Id, a.Title }).ToListAsync(ct))
            {
                result["activity:" + MemberPageEndpoints.Inv(a.Id)] = $"参加“{a.Title}”";
                result["absence:" + MemberPageEndpoints.Inv(a.Id)] = $"“{a.Title}”无故缺席";
            }
        return result;
    }

    private static string Describe(string sourceKey) => sourceKey.StartsWith("manual", StringComparison.Ordinal) ? "管理员登记" : "";
}
