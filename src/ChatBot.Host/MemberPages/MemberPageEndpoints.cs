using System.Globalization;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.MemberPages;

/// <summary>
/// Mobile pages reached from links in chat (docs/MEMBER-PAGES.md): lesson + quiz, activity, my tasks, my points —
/// each behind a signed per-member token (<see cref="MemberLinkGate"/>) — and the public policy guide.
/// GET only reads; every change (完成学习, a quiz, 报名 / 取消报名 / 签到) is a POST carrying the token in its form.
/// </summary>
public static class MemberPageEndpoints
{
    public static WebApplication MapMemberPages(this WebApplication app)
    {
        var group = app.MapGroup("/m").AddEndpointFilter(async (context, next) =>
        {
            MemberPageRequests.ApplyHeaders(context.HttpContext.Response);
            return await next(context);
        });

        group.MapGet("/lessons/{id:int}", async (int id, string? t, MemberLinkGate gate, LessonPage page, CancellationToken ct) =>
        {
            var claim = await gate.CheckAsync(t, SignedMemberLinks.LessonScope(id), ct);
            return claim.IsValid ? await page.RenderAsync(claim.MemberId, id, null, null, ct) : page.Pages.Refusal(claim.Status);
        });
        group.MapPost("/lessons/{id:int}/complete", (int id, HttpContext http, LessonPage page, CancellationToken ct) =>
            WithMemberAsync(http, SignedMemberLinks.LessonScope(id), ct, (memberId, _) => page.CompleteAsync(memberId, id, ct)))
            .DisableAntiforgery();
        group.MapPost("/lessons/{id:int}/quiz", (int id, HttpContext http, LessonPage page, CancellationToken ct) =>
            WithMemberAsync(http, SignedMemberLinks.LessonScope(id), ct, (memberId, form) => page.AnswerAsync(memberId, id, form, ct)))
            .DisableAntiforgery();

        group.MapGet("/activities/{id:int}", async (int id, string? t, MemberLinkGate gate, ActivityPage page, CancellationToken ct) =>
        {
            var claim = await gate.CheckAsync(t, SignedMemberLinks.ActivityScope(id), ct);
            return claim.IsValid ? await page.RenderAsync(claim.MemberId, id, null, ct) : page.Pages.Refusal(claim.Status);
        });
        group.MapPost("/activities/{id:int}/signup", (int id, HttpContext http, ActivityPage page, CancellationToken ct) =>
            WithMemberAsync(http, SignedMemberLinks.ActivityScope(id), ct, (memberId, _) => page.SignUpAsync(memberId, id, ct)))
            .DisableAntiforgery();
        group.MapPost("/activities/{id:int}/cancel", (int id, HttpContext http, ActivityPage page, CancellationToken ct) =>
            WithMemberAsync(http, SignedMemberLinks.ActivityScope(id), ct, (memberId, _) => page.CancelAsync(memberId, id, ct)))
            .DisableAntiforgery();
        group.MapPost("/activities/{id:int}/checkin", (int id, HttpContext http, ActivityPage page, CancellationToken ct) =>
            WithMemberAsync(http, SignedMemberLinks.ActivityScope(id), ct, (memberId, form) => page.CheckInAsync(memberId, id, form["code"].ToString(), ct)))
            .DisableAntiforgery();

        group.MapGet("/tasks", async (string? t, MemberLinkGate gate, MyPages page, CancellationToken ct) =>
        {
            var claim = await gate.CheckAsync(t, SignedMemberLinks.TasksScope, ct);
            return claim.IsValid ? await page.TasksAsync(claim.MemberId, ct) : page.Pages.Refusal(claim.Status);
        });
        group.MapGet("/points", async (string? t, MemberLinkGate gate, MyPages page, CancellationToken ct) =>
        {
            var claim = await gate.CheckAsync(t, SignedMemberLinks.PointsScope, ct);
            return claim.IsValid ? await page.PointsAsync(claim.MemberId, ct) : page.Pages.Refusal(claim.Status);
        });

        group.MapGet("/policies/{id:int}", async (int id, ChatBotDbContext db, MemberPageRenderer pages, CancellationToken ct) =>
        {
            var item = await db.ContentItems.AsNoTracking().Include(c => c.Attachments)
                .SingleOrDefaultAsync(c => c.Id == id && c.Kind != ContentKind.Lesson && c.Status == ContentStatus.Published, ct);
            return item is null ? pages.Error(StatusCodes.Status404NotFound, "not_found") : pages.Content(item);
        });
        return app;
    }

    /// <summary>A POST: same origin, a form with the page's token (checked like a GET), then the change.</summary>
    private static async Task<IResult> WithMemberAsync(HttpContext http, string scope, CancellationToken ct,
        Func<int, IFormCollection, Task<IResult>> action)
    {
        var services = http.RequestServices;
        var pages = services.GetRequiredService<MemberPageRenderer>();
        if (!MemberPageRequests.IsSameOrigin(http.Request, services.GetRequiredService<IOptions<MemberPagesOptions>>().Value))
            return pages.Error(StatusCodes.Status403Forbidden, "request_refused");
        var form = await MemberPageRequests.ReadFormAsync(http.Request, ct);
        var claim = await services.GetRequiredService<MemberLinkGate>().CheckAsync(form?["t"].ToString(), scope, ct);
        return claim.IsValid ? await action(claim.MemberId, form!) : pages.Refusal(claim.Status);
    }

