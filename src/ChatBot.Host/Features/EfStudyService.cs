using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;

public sealed class EfStudyService(ChatBotDbContext db, IPointsService points) : IStudyService
{
    public const int DefaultPassScore = 60;

    public async Task<LessonSummary?> NextLessonAsync(int memberId, CancellationToken ct)
    {
        var assigned = await db.StudyAssignments.AsNoTracking()
            .Where(a => a.MemberId == memberId && a.Status == AssignmentStatus.Pending
                && a.StudyTask!.ContentItem!.Status == ContentStatus.Published)
            .OrderBy(a => a.StudyTask!.DueAt)
            .Select(a => new { a.StudyTask!.ContentItemId, a.StudyTask.DueAt })
            .FirstOrDefaultAsync(ct);
        if (assigned is not null)
            return await SummaryAsync(assigned.ContentItemId, true, assigned.DueAt, ct);

        var newest = await db.ContentItems.AsNoTracking()
            .Where(c => c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published)
            .OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id)
            .Select(c => (int?)c.Id)
            .FirstOrDefaultAsync(ct);
        return newest is null ? null : await SummaryAsync(newest.Value, false, null, ct);
    }

    public Task<LessonSummary?> GetLessonAsync(int lessonId, CancellationToken ct) => SummaryAsync(lessonId, false, null, ct);

    public async Task<IReadOnlyList<QuizQuestionView>> GetQuizAsync(int lessonId, CancellationToken ct)
    {
        var questions = await db.QuizQuestions.AsNoTracking()
            .Where(q => q.ContentItemId == lessonId)
            .OrderBy(q => q.Order).ThenBy(q => q.Id)
            .ToListAsync(ct);
        return questions.Select(q => new QuizQuestionView(q.Id, q.Text, q.Options().ToList(), q.Kind, q.CorrectOptions, q.Explanation)).ToList();
    }

    public async Task<TaskOverview> GetTasksAsync(int memberId, CancellationToken ct)
    {
        var rows = await db.StudyAssignments.AsNoTracking()
            .Where(a => a.MemberId == memberId)
            .Select(a => new { a.Status, a.StudyTaskId, a.StudyTask!.Title, a.StudyTask.ContentItemId, a.StudyTask.DueAt })
            .ToListAsync(ct);
        var pending = rows.Where(r => r.Status == AssignmentStatus.Pending)
            .OrderBy(r => r.DueAt)
            .Select(r => new PendingTask(r.StudyTaskId, r.Title, r.ContentItemId, r.DueAt))
            .ToList();
        return new TaskOverview(pending, rows.Count(r => r.Status == AssignmentStatus.Completed), rows.Count);
    }

    public async Task<QuizOutcome> RecordQuizAsync(int memberId, int lessonId, int correct, int total, DateTime nowUtc, CancellationToken ct)
    {
        var score = total == 0 ? 0 : (int)Math.Round(correct * 100.0 / total);
        var assignments = await db.StudyAssignments
            .Include(a => a.StudyTask)
            .Where(a => a.MemberId == memberId && a.StudyTask!.ContentItemId == lessonId)
            .ToListAsync(ct);
        var passScore = assignments.Count > 0 ? assignments.Min(a => a.StudyTask!.PassScore) : DefaultPassScore;
        var passed = score >= passScore;

        var completedTask = false;
        foreach (var assignment in assignments)
        {
            assignment.Score = Math.Max(assignment.Score ?? 0, score);
            if (passed && assignment.Status == AssignmentStatus.Pending)
            {
                assignment.Status = AssignmentStatus.Completed;
                assignment.CompletedAt = nowUtc;
                completedTask = true;
            }
        }
        await db.SaveChangesAsync(ct);

        var credited = 0;
        if (passed)
        {
            credited += await points.CreditAsync(memberId, PointsRuleCodes.QuizPassed, $"quiz:{lessonId}", nowUtc, ct);
            foreach (var assignment in assignments.Where(a => a.Status == AssignmentStatus.Completed))
                credited += await points.CreditAsync(memberId, PointsRuleCodes.TaskCompleted, $"task:{assignment.StudyTaskId}", nowUtc, ct);
        }
        return new QuizOutcome(score, passed, completedTask, credited);
    }

    public async Task MarkLessonReadAsync(int memberId, int lessonId, DateTime nowUtc, CancellationToken ct) =>
        await db.StudyAssignments.Where(a => a.MemberId == memberId && a.StudyTask!.ContentItemId == lessonId && a.ReadAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.ReadAt, nowUtc), ct);

    public async Task<QuizSubmission?> SubmitQuizAsync(int memberId, int lessonId, IReadOnlyDictionary<int, string> answers, DateTime nowUtc, CancellationToken ct)
    {
        var questions = await GetQuizAsync(lessonId, ct);
        if (questions.Count == 0) return null;
        var graded = questions.Select(q =>
        {
            var given = answers.TryGetValue(q.Id, out var a) ? a.Trim().ToUpperInvariant() : "";
            return new GradedAnswer(q, given, q.IsCorrect(given));
        }).ToList();
        var correct = graded.Count(g => g.Right);
        var outcome = await RecordQuizAsync(memberId, lessonId, correct, graded.Count, nowUtc, ct);
        return new QuizSubmission(outcome, correct, graded.Count, graded);
    }

    public async Task<IReadOnlyList<BranchTaskProgress>> GetBranchProgressAsync(int organisationId, DateTime nowUtc, CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisationId, ct);
        var since = nowUtc.AddDays(-7);
        var rows = await db.StudyAssignments.AsNoTracking()
            .Where(a => a.Member!.Organisation!.Path.StartsWith(organisation.Path) && a.StudyTask!.DueAt >= since)
            .Select(a => new { a.StudyTaskId, a.StudyTask!.Title, a.StudyTask.DueAt, a.Status, a.Member!.Name })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.StudyTaskId)
            .Select(g => new BranchTaskProgress(
                g.First().Title,
                g.First().DueAt,
                g.Count(r => r.Status == AssignmentStatus.Completed),
                g.Count(),
                organisation.ShowPendingNamesInGroup
                    ? g.Where(r => r.Status == AssignmentStatus.Pending).Select(r => r.Name).Order(StringComparer.Ordinal).ToList()
                    : []))
            .OrderBy(p => p.DueAt)
            .ToList();
    }

    private async Task<LessonSummary?> SummaryAsync(int lessonId, bool assigned, DateTime? dueAt, CancellationToken ct) =>
        await db.ContentItems.AsNoTracking()
            .Where(c => c.Id == lessonId && c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published)
            .Select(c => new LessonSummary(c.Id, c.Title, c.Summary, c.EstimatedMinutes, c.Questions.Count, assigned, dueAt))
            .FirstOrDefaultAsync(ct);
}
