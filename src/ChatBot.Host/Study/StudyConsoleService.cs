using ChatBot.Core.Conversation;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.Host.Delivery;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Study;

public enum StudyProgress { NotStarted = 0, Read = 1, Passed = 2 }

public sealed record StudyTaskRow(int Id, string Title, int LessonId, string LessonTitle, string OrganisationName, DateTime DueAt, int PassScore,
    int Assigned, int Read, int Passed, DateTime CreatedAt);

public sealed record StudyMemberProgress(int MemberId, string Name, string Branch, StudyProgress Progress, int? Score, DateTime? ReadAt,
    DateTime? CompletedAt, int RemindersSent, DateTime? LastRemindedAt);

public sealed record StudyBranchProgress(int OrganisationId, string Branch, int Assigned, int Read, int Passed, IReadOnlyList<StudyMemberProgress> Members);

public sealed record StudyTaskDetail(StudyTaskRow Task, IReadOnlyList<StudyBranchProgress> Branches);

/// <param name="OrganisationIds">Organisations whose members (the whole subtree) get the task.</param>
/// <param name="MemberIds">Chosen members besides (or instead of) whole organisations.</param>
public sealed record StudyTaskInput(string? Title, int LessonId, IReadOnlyList<int> OrganisationIds, IReadOnlyList<int> MemberIds, DateTime DueAt, int PassScore = 60);

