using ChatBot.Host.Admin;
using ChatBot.Host.Api;

namespace ChatBot.Host.Study;

public sealed record StudyTaskRequest(string? Title, int LessonId, int[]? OrganisationIds, int[]? MemberIds, DateTime DueAt, int? PassScore);

public static class StudyApi
{
    /// <summary>/api/v1/study-tasks: list (paged), create, get with progress per branch and member, remind the pending.</summary>
    public static RouteGroupBuilder MapStudyApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/study-tasks").WithTags("Study");
        group.MapGet("", async (int? page, int? pageSize, StudyConsoleService service, OrganisationScope scope, CancellationToken ct) =>
        {
            if (ApiErrors.BadPaging(page, pageSize, out var paging) is { } bad) return bad;
            var (items, total) = await service.ListAsync(scope, paging.Skip, paging.PageSize, ct);
            return Results.Ok(new PagedResult<StudyTaskRow>(items, total, paging.Page, paging.PageSize));
        });
        group.MapPost("", (StudyTaskRequest request, StudyConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
        {
            var id = await service.CreateAsync(scope, new StudyTaskInput(request.Title, request.LessonId, request.OrganisationIds ?? [], request.MemberIds ?? [], request.DueAt, request.PassScore ?? 60), ct);
            return Results.Created($"{ApiV1.Prefix}/study-tasks/{id}", await service.GetAsync(scope, id!.Value, ct));
        }));
        group.MapGet("/{id:int}", async (int id, StudyConsoleService service, OrganisationScope scope, CancellationToken ct) =>
            await service.GetAsync(scope, id, ct) is { } d ? Results.Ok(d) : Results.NotFound());
        group.MapPost("/{id:int}/remind", async (int id, StudyConsoleService service, OrganisationScope scope, CancellationToken ct) =>
            await service.RemindAsync(scope, id, ct) is { } n ? Results.Ok(new { reminded = n }) : Results.NotFound());
        return api;
    }
}
