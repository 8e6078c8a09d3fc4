using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;

namespace ChatBot.Host.Content;

/// <summary>Body of <c>POST /api/v1/content-items</c> and <c>PUT /api/v1/content-items/{id}</c>.</summary>
public sealed class ContentItemRequest
{
    /// <summary>Policy, Lesson or Notice (create only; an update keeps the item's kind).</summary>
    public string? Kind { get; init; }
    public string? Title { get; init; }
    public string? Summary { get; init; }
    public string? BodyMarkdown { get; init; }
    public List<string>? Tags { get; init; }
    public string? Keywords { get; init; }
    public int? EstimatedMinutes { get; init; }
    /// <summary>An organisation in the caller's scope; null = committee-wide (超级管理员 only).</summary>
    public int? OrganisationId { get; init; }
    public List<AttachmentRequest>? Attachments { get; init; }
    /// <summary>Lessons only: when present, replaces the quiz.</summary>
    public List<QuizQuestionRequest>? Questions { get; init; }
}

public sealed class AttachmentRequest
{
    public string? Title { get; init; }
    public string? Url { get; init; }
}

public sealed class QuizQuestionRequest
{
    /// <summary>Single (default) or Multiple.</summary>
    public string? Kind { get; init; }
    public string? Text { get; init; }
    /// <summary>Two to four options, A first.</summary>
    public List<string>? Options { get; init; }
    /// <summary>The right letters: "B", or "AC" for a multiple choice.</summary>
    public string? Correct { get; init; }
    public string? Explanation { get; init; }
}

public sealed class RejectRequest
{
    public string? Comment { get; init; }
}

public sealed record AttachmentView(string Title, string Url);

public sealed record QuizQuestionItemView(int Id, int Order, string Kind, string Text, IReadOnlyList<string> Options, string Correct, string? Explanation);

public sealed record ContentItemSummaryView(
    int Id, string Kind, string Title, string Status, IReadOnlyList<string> Tags, int? OrganisationId, string OrganisationName,
    string? AuthorName, DateTime UpdatedAt, DateTime? PublishedAt, int QuestionCount);

