using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Content;

/// <summary>The content list's filters (console query string and API alike).</summary>
public sealed record ContentFilter
{
    public ContentKind? Kind { get; init; }
    public ContentStatus? Status { get; init; }
    public string? Tag { get; init; }
    /// <summary>Part of the title.</summary>
    public string? Search { get; init; }
}

public sealed record ContentRow(
    int Id, ContentKind Kind, string Title, ContentStatus Status, string Tags, int? OrganisationId, string OrganisationName,
    string? AuthorName, DateTime UpdatedAt, DateTime? PublishedAt, int QuestionCount);

/// <summary>How a change came out: done (with the item), not found (or outside scope), forbidden, or refused with field errors.</summary>
public sealed record ContentOutcome(ContentItem? Item, ContentOutcomeKind Kind, IDictionary<string, string[]>? Errors = null)
{
    public static ContentOutcome Done(ContentItem item) => new(item, ContentOutcomeKind.Done);
    public static readonly ContentOutcome NotFound = new(null, ContentOutcomeKind.NotFound);
    public static ContentOutcome Forbidden(string message) => new(null, ContentOutcomeKind.Forbidden, new Dictionary<string, string[]> { ["organisationId"] = [message] });
    public static ContentOutcome Invalid(IDictionary<string, string[]> errors) => new(null, ContentOutcomeKind.Invalid, errors);
    public static ContentOutcome Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The first error's message, for a console page's banner.</summary>
    public string? Message => Errors?.Values.SelectMany(v => v).FirstOrDefault();
}

public enum ContentOutcomeKind { Done, NotFound, Forbidden, Invalid }

/// <summary>
/// Policy guides, micro-lessons and notices for the console and <c>/api/v1/content-items</c>, within the caller's
/// scope. A caller sees the items of organisations in their subtree and the committee-wide ones (no organisation);
/// committee-wide items are changed by 超级管理员 only. Every change is audited with the item's before/after, and any
/// change to the published set rebuilds the search index at once (other instances follow within its poll interval).
/// </summary>
public sealed class ContentService(ChatBotDbContext db, AuditLog audit, TimeProvider time, PolicyIndexRefresher index)
{
    public const int PageSize = 20;
    public const string CommitteeWideMessage = "全党委范围的内容只有超级管理员可以修改。";

    /// <summary>Items the scope may see: its subtree's and the committee-wide ones.</summary>
    public IQueryable<ContentItem> Visible(OrganisationScope scope)
    {
        if (scope.Root == OrganisationPath.Root) return db.ContentItems;
        var organisations = db.Organisations.WithinScope(scope).Select(o => o.Id);
        return db.ContentItems.Where(c => c.OrganisationId == null || organisations.Contains(c.OrganisationId.Value));
    }

    public static bool MayChange(OrganisationScope scope, ContentItem item) => item.OrganisationId is not null || scope.IsSuperAdmin;

    public async Task<PagedResult<ContentRow>> ListAsync(OrganisationScope scope, ContentFilter filter, Paging paging, CancellationToken ct = default)
    {
        var query = Visible(scope).AsNoTracking();
        if (filter.Kind is { } kind) query = query.Where(c => c.Kind == kind);
        query = filter.Status is { } status ? query.Where(c => c.Status == status) : query.Where(c => c.Status != ContentStatus.Archived);
        if (ContentRules.NormalizeTags(filter.Tag) is { Length: > 0 } tag && !tag.Contains(' '))
        {
            var padded = " " + tag + " ";
            query = query.Where(c => (" " + c.Tags + " ").Contains(padded));
        }
        if (filter.Search?.Trim() is { Length: > 0 } search) query = query.Where(c => c.Title.Contains(search));
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(c => new ContentRow(c.Id, c.Kind, c.Title, c.Status, c.Tags, c.OrganisationId,
                db.Organisations.Where(o => o.Id == c.OrganisationId).Select(o => o.Name).FirstOrDefault() ?? "全党委",
                c.AuthorName, c.UpdatedAt, c.PublishedAt, c.Questions.Count))
            .ToListAsync(ct);
        return new PagedResult<ContentRow>(rows, total, paging.Page, paging.PageSize);
    }

