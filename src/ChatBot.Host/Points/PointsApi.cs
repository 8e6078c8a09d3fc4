using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;

namespace ChatBot.Host.Points;

public sealed record PointsRuleRequest(string? Code, string? Name, int Points, int? DailyCap, bool NeedsApproval, bool Active = true);

public sealed record ManualPointsRequest(int MemberId, int Points, string? Reason, string? Evidence);

public sealed record DecisionRequest(string? Note);

public sealed record ReversalRequest(string? Reason);

public static class PointsApi
{
    /// <summary>/api/v1/points: rules, manual entries (request → second admin approves/rejects), reversals, a member's ledger, branch aggregates.</summary>
    public static RouteGroupBuilder MapPointsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/points").WithTags("Points");
        group.MapGet("/rules", async (PointsConsoleService service, CancellationToken ct) => Results.Ok(await service.RulesAsync(ct)));
        group.MapPost("/rules", (PointsRuleRequest request, PointsConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
        {
            var row = await service.SaveRuleAsync(scope, null, new PointsRuleInput(request.Code, request.Name ?? "", request.Points, request.DailyCap, request.NeedsApproval, request.Active), ct);
            return Results.Created($"{ApiV1.Prefix}/points/rules/{row.Id}", row);
        }));
        group.MapPut("/rules/{id:int}", (int id, PointsRuleRequest request, PointsConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
            Results.Ok(await service.SaveRuleAsync(scope, id, new PointsRuleInput(null, request.Name ?? "", request.Points, request.DailyCap, request.NeedsApproval, request.Active), ct))));
        group.MapGet("/entries/pending", async (int? page, int? pageSize, PointsConsoleService service, OrganisationScope scope, CancellationToken ct) =>
        {
            if (ApiErrors.BadPaging(page, pageSize, out var paging) is { } bad) return bad;
            var (items, total) = await service.PendingAsync(scope, paging.Skip, paging.PageSize, ct);
            return Results.Ok(new PagedResult<LedgerLine>(items, total, paging.Page, paging.PageSize));
        });
        group.MapPost("/entries", (ManualPointsRequest request, PointsConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
            await service.RequestManualAsync(scope, request.MemberId, request.Points, request.Reason, request.Evidence, ct) is { } line
                ? Results.Created($"{ApiV1.Prefix}/points/members/{line.MemberId}", line)
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["memberId"] = ["member not found in your scope"] })));
        group.MapPost("/entries/{id:long}/approve", (long id, DecisionRequest? request, PointsConsoleService service, OrganisationScope scope, CancellationToken ct) =>
            DecideAsync(service, scope, id, true, request?.Note, ct));
        group.MapPost("/entries/{id:long}/reject", (long id, DecisionRequest? request, PointsConsoleService service, OrganisationScope scope, CancellationToken ct) =>
            DecideAsync(service, scope, id, false, request?.Note, ct));
        group.MapPost("/entries/{id:long}/reverse", (long id, ReversalRequest? request, PointsConsoleService service, OrganisationScope scope, CancellationToken ct) => ApiErrors.Guard(async () =>
            await service.ReverseAsync(scope, id, request?.Reason, ct) is { } line ? Results.Ok(line) : Results.NotFound()));
        group.MapGet("/members/{memberId:int}", async (int memberId, PointsConsoleService service, OrganisationScope scope, CancellationToken ct) =>
            await service.LedgerAsync(scope, memberId, ct) is { } l
                ? Results.Ok(new { l.MemberId, l.Name, l.Branch, l.Total, l.QuarterPoints, l.QuarterLabel, stars = l.Stars.Select(s => new { name = s.Star, points = s.Points }), lines = l.Lines })
                : Results.NotFound());
        group.MapGet("/branches", async (PointsConsoleService service, OrganisationScope scope, CancellationToken ct) =>
        {
            var (quarter, branches) = await service.BranchAggregatesAsync(scope, ct);
            return Results.Ok(new { quarter, branches });
        });
        return api;
    }

    private static Task<IResult> DecideAsync(PointsConsoleService service, OrganisationScope scope, long id, bool approve, string? note, CancellationToken ct) => ApiErrors.Guard(async () =>
        await service.DecideAsync(scope, id, approve, note, ct) switch
        {
            null => Results.NotFound(),
            { Outcome: PointsDecisionOutcome.SameAsRequester } => Results.ValidationProblem(new Dictionary<string, string[]> { ["approver"] = ["the requester cannot approve or reject their own request"] }),
            { Outcome: PointsDecisionOutcome.NotPending } => Results.Problem("entry is not pending", statusCode: StatusCodes.Status409Conflict),
            var (_, line) => Results.Ok(line),
        });
}