    public static IServiceCollection AddMemberPages(this IServiceCollection services)
    {
        services.AddSingleton<MemberPageRenderer>();
        services.AddScoped<MemberLinkGate>();
        services.AddScoped<LessonPage>();
        services.AddScoped<ActivityPage>();
        services.AddScoped<MyPages>();
        return services;
    }

    internal static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The lesson reader: body, 完成学习 (credits the reading, once), the quiz graded by the study service.</summary>
public sealed class LessonPage(
    ChatBotDbContext db, IStudyService study, IPointsService points, SignedMemberLinks links, DisplayTime display,
    TimeProvider time, MemberPageRenderer pages)
{
    public MemberPageRenderer Pages => pages;

    public async Task<IResult> CompleteAsync(int memberId, int lessonId, CancellationToken ct)
    {
        if (!await ExistsAsync(lessonId, ct)) return pages.Error(StatusCodes.Status404NotFound, "not_found");
        // The reading is credited here, on the member's deliberate POST — never on opening the link.
        var credited = await points.CreditAsync(memberId, PointsRuleCodes.LessonRead, LessonReadSource(lessonId), time.GetUtcNow().UtcDateTime, ct);
        // 学习进度 "已阅读" for the study tasks of this lesson: also only on the member's own POST.
        await study.MarkLessonReadAsync(memberId, lessonId, time.GetUtcNow().UtcDateTime, ct);
        return await RenderAsync(memberId, lessonId, new { kind = "completed", points = credited }, null, ct);
    }

    public async Task<IResult> AnswerAsync(int memberId, int lessonId, IFormCollection form, CancellationToken ct)
    {
        if (!await ExistsAsync(lessonId, ct)) return pages.Error(StatusCodes.Status404NotFound, "not_found");
        var answers = new Dictionary<int, string>();
        foreach (var (key, value) in form)
            if (key.StartsWith('q') && int.TryParse(key.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var questionId))
                answers[questionId] = string.Concat(value.ToArray()); // a multiple-choice question posts one value per ticked box
        var submission = await study.SubmitQuizAsync(memberId, lessonId, answers, time.GetUtcNow().UtcDateTime, ct);
        return await RenderAsync(memberId, lessonId, null, submission, ct);
    }

    public async Task<IResult> RenderAsync(int memberId, int lessonId, object? flash, QuizSubmission? submission, CancellationToken ct)
    {
        var lesson = await db.ContentItems.AsNoTracking().Include(c => c.Attachments)
            .SingleOrDefaultAsync(c => c.Id == lessonId && c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published, ct);
        if (lesson is null) return pages.Error(StatusCodes.Status404NotFound, "not_found");
        var source = LessonReadSource(lessonId);
        var read = await db.PointsEntries.AsNoTracking()
            .AnyAsync(e => e.MemberId == memberId && e.SourceKey == source && e.PointsRule!.Code == PointsRuleCodes.LessonRead, ct);
        var assignment = await db.StudyAssignments.AsNoTracking()
            .Where(a => a.MemberId == memberId && a.StudyTask!.ContentItemId == lessonId)
            .OrderBy(a => a.Status).ThenBy(a => a.StudyTask!.DueAt)
            .Select(a => new { a.Status, a.Score, a.StudyTask!.DueAt, a.StudyTask.Title, a.StudyTask.PassScore })
            .FirstOrDefaultAsync(ct);
        var quiz = await study.GetQuizAsync(lessonId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var token = links.LessonToken(memberId, lessonId);

        return pages.Page("lesson", lesson.Title, new
        {
            id = lessonId,
            token,
            title = lesson.Title,
            summary = lesson.Summary,
            minutes = lesson.EstimatedMinutes,
            body = pages.Markdown(lesson.BodyMarkdown),
            attachments = MemberPageRenderer.Attachments(lesson),
            read = read || flash is not null,
            flash,
            task = assignment is null ? null : new
            {
                title = assignment.Title,
                done = assignment.Status == AssignmentStatus.Completed,
                due_at = display.ToLocal(assignment.DueAt),
                overdue = assignment.Status == AssignmentStatus.Pending && assignment.DueAt < now,
                score = assignment.Score,
                pass_score = assignment.PassScore,
            },
            questions = quiz.Select((q, i) => new
            {
                id = q.Id,
                number = i + 1,
                text = q.Text,
                multiple = q.Multiple,
                options = q.Options.Select(o => new { letter = o.Letter.ToString(), text = o.Text }).ToList(),
            }).ToList(),
            result = submission is null ? null : new
            {
                score = submission.Outcome.Score,
                passed = submission.Outcome.Passed,
                correct = submission.Correct,
                total = submission.Total,
                points = submission.Outcome.PointsCredited,
                completed_task = submission.Outcome.CompletedTask,
                answers = submission.Answers.Select((a, i) => new
                {
                    number = i + 1,
                    text = a.Question.Text,
                    given = a.Given,
                    given_text = string.Join("；", a.Question.Options.Where(o => a.Given.Contains(o.Letter)).Select(o => o.Text)),
                    right = a.Right,
                    correct = a.Question.Correct,
                    correct_text = string.Join("；", a.Question.Options.Where(o => a.Question.Correct.Contains(o.Letter)).Select(o => o.Text)),
                    explanation = a.Question.Explanation,
                }).ToList(),
            },
        }, memberId);
    }

    /// <summary>Same source key the chat used to credit reading (once per member and lesson).</summary>
    private static string LessonReadSource(int lessonId) => "lesson:" + MemberPageEndpoints.Inv(lessonId);

    private Task<bool> ExistsAsync(int lessonId, CancellationToken ct) =>
        db.ContentItems.AnyAsync(c => c.Id == lessonId && c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published, ct);
}