    /// <summary>Tags in use in the scope, for the filter.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(OrganisationScope scope, CancellationToken ct = default) =>
        (await Visible(scope).AsNoTracking().Where(c => c.Tags != "").Select(c => c.Tags).ToListAsync(ct))
        .SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().Order(StringComparer.Ordinal).ToList();

    public Task<ContentItem?> GetAsync(OrganisationScope scope, int id, CancellationToken ct = default) =>
        Visible(scope).AsNoTracking().Include(c => c.Questions.OrderBy(q => q.Order)).Include(c => c.Attachments.OrderBy(a => a.Order))
            .AsSplitQuery().SingleOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>Organisations an item may belong to (in scope), for the form.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> OrganisationsAsync(OrganisationScope scope, CancellationToken ct = default) =>
        (await db.Organisations.AsNoTracking().WithinScope(scope).OrderBy(o => o.Path).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
        .Select(o => (o.Id, o.Name)).ToList();

    public async Task<string?> OrganisationNameAsync(int? organisationId, CancellationToken ct = default) =>
        organisationId is null ? "全党委" : await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).FirstOrDefaultAsync(ct);

    public async Task<ContentOutcome> CreateAsync(OrganisationScope scope, int? organisationId, ContentDraft draft, CancellationToken ct = default)
    {
        var errors = ContentRules.Validate(draft);
        var (organisation, orgError) = await ResolveOrganisationAsync(scope, organisationId, ct);
        if (orgError is not null) return orgError;
        if (errors.Count > 0) return ContentOutcome.Invalid(errors);
        var now = time.GetUtcNow().UtcDateTime;
        var item = new ContentItem
        {
            Kind = draft.Kind, Title = "", Status = ContentStatus.Draft, OrganisationId = organisation?.Id,
            AuthorName = scope.Actor, LastEditedBy = scope.Actor, CreatedAt = now, UpdatedAt = now,
        };
        ContentRules.Apply(item, draft);
        db.ContentItems.Add(item);
        await db.SaveChangesAsync(ct);
        audit.Record("content.create", nameof(ContentItem), item.Id, PathOf(organisation), null, Snapshot(item));
        await db.SaveChangesAsync(ct);
        return ContentOutcome.Done(item);
    }

    /// <summary>Edits the text, tags, attachments and organisation; a published item goes back to draft (see <see cref="ContentItem.BeginEdit"/>).</summary>
    public Task<ContentOutcome> UpdateAsync(OrganisationScope scope, int id, int? organisationId, ContentDraft draft, CancellationToken ct = default) =>
        ChangeAsync(scope, id, "content.update", async (item, now) =>
        {
            var errors = ContentRules.Validate(draft with { Kind = item.Kind });
            var (organisation, orgError) = await ResolveOrganisationAsync(scope, organisationId, ct);
            if (orgError is not null) return orgError;
            if (errors.Count > 0) return ContentOutcome.Invalid(errors);
            item.BeginEdit(scope.Actor, now);
            ContentRules.Apply(item, draft with { Kind = item.Kind });
            item.OrganisationId = organisation?.Id;
            return null;
        }, ct);

    /// <summary>Replaces a lesson's quiz (the whole list, in the order given).</summary>
    public Task<ContentOutcome> SaveQuizAsync(OrganisationScope scope, int id, IReadOnlyList<QuizQuestionDraft> questions, CancellationToken ct = default) =>
        ChangeAsync(scope, id, "content.quiz", (item, now) =>
        {
            if (item.Kind != ContentKind.Lesson) return Task.FromResult<ContentOutcome?>(ContentOutcome.Invalid("questions", "只有微党课可以设置测验题。"));
            var built = ContentRules.BuildQuiz(questions, out var errors);
            if (errors.Count > 0) return Task.FromResult<ContentOutcome?>(ContentOutcome.Invalid(errors));
            item.BeginEdit(scope.Actor, now);
            db.QuizQuestions.RemoveRange(item.Questions);
            item.Questions.Clear();
            item.Questions.AddRange(built);
            return Task.FromResult<ContentOutcome?>(null);
        }, ct);