public sealed record ContentItemView(
    int Id, string Kind, string Title, string Summary, string BodyMarkdown, string BodyHtml, IReadOnlyList<string> Tags, string Keywords,
    int EstimatedMinutes, int? OrganisationId, string Status, IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<QuizQuestionItemView> Questions, string? AuthorName, string? LastEditedBy, string? SubmittedBy, DateTime? SubmittedAt,
    string? ReviewedBy, DateTime? ReviewedAt, string? ReviewComment, DateTime? PublishedAt, string? ArchivedBy, DateTime? ArchivedAt,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// <c>/api/v1/content-items</c>: list (paged, filters kind/status/tag/q), get, create, update, submit, approve, reject,
/// archive — the same <see cref="ContentService"/> and entity rules as the console. Errors are problem details naming
/// the field: 400 for input, 403 for a committee-wide item without 超级管理员 or a review by the author, 404 outside
/// scope, 409 for a step the item's status does not allow.
/// </summary>
public static class ContentApi
{
    public static RouteGroupBuilder MapContentApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/content-items").WithTags("Content");
        group.MapGet("/", async (string? kind, string? status, string? tag, string? q, int? page, int? pageSize,
            ContentService content, OrganisationScope scope, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            var filter = new ContentFilter { Tag = tag, Search = q };
            if (kind is { Length: > 0 })
            {
                if (TryParse<ContentKind>(kind, out var k)) filter = filter with { Kind = k };
                else errors["kind"] = ["kind is Policy, Lesson or Notice"];
            }
            if (status is { Length: > 0 })
            {
                if (TryParse<ContentStatus>(status, out var s)) filter = filter with { Status = s };
                else errors["status"] = ["status is Draft, Review, Published or Archived"];
            }
            if (!Paging.TryCreate(page, pageSize, out var paging, out var pagingErrors))
                foreach (var (key, value) in pagingErrors) errors[key] = value;
            if (errors.Count > 0) return Results.ValidationProblem(errors);
            var found = await content.ListAsync(scope, filter, paging, ct);
            return Results.Ok(new PagedResult<ContentItemSummaryView>(found.Items.Select(Summary).ToList(), found.Total, found.Page, found.PageSize));
        }).Produces<PagedResult<ContentItemSummaryView>>();

        group.MapGet("/{id:int}", async (int id, ContentService content, OrganisationScope scope, CancellationToken ct) =>
            await content.GetAsync(scope, id, ct) is { } item ? Results.Ok(View(item)) : NotFound())
            .Produces<ContentItemView>();

        group.MapPost("/", async (ContentItemRequest? request, ContentService content, OrganisationScope scope, CancellationToken ct) =>
        {
            if (request is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["a JSON body is required"] });
            if (!TryParse<ContentKind>(request.Kind, out var kind))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["kind is Policy, Lesson or Notice"] });
            if (!TryQuiz(request, kind, out var quiz, out var quizErrors)) return Results.ValidationProblem(quizErrors);
            var created = await content.CreateAsync(scope, request.OrganisationId, Draft(request, kind), ct);
            if (created.Kind != ContentOutcomeKind.Done || quiz is null) return await RespondAsync(created, content, scope, ct, created: true);
            return await RespondAsync(await content.SaveQuizAsync(scope, created.Item!.Id, quiz, ct), content, scope, ct, created: true);
        }).Produces<ContentItemView>(StatusCodes.Status201Created);

        group.MapPut("/{id:int}", async (int id, ContentItemRequest? request, ContentService content, OrganisationScope scope, CancellationToken ct) =>
        {
            if (request is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["a JSON body is required"] });
            if (await content.GetAsync(scope, id, ct) is not { } existing) return NotFound();
            if (request.Kind is { Length: > 0 } && (!TryParse<ContentKind>(request.Kind, out var asked) || asked != existing.Kind))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["the kind of an item cannot change"] });
            if (!TryQuiz(request, existing.Kind, out var quiz, out var quizErrors)) return Results.ValidationProblem(quizErrors);
            var updated = await content.UpdateAsync(scope, id, request.OrganisationId, Draft(request, existing.Kind), ct);
            if (updated.Kind != ContentOutcomeKind.Done || quiz is null) return await RespondAsync(updated, content, scope, ct);
            return await RespondAsync(await content.SaveQuizAsync(scope, id, quiz, ct), content, scope, ct);
        }).Produces<ContentItemView>();

        group.MapPost("/{id:int}/submit", async (int id, ContentService content, OrganisationScope scope, CancellationToken ct) =>
            await RespondAsync(await content.SubmitAsync(scope, id, ct), content, scope, ct)).Produces<ContentItemView>();
        group.MapPost("/{id:int}/approve", async (int id, ContentService content, OrganisationScope scope, CancellationToken ct) =>
            await RespondAsync(await content.ApproveAsync(scope, id, ct), content, scope, ct)).Produces<ContentItemView>();
        group.MapPost("/{id:int}/reject", async (int id, RejectRequest? request, ContentService content, OrganisationScope scope, CancellationToken ct) =>
            await RespondAsync(await content.RejectAsync(scope, id, request?.Comment, ct), content, scope, ct)).Produces<ContentItemView>();
        group.MapPost("/{id:int}/archive", async (int id, ContentService content, OrganisationScope scope, CancellationToken ct) =>
            await RespondAsync(await content.ArchiveAsync(scope, id, ct), content, scope, ct)).Produces<ContentItemView>();
        return api;
    }

    private static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static ContentDraft Draft(ContentItemRequest r, ContentKind kind) => new()
    {
        Kind = kind, Title = r.Title, Summary = r.Summary, BodyMarkdown = r.BodyMarkdown,
        Tags = r.Tags is null ? null : string.Join(' ', r.Tags), Keywords = r.Keywords, EstimatedMinutes = r.EstimatedMinutes ?? 0,
        Attachments = r.Attachments?.Select(a => new AttachmentDraft(a.Title, a.Url)).ToList(),
    };

    private static bool TryQuiz(ContentItemRequest r, ContentKind kind, out List<QuizQuestionDraft>? quiz, out Dictionary<string, string[]> errors)
    {
        quiz = null;
        errors = [];
        if (r.Questions is null) return true;
        if (kind != ContentKind.Lesson)
        {
            errors["questions"] = ["only a Lesson has a quiz"];
            return false;
        }
        quiz = [];
        for (var i = 0; i < r.Questions.Count; i++)
        {
            var q = r.Questions[i];
            var questionKind = QuizQuestionKind.Single;
            if (q.Kind is { Length: > 0 } && !TryParse(q.Kind, out questionKind)) errors[$"questions[{i}].kind"] = ["kind is Single or Multiple"];
            var options = q.Options ?? [];
            if (options.Count is < 2 or > 4) errors[$"questions[{i}].options"] = ["a question has 2 to 4 options"];
            quiz.Add(new QuizQuestionDraft
            {
                Kind = questionKind, Text = q.Text, Correct = q.Correct, Explanation = q.Explanation,
                OptionA = options.ElementAtOrDefault(0), OptionB = options.ElementAtOrDefault(1),
                OptionC = options.ElementAtOrDefault(2), OptionD = options.ElementAtOrDefault(3),
            });
        }
        if (errors.Count > 0) return false;
        // The whole quiz is checked before anything is saved: a bad question never leaves a half-made item.
        ContentRules.BuildQuiz(quiz, out errors);
        return errors.Count == 0;
    }

    private static async Task<IResult> RespondAsync(ContentOutcome outcome, ContentService content, OrganisationScope scope, CancellationToken ct, bool created = false)
    {
        switch (outcome.Kind)
        {
            case ContentOutcomeKind.NotFound:
                return NotFound();
            case ContentOutcomeKind.Forbidden:
                return Results.ValidationProblem(outcome.Errors!, statusCode: StatusCodes.Status403Forbidden, title: outcome.Message);
            case ContentOutcomeKind.Invalid:
                var errors = outcome.Errors!;
                var status = errors.ContainsKey("reviewer") ? StatusCodes.Status403Forbidden
                    : errors.ContainsKey("status") ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
                return Results.ValidationProblem(errors, statusCode: status, title: outcome.Message);
        }
        // Read back as the caller sees it (ordered questions and attachments, rendered body).
        var item = await content.GetAsync(scope, outcome.Item!.Id, ct);
        return created ? Results.Created($"{ApiV1.Prefix}/content-items/{item!.Id}", View(item)) : Results.Ok(View(item!));
    }

    private static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "content item not found");

    private static IReadOnlyList<string> TagList(string tags) => tags.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static ContentItemSummaryView Summary(ContentRow r) => new(
        r.Id, r.Kind.ToString(), r.Title, r.Status.ToString(), TagList(r.Tags), r.OrganisationId, r.OrganisationName,
        r.AuthorName, r.UpdatedAt, r.PublishedAt, r.QuestionCount);

    public static ContentItemView View(ContentItem c) => new(
        c.Id, c.Kind.ToString(), c.Title, c.Summary, c.BodyMarkdown, ContentMarkdown.ToSafeHtml(c.BodyMarkdown), TagList(c.Tags), c.Keywords,
        c.EstimatedMinutes, c.OrganisationId, c.Status.ToString(),
        c.Attachments.OrderBy(a => a.Order).Select(a => new AttachmentView(a.Title, a.Url)).ToList(),
        c.Questions.OrderBy(q => q.Order).Select(q => new QuizQuestionItemView(q.Id, q.Order, q.Kind.ToString(), q.Text,
            q.Options().Select(o => o.Text).ToList(), q.CorrectOptions, q.Explanation)).ToList(),
        c.AuthorName, c.LastEditedBy, c.SubmittedBy, c.SubmittedAt, c.ReviewedBy, c.ReviewedAt, c.ReviewComment, c.PublishedAt,
        c.ArchivedBy, c.ArchivedAt, c.CreatedAt, c.UpdatedAt);
}
