using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;

namespace ChatBot.Host.Activities;

/// <summary>Times are UTC. <c>kind</c> is the ActivityKind name (ThemeDay, BranchAssembly, …).</summary>
public sealed record ActivityRequest(int OrganisationId, string? Kind, string? Title, string? Description, string? Location, DateTime StartsAt, DateTime EndsAt,
    int? Capacity, DateTime SignUpDeadline, string? CheckInCode, int? CheckInOpensMinutesBefore, int? CheckInClosesMinutesAfter)
{
    public ActivityInput ToInput() => new(OrganisationId,
        Enum.TryParse<ActivityKind>(Kind, ignoreCase: true, out var k) && Enum.IsDefined(k) ? k : throw new RuleViolation("kind", "kind is one of " + string.Join(", ", Enum.GetNames<ActivityKind>())),
        Title ?? "", Description, Location, StartsAt, EndsAt, Capacity, SignUpDeadline, CheckInCode, CheckInOpensMinutesBefore ?? 30, CheckInClosesMinutesAfter ?? 30);
}

public sealed record CancelActivityRequest(string? Reason);

public sealed record NoShowRequest(bool NoShow = true);

public static class ActivitiesApi
{
    /// <summary>/api/v1/activities: list (paged, filter upcoming|past|all), get with sign-ups, create, update, cancel, sign-ups, no-shows.</summary>
    public static RouteGroupBuilder MapActivitiesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/activities").WithTags("Activities");
        group.MapGet("", async (string? filter, int? page, int? pageSize, ActivityConsoleService service, OrganisationScope scope, CancellationToken ct) =>
        {
            if (ApiErrors.BadPaging(page, pageSize, out var paging) is { } bad) return bad;
            if (!Enum.TryParse<ActivityListFilter>(filter ?? "Upcoming", ignoreCase: true, out var f) || !Enum.IsDefined(f))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["filter"] = ["filter is upcoming, past or all"] });
            var (items, total) = await service.ListAsync(scope, f, paging.Skip, paging.PageSize, ct);
            return Results.Ok(new PagedResult<ActivityRow>(items, total, paging.Page, paging.PageSize));
        });
        group.MapGet("/{id:int}", async (int id, ActivityConsoleService service, OrganisationScope scope, CancellationToken ct) =>
            await service.GetAsync(scope, id, ct) is { } d ? Results.Ok(d) : Results.NotFound());
        group.MapPost("", (ActivityRequest request, ActivityConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
            await service.CreateAsync(scope, request.ToInput(), ct) is { } id
                ? Results.Created($"{ApiV1.Prefix}/activities/{id}", await service.GetAsync(scope, id, ct))
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["organisationId"] = ["organisation not found in your scope"] })));
        group.MapPut("/{id:int}", (int id, ActivityRequest request, ActivityConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
            await service.UpdateAsync(scope, id, request.ToInput(), ct) is { } d ? Results.Ok(d) : Results.NotFound()));
        group.MapPost("/{id:int}/cancel", (int id, CancelActivityRequest? request, ActivityConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
            await service.CancelAsync(scope, id, request?.Reason, ct) is { } n ? Results.Ok(new { notified = n }) : Results.NotFound()));
        group.MapGet("/{id:int}/signups", async (int id, ActivityConsoleService service, OrganisationScope scope, CancellationToken ct) =>
            await service.GetAsync(scope, id, ct) is { } d ? Results.Ok(new { places = d.Places, waitlist = d.Waitlist, cancelled = d.Others }) : Results.NotFound());
        group.MapPost("/{id:int}/signups/{signUpId:int}/no-show", (int id, int signUpId, NoShowRequest? request, ActivityConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
            await service.SetNoShowAsync(scope, id, signUpId, request?.NoShow ?? true, ct) is { } changed ? Results.Ok(new { changed }) : Results.NotFound()));
        return api;
    }
}