    public Task<ContentOutcome> SubmitAsync(OrganisationScope scope, int id, CancellationToken ct = default) =>
        ChangeAsync(scope, id, "content.submit", (item, now) => { item.Submit(scope.Actor, now); return Task.FromResult<ContentOutcome?>(null); }, ct);

    public Task<ContentOutcome> ApproveAsync(OrganisationScope scope, int id, CancellationToken ct = default) =>
        ChangeAsync(scope, id, "content.approve", (item, now) => { item.Approve(scope.Actor, now); return Task.FromResult<ContentOutcome?>(null); }, ct);

    public Task<ContentOutcome> RejectAsync(OrganisationScope scope, int id, string? comment, CancellationToken ct = default) =>
        ChangeAsync(scope, id, "content.reject", (item, now) => { item.Reject(scope.Actor, comment, now); return Task.FromResult<ContentOutcome?>(null); }, ct);

    public Task<ContentOutcome> ArchiveAsync(OrganisationScope scope, int id, CancellationToken ct = default) =>
        ChangeAsync(scope, id, "content.archive", (item, now) => { item.Archive(scope.Actor, now); return Task.FromResult<ContentOutcome?>(null); }, ct);

    /// <summary>
    /// Loads the item within scope (404 otherwise), refuses committee-wide items to non-super-admins, runs the change
    /// (entity rules throw <see cref="ContentRuleException"/>, returned as field errors), audits and saves together,
    /// and refreshes the search index when the published set may have changed.
    /// </summary>
    private async Task<ContentOutcome> ChangeAsync(OrganisationScope scope, int id, string action,
        Func<ContentItem, DateTime, Task<ContentOutcome?>> change, CancellationToken ct)
    {
        var item = await Visible(scope).Include(c => c.Questions).Include(c => c.Attachments).AsSplitQuery().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (item is null) return ContentOutcome.NotFound;
        if (!MayChange(scope, item)) return ContentOutcome.Forbidden(CommitteeWideMessage);
        var before = Snapshot(item);
        var wasPublished = item.Status == ContentStatus.Published;
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            if (await change(item, now) is { } refused) return refused;
        }
        catch (ContentRuleException ex)
        {
            return ContentOutcome.Invalid(ex.Field, ex.Message);
        }
        var organisation = item.OrganisationId is { } orgId ? await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orgId, ct) : null;
        audit.Record(action, nameof(ContentItem), item.Id, PathOf(organisation), before, Snapshot(item));
        await db.SaveChangesAsync(ct);
        if (wasPublished || item.Status == ContentStatus.Published)
            await index.RefreshAsync(ct, force: true);
        return ContentOutcome.Done(item);
    }

    private async Task<(Organisation? Organisation, ContentOutcome? Error)> ResolveOrganisationAsync(OrganisationScope scope, int? organisationId, CancellationToken ct)
    {
        if (organisationId is null)
            return scope.IsSuperAdmin ? (null, null) : (null, ContentOutcome.Forbidden(CommitteeWideMessage));
        var organisation = await db.Organisations.AsNoTracking().WithinScope(scope).SingleOrDefaultAsync(o => o.Id == organisationId, ct);
        return organisation is null
            ? (null, ContentOutcome.Invalid("organisationId", "该组织不存在或不在您的管理范围内。"))
            : (organisation, null);
    }

    private static OrganisationPath PathOf(Organisation? organisation) => organisation is null ? OrganisationPath.Root : organisation.TreePath;

    /// <summary>What the audit log keeps of an item (the body by length, not in full).</summary>
    private static object Snapshot(ContentItem item) => new
    {
        item.Kind, item.Title, item.Summary, item.Status, item.Tags, item.Keywords, item.EstimatedMinutes, item.OrganisationId,
        BodyLength = item.BodyMarkdown.Length,
        Attachments = item.Attachments.OrderBy(a => a.Order).Select(a => new { a.Title, a.Url }).ToList(),
        Questions = item.Questions.OrderBy(q => q.Order).Select(q => new { q.Kind, q.Text, q.CorrectOptions }).ToList(),
        item.AuthorName, item.SubmittedBy, item.ReviewedBy, item.ReviewComment,
    };
}
