using System.Globalization;
using ChatBot.Core.Configuration;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.UnansweredQuestions;

public sealed record UnansweredQuestionView(
    long Id, string Question, Channel Channel, int? OrganisationId, string? Branch, UnansweredKind Kind,
    IReadOnlyList<string> Offered, bool HumanRequested, int? MemberId, string? MemberName, UnansweredStatus Status,
    DateTime AskedAt, DateTime? ResolvedAt, string? ResolvedBy, int TimesAsked);

public sealed record UnansweredCounts(int Open, int Resolved, int HumanRequested);

public sealed record UnansweredPage(int Page, int PageSize, int Total, UnansweredCounts Counts, IReadOnlyList<UnansweredQuestionView> Items);

/// <summary>
/// Questions the bot could not answer with confidence (可能相关 fallbacks and 人工 requests), for the committee to
/// add the missing guide or synonym: <c>GET /api/v1/unanswered-questions</c> and
/// <c>POST /api/v1/unanswered-questions/{id}/resolve</c>, behind <see cref="AdminApiGuard.RequireAdminApiAccess"/>.
/// </summary>
public static class UnansweredQuestionsRegistration
{
    public const int MaxPageSize = 100;

    public static WebApplicationBuilder AddChatBotUnansweredQuestions(this WebApplicationBuilder builder)
    {
        builder.Services.AddAnnotatedOptions<AssistanceOptions>(AssistanceOptions.SectionName);
        builder.Services.AddScoped<IUnansweredQuestions, EfUnansweredQuestions>();
        return builder;
    }

    public static RouteGroupBuilder MapUnansweredQuestionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/unanswered-questions").WithTags("UnansweredQuestions");
        group.MapGet("", ListAsync).Produces<UnansweredPage>().ProducesValidationProblem();
        group.MapPost("/{id:long}/resolve", ResolveAsync).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// Newest first. <c>page</c> (from 1), <c>pageSize</c> (1–100, default 20), <c>status</c> (open | resolved | all,
    /// default open), <c>from</c> / <c>to</c> (yyyy-MM-dd, local days, inclusive; or ISO 8601 instants).
    /// </summary>
    private static async Task<IResult> ListAsync(
        HttpContext http, ChatBotDbContext db, DisplayTime display, string? page, string? pageSize, string? status, string? from, string? to,
        CancellationToken ct)
    {
        if (!TryInt(page, 1, 1, 100_000, out var pageNumber)) return Bad("page", "must be a whole number from 1");
        if (!TryInt(pageSize, 20, 1, MaxPageSize, out var size)) return Bad("pageSize", $"must be a whole number from 1 to {MaxPageSize}");
        var statusText = (status ?? "open").ToLowerInvariant();
        if (statusText is not ("open" or "resolved" or "all")) return Bad("status", "must be open, resolved or all");
        UnansweredStatus? wanted = statusText switch
        {
            "open" => UnansweredStatus.Open,
            "resolved" => UnansweredStatus.Resolved,
            _ => null,
        };
        if (!TryInstant(from, display, endOfDay: false, out var fromUtc)) return Bad("from", "must be a date (yyyy-MM-dd) or an ISO 8601 time");
        if (!TryInstant(to, display, endOfDay: true, out var toUtc)) return Bad("to", "must be a date (yyyy-MM-dd) or an ISO 8601 time");
        if (fromUtc is not null && toUtc is not null && fromUtc > toUtc) return Bad("from", "must not be after 'to'");

        var scope = http.RequireScope();
        var scoped = WithinScope(db, scope);
        if (fromUtc is { } f) scoped = scoped.Where(q => q.AskedAt >= f);
        if (toUtc is { } t) scoped = scoped.Where(q => q.AskedAt < t);

        var counts = new UnansweredCounts(
            await scoped.CountAsync(q => q.Status == UnansweredStatus.Open, ct),
            await scoped.CountAsync(q => q.Status == UnansweredStatus.Resolved, ct),
            await scoped.CountAsync(q => q.Status == UnansweredStatus.Open && q.HumanRequested, ct));
        var listed = wanted is { } w ? scoped.Where(q => q.Status == w) : scoped;
        var total = await listed.CountAsync(ct);
        var all = db.UnansweredQuestions.AsNoTracking();
        var rows = await listed
            .OrderByDescending(q => q.AskedAt).ThenByDescending(q => q.Id)
            .Skip((pageNumber - 1) * size).Take(size)
            .Select(q => new
            {
                Row = q,
                Branch = db.Organisations.Where(o => o.Id == q.OrganisationId).Select(o => o.Name).FirstOrDefault(),
                MemberName = db.Members.Where(m => m.Id == q.MemberId).Select(m => m.Name).FirstOrDefault(),
                // How often the same words came in: the committee's best hint of what guide or synonym is missing.
                TimesAsked = all.Count(o => o.Question == q.Question),
            })
            .ToListAsync(ct);
        var items = rows.Select(r => new UnansweredQuestionView(
            r.Row.Id, r.Row.Question, r.Row.Channel, r.Row.OrganisationId, r.Branch, r.Row.Kind,
            r.Row.Offered.Split('\n', StringSplitOptions.RemoveEmptyEntries), r.Row.HumanRequested, r.Row.MemberId, r.MemberName,
            r.Row.Status, DateTime.SpecifyKind(r.Row.AskedAt, DateTimeKind.Utc),
            r.Row.ResolvedAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null, r.Row.ResolvedBy, r.TimesAsked)).ToList();
        return Results.Ok(new UnansweredPage(pageNumber, size, total, counts, items));
    }