/// <summary>
/// 学习任务 in the console: assign a published lesson to organisations (with their subtrees) or chosen members with a due
/// date and a pass score, follow progress per member (未开始 / 已阅读 / 已通过, score) per branch, and remind those pending
/// through the outbox — one row per task + member + local day, so pressing 提醒 twice sends once. Scoped and audited.
/// </summary>
public sealed class StudyConsoleService(ChatBotDbContext db, AuditLog audit, TimeProvider time, IOutbox outbox, IMemberLinks links,
    IReplyTemplates templates, DisplayTime display)
{
    public async Task<(IReadOnlyList<StudyTaskRow> Items, int Total)> ListAsync(OrganisationScope scope, int skip, int take, CancellationToken ct = default)
    {
        var query = Visible(scope);
        var total = await query.CountAsync(ct);
        var ids = await query.OrderByDescending(t => t.DueAt).ThenByDescending(t => t.Id).Skip(skip).Take(take).Select(t => t.Id).ToListAsync(ct);
        var rows = await RowsAsync(scope, ids, ct);
        return (ids.Select(id => rows[id]).ToList(), total);
    }

    public async Task<StudyTaskDetail?> GetAsync(OrganisationScope scope, int id, CancellationToken ct = default)
    {
        if (!await Visible(scope).AnyAsync(t => t.Id == id, ct)) return null;
        var row = (await RowsAsync(scope, [id], ct))[id];
        var members = await Assignments(scope).Where(a => a.StudyTaskId == id)
            .Select(a => new { a.MemberId, a.Member!.Name, a.Member.OrganisationId, Branch = a.Member.Organisation!.Name, a.Status, a.Score, a.ReadAt, a.CompletedAt, a.RemindersSent, a.LastRemindedAt })
            .ToListAsync(ct);
        var branches = members.GroupBy(m => (m.OrganisationId, m.Branch)).OrderBy(g => g.Key.Branch, StringComparer.Ordinal)
            .Select(g =>
            {
                var list = g.Select(m => new StudyMemberProgress(m.MemberId, m.Name, m.Branch, ProgressOf(m.Status, m.ReadAt), m.Score, m.ReadAt, m.CompletedAt, m.RemindersSent, m.LastRemindedAt))
                    .OrderBy(m => m.Progress).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
                return new StudyBranchProgress(g.Key.OrganisationId, g.Key.Branch, list.Count, list.Count(m => m.Progress >= StudyProgress.Read), list.Count(m => m.Progress == StudyProgress.Passed), list);
            }).ToList();
        return new StudyTaskDetail(row, branches);
    }

    public async Task<int?> CreateAsync(OrganisationScope scope, StudyTaskInput input, CancellationToken ct = default)
    {
        var lesson = await db.ContentItems.AsNoTracking().Where(c => c.Id == input.LessonId && c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published)
            .Select(c => new { c.Id, c.Title }).SingleOrDefaultAsync(ct) ?? throw new RuleViolation("lessonId", "请选择一篇已发布的微党课");
        var now = time.GetUtcNow().UtcDateTime;
        if (input.DueAt <= now) throw new RuleViolation("dueAt", "截止时间须晚于现在");
        if (input.PassScore is < 0 or > 100) throw new RuleViolation("passScore", "及格分须为 0 到 100");
        var title = string.IsNullOrWhiteSpace(input.Title) ? lesson.Title : input.Title.Trim();
        if (title.Length > 200) throw new RuleViolation("title", "任务名称最多 200 字");
        var orgIds = (input.OrganisationIds ?? []).Distinct().ToList();
        var memberIds = (input.MemberIds ?? []).Distinct().ToList();
        if (orgIds.Count == 0 && memberIds.Count == 0) throw new RuleViolation("organisationIds", "请选择组织或党员");

        var orgs = await db.Organisations.AsNoTracking().WithinScope(scope).Where(o => orgIds.Contains(o.Id)).Select(o => new { o.Id, o.Path }).ToListAsync(ct);
        // An organisation outside the scope is refused as if it did not exist: the caller cannot widen their reach.
        if (orgs.Count != orgIds.Count) throw new RuleViolation("organisationIds", "所选组织不在您的管理范围内");
        var chosen = await db.Members.AsNoTracking().WithinScope(scope).Where(m => memberIds.Contains(m.Id)).Select(m => m.Id).ToListAsync(ct);
        if (chosen.Count != memberIds.Count) throw new RuleViolation("memberIds", "所选党员不在您的管理范围内");
        var targets = new HashSet<int>(chosen);
        foreach (var o in orgs)
            targets.UnionWith(await db.Members.AsNoTracking().Where(m => m.Organisation!.Path.StartsWith(o.Path)).Select(m => m.Id).ToListAsync(ct));
        if (targets.Count == 0) throw new RuleViolation("organisationIds", "所选组织下没有党员");

        var task = new StudyTask
        {
            Title = title, ContentItemId = lesson.Id, DueAt = input.DueAt, PassScore = input.PassScore, CreatedAt = now,
            OrganisationId = orgIds.Count == 1 ? orgIds[0] : scope.OrganisationId,
        };
        db.StudyTasks.Add(task);
        await db.SaveChangesAsync(ct);
        // Members who already passed this lesson's quiz or read it keep that progress.
        var earlier = await db.StudyAssignments.AsNoTracking().Where(a => targets.Contains(a.MemberId) && a.StudyTask!.ContentItemId == lesson.Id)
            .GroupBy(a => a.MemberId).Select(g => new { MemberId = g.Key, Score = g.Max(a => a.Score), ReadAt = g.Min(a => a.ReadAt) }).ToDictionaryAsync(x => x.MemberId, ct);
        foreach (var memberId in targets)
        {
            var prior = earlier.GetValueOrDefault(memberId);
            var passed = prior?.Score is { } s && s >= task.PassScore;
            db.StudyAssignments.Add(new StudyAssignment
            {
                StudyTaskId = task.Id, MemberId = memberId, Score = prior?.Score, ReadAt = prior?.ReadAt,
                Status = passed ? AssignmentStatus.Completed : AssignmentStatus.Pending, CompletedAt = passed ? now : null,
            });
        }
        var path = await db.Organisations.Where(o => o.Id == task.OrganisationId).Select(o => o.Path).SingleAsync(ct);
        audit.RecordAs(scope.Actor, "study-task.create", nameof(StudyTask), task.Id, OrganisationPath.Parse(path), after: new
        {
            task.Title, LessonId = lesson.Id, task.DueAt, task.PassScore, OrganisationIds = orgIds, MemberIds = memberIds, Assigned = targets.Count,
        });
        await db.SaveChangesAsync(ct);
        return task.Id;
    }

    /// <summary>
    /// Reminds the pending members of the task within the scope, through the outbox. The idempotency key holds the local
    /// day: a second press the same day writes nothing new. Returns how many reminders were new; null when not found.
    /// </summary>
    public async Task<int?> RemindAsync(OrganisationScope scope, int id, CancellationToken ct = default)
    {
        var task = await Visible(scope).AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var day = display.ToLocal(now).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var pending = await Assignments(scope).Where(a => a.StudyTaskId == id && a.Status == AssignmentStatus.Pending).ToListAsync(ct);
        var text = templates.Render("study_reminder", new { title = task.Title, due_at = display.ToLocal(task.DueAt), pass_score = task.PassScore });
        var sent = 0;
        foreach (var a in pending)
        {
            var isNew = await outbox.EnqueueAsync([new OutboxItem
            {
                IdempotencyKey = $"study-remind:{id}:{a.MemberId}:{day}",
                MemberId = a.MemberId,
                Route = DeliveryRoute.WeChatCustomerService,
                Payload = new MemberMessage(MessageKinds.StudyReminder, task.Title, text, links.Lesson(a.MemberId, task.ContentItemId)).ToJson(),
            }], ct);
            if (isNew == 0) continue;
            a.RemindersSent++;
            a.LastRemindedAt = now;
            sent++;
        }
        var path = await db.Organisations.Where(o => o.Id == task.OrganisationId).Select(o => o.Path).SingleAsync(ct);
        audit.RecordAs(scope.Actor, "study-task.remind", nameof(StudyTask), id, OrganisationPath.Parse(path), after: new { Pending = pending.Count, Reminded = sent, Day = day });
        await db.SaveChangesAsync(ct);
        return sent;
    }

    /// <summary>Published lessons to choose from, newest first.</summary>
    public async Task<IReadOnlyList<(int Id, string Title)>> LessonsAsync(CancellationToken ct = default) =>
        (await db.ContentItems.AsNoTracking().Where(c => c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published)
            .OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id).Select(c => new { c.Id, c.Title }).Take(200).ToListAsync(ct))
        .Select(c => (c.Id, c.Title)).ToList();

    public async Task<IReadOnlyList<(int Id, string Name)>> OrganisationsAsync(OrganisationScope scope, CancellationToken ct = default) =>
        (await db.Organisations.AsNoTracking().WithinScope(scope).OrderBy(o => o.Path).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
        .Select(o => (o.Id, o.Name)).ToList();

    public static StudyProgress ProgressOf(AssignmentStatus status, DateTime? readAt) =>
        status == AssignmentStatus.Completed ? StudyProgress.Passed : readAt is not null ? StudyProgress.Read : StudyProgress.NotStarted;

    public static string Label(StudyProgress p) => p switch { StudyProgress.Passed => "已通过", StudyProgress.Read => "已阅读", _ => "未开始" };

    /// <summary>Tasks with at least one assignee in the scope (a committee task shows to each branch for its own members).</summary>
    private IQueryable<StudyTask> Visible(OrganisationScope scope)
    {
        var assignments = Assignments(scope);
        return db.StudyTasks.Where(t => assignments.Any(a => a.StudyTaskId == t.Id));
    }

    private IQueryable<StudyAssignment> Assignments(OrganisationScope scope) =>
        scope.Root == OrganisationPath.Root ? db.StudyAssignments : db.StudyAssignments.Where(a => a.Member!.Organisation!.Path.StartsWith(scope.Root.Value));

    private async Task<Dictionary<int, StudyTaskRow>> RowsAsync(OrganisationScope scope, IReadOnlyList<int> ids, CancellationToken ct)
    {
        var assignments = Assignments(scope);
        var rows = await db.StudyTasks.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new
        {
            t.Id, t.Title, t.ContentItemId, Lesson = t.ContentItem!.Title, Org = db.Organisations.Where(o => o.Id == t.OrganisationId).Select(o => o.Name).FirstOrDefault(),
            t.DueAt, t.PassScore, t.CreatedAt,
            Assigned = assignments.Count(a => a.StudyTaskId == t.Id),
            Read = assignments.Count(a => a.StudyTaskId == t.Id && (a.ReadAt != null || a.Status == AssignmentStatus.Completed)),
            Passed = assignments.Count(a => a.StudyTaskId == t.Id && a.Status == AssignmentStatus.Completed),
        }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => new StudyTaskRow(r.Id, r.Title, r.ContentItemId, r.Lesson, r.Org ?? "", r.DueAt, r.PassScore, r.Assigned, r.Read, r.Passed, r.CreatedAt));
    }
}
