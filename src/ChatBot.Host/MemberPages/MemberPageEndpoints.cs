using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using ChatBot.Host.Templates;
using Scriban;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.MemberPages;

/// <summary>
/// Mobile pages reached from links in chat: a lesson (signed per member, no login) and a policy guide (public).
/// Bodies are Markdown rendered by <see cref="ChatBot.Host.Content.ContentMarkdown"/> (raw HTML off, unsafe links dropped, sanitised),
/// inside templates/pages/content.liquid, with the item's attachment links (http/https only) under the body.
/// </summary>
public static class MemberPageEndpoints
{
    public static WebApplication MapMemberPages(this WebApplication app)
    {
        var group = app.MapGroup("/m");
        group.MapGet("/lessons/{id:int}", async (int id, string? t, SignedMemberLinks links, ChatBotDbContext db, MemberPageRenderer pages,
            IPointsService points, IStudyService study, TimeProvider time, CancellationToken ct) =>
        {
            var memberId = links.ReadLessonToken(t, id);
            if (memberId is null) return pages.Error(StatusCodes.Status403Forbidden, "link_invalid");
            var lesson = await db.ContentItems.AsNoTracking().Include(c => c.Attachments)
                .SingleOrDefaultAsync(c => c.Id == id && c.Kind == ContentKind.Lesson && c.Status == ContentStatus.Published, ct);
            if (lesson is null) return pages.Error(StatusCodes.Status404NotFound, "not_found");
            // Opening the lesson from the member's own link counts as reading it (once per lesson, within the daily cap).
            await points.CreditAsync(memberId.Value, PointsRuleCodes.LessonRead, $"lesson:{id}", time.GetUtcNow().UtcDateTime, ct);
            await study.MarkLessonReadAsync(memberId.Value, id, time.GetUtcNow().UtcDateTime, ct);
            return pages.Content(lesson, showQuizHint: true);
        });
        group.MapGet("/policies/{id:int}", async (int id, ChatBotDbContext db, MemberPageRenderer pages, CancellationToken ct) =>
        {
            var item = await db.ContentItems.AsNoTracking().Include(c => c.Attachments)
                .SingleOrDefaultAsync(c => c.Id == id && c.Kind != ContentKind.Lesson && c.Status == ContentStatus.Published, ct);
            return item is null ? pages.Error(StatusCodes.Status404NotFound, "not_found") : pages.Content(item, showQuizHint: false);
        });
        return app;
    }
}

public sealed class MemberPageRenderer
{
    private readonly Template _content;
    private readonly Template _error;

    private readonly LiquidRenderer _renderer;

    public MemberPageRenderer(TemplateFolder folder, LiquidRenderer renderer)
    {
        _renderer = renderer;
        _content = Load(Path.Combine(folder.Path, "pages", "content.liquid"));
        _error = Load(Path.Combine(folder.Path, "pages", "error.liquid"));
    }

    public IResult Content(ContentItem item, bool showQuizHint)
    {
        var html = _renderer.Render(_content, new
        {
            title = item.Title,
            summary = item.Summary,
            minutes = item.EstimatedMinutes,
            is_lesson = item.Kind == ContentKind.Lesson,
            quiz_hint = showQuizHint && item.Kind == ContentKind.Lesson,
            body = ChatBot.Host.Content.ContentMarkdown.ToSafeHtml(item.BodyMarkdown),
            // Checked as http(s) when saved; checked again here so a row written any other way cannot carry javascript:.
            attachments = item.Attachments.Where(a => ChatBot.Core.Domain.ContentRules.IsWebAddress(a.Url)).OrderBy(a => a.Order)
                .Select(a => new { title = a.Title, url = a.Url }).ToList(),
        });
        return Results.Content(html, "text/html; charset=utf-8");
    }

    public IResult Error(int status, string reason)
    {
        var html = _renderer.Render(_error, new { reason });
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static Template Load(string path) => LiquidRenderer.Parse(File.ReadAllText(path), path);
}