    private static async Task<IResult> ResolveAsync(long id, HttpContext http, ChatBotDbContext db, TimeProvider time, CancellationToken ct)
    {
        var scope = http.RequireScope();
        var row = await WithinScope(db, scope, tracking: true).SingleOrDefaultAsync(q => q.Id == id, ct);
        if (row is null) return ApiProblems.NotFound("no unanswered question with this id");
        var now = time.GetUtcNow().UtcDateTime;
        var actor = scope.Actor;
        row.Resolve(actor, now);
        db.AuditEntries.Add(new AuditEntry
        {
            At = now, Actor = actor, Action = "unanswered-question.resolve", EntityType = nameof(UnansweredQuestion),
            EntityId = id.ToString(CultureInfo.InvariantCulture),
        });
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    /// <summary>
    /// The signed-in user (or the API key, committee-wide) sees its own subtree; rows without a branch (unbound
    /// senders) only at the root. A principal without scope claims was refused before this.
    /// </summary>
    private static IQueryable<UnansweredQuestion> WithinScope(ChatBotDbContext db, OrganisationScope scope, bool tracking = false)
    {
        var query = tracking ? db.UnansweredQuestions : db.UnansweredQuestions.AsNoTracking();
        if (scope.Root == OrganisationPath.Root) return query;
        var root = scope.Root.Value;
        return query.Where(q => db.Organisations.Any(o => o.Id == q.OrganisationId && o.Path.StartsWith(root)));
    }

    private static IResult Bad(string field, string message) => ApiProblems.Validation(field, $"{field} {message}");

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text)) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    /// <summary>A local day (yyyy-MM-dd: its start, or with <paramref name="endOfDay"/> the next day's start) or an instant, in UTC.</summary>
    private static bool TryInstant(string? text, DisplayTime display, bool endOfDay, out DateTime? utc)
    {
        utc = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (text.Length > 40) return false;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            // The local midnight of that day, in UTC: shift by the zone's offset at that time.
            var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var start = midnight - (display.ToLocal(midnight) - midnight);
            utc = endOfDay ? start.AddDays(1) : start;
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            utc = instant.UtcDateTime;
            return true;
        }

        return false;
    }
}
