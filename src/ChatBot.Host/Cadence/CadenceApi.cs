using ChatBot.Core.Cadence;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Api;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Cadence;

public sealed record CadenceMeetingDto(
    ActivityKind Kind, string Name, CadenceFrequency Frequency, string Period, string PeriodStart, string DueDate,
    int Held, int Scheduled, int DaysToDue, CadenceStatus Status, string PreviousPeriod, bool PreviousMissed, bool Overdue);

public sealed record CadenceBranchDto(int OrganisationId, string Name, bool Overdue, IReadOnlyList<CadenceMeetingDto> Meetings)
{
    public static CadenceBranchDto From(BranchCadence branch) => new(branch.OrganisationId, branch.Name, branch.Overdue,
        branch.Meetings.Select(m => new CadenceMeetingDto(m.Kind, CadenceRules.DisplayName(m.Kind), m.Frequency, m.Period.Key,
            m.Period.Start.ToString("yyyy-MM-dd"), m.DueDate.ToString("yyyy-MM-dd"), m.Held, m.Scheduled, m.DaysToDue, m.Status,
            m.PreviousPeriod.Key, m.PreviousMissed, m.Overdue)).ToList());
}

public sealed record CadenceOverrideRequest(CadenceFrequency? Frequency);

public static class CadenceApi
{
    public const string OverrideAudit = "cadence.override";

    /// <summary>
    /// <c>GET /api/v1/cadence[?overdueOnly=true&amp;page=&amp;pageSize=]</c>: every branch in the caller's scope with each
    /// meeting kind's period, held / scheduled counts, status and overdue flag. <c>PUT /api/v1/cadence/{organisationId}/{kind}</c>
    /// <c>{"frequency": "Monthly|Quarterly|Off"}</c> overrides one kind for one branch (audited).
    /// </summary>
    public static RouteGroupBuilder MapCadenceApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cadence");
        group.MapGet("/", ListAsync);
        group.MapPut("/{organisationId:int}/{kind}", OverrideAsync);
        return api;
    }

    private static async Task<IResult> ListAsync(bool? overdueOnly, int? page, int? pageSize, CadenceService cadence, HttpContext http, CancellationToken ct)
    {
        if (OrganisationScope.FromPrincipal(http.User) is not { } scope) return Results.StatusCode(StatusCodes.Status403Forbidden);
        if (!Paging.TryCreate(page, pageSize, out var paging, out var errors)) return Results.ValidationProblem(errors);
        var branches = await cadence.ForScopeAsync(scope, ct);
        var chosen = overdueOnly == true ? branches.Where(b => b.Overdue).ToList() : branches.ToList();
        var items = chosen.Skip(paging.Skip).Take(paging.PageSize).Select(CadenceBranchDto.From).ToList();
        return Results.Ok(new PagedResult<CadenceBranchDto>(items, chosen.Count, paging.Page, paging.PageSize));
    }

    private static async Task<IResult> OverrideAsync(int organisationId, string kind, CadenceOverrideRequest? request,
        ChatBotDbContext db, AuditLog audit, CadenceService cadence, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (OrganisationScope.FromPrincipal(http.User) is not { } scope) return Results.StatusCode(StatusCodes.Status403Forbidden);
        var organisation = await db.Organisations.WithinScope(scope).SingleOrDefaultAsync(o => o.Id == organisationId, ct);
        if (organisation is null) return Results.NotFound();
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<ActivityKind>(kind, ignoreCase: false, out var meetingKind) || !CadenceRules.IsTracked(meetingKind) || int.TryParse(kind, out _))
            errors["kind"] = [$"kind is one of {string.Join(", ", CadenceRules.TrackedKinds)}"];
        if (request?.Frequency is not { } frequency || !Enum.IsDefined(frequency))
            errors["frequency"] = ["frequency is Monthly, Quarterly or Off"];
        if (organisation.Kind == OrganisationKind.Committee)
            errors["organisationId"] = ["the committee has no meeting cadence; choose a branch"];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var row = await db.MeetingCadenceOverrides.SingleOrDefaultAsync(o => o.OrganisationId == organisationId && o.Kind == meetingKind, ct);
        var before = row is null ? CadenceRules.DefaultFrequency(meetingKind) : row.Frequency;
        if (row is null)
            db.MeetingCadenceOverrides.Add(row = new MeetingCadenceOverride { OrganisationId = organisationId, Kind = meetingKind });
        row.Frequency = request!.Frequency!.Value;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(OverrideAudit, "Organisation", organisationId, organisation.TreePath,
            new { kind = meetingKind, frequency = before }, new { kind = meetingKind, frequency = row.Frequency });
        await db.SaveChangesAsync(ct);

        var branch = (await cadence.ForOrganisationsAsync(new HashSet<int> { organisationId }, cadence.UtcNow, ct)).Single();
        return Results.Ok(CadenceBranchDto.From(branch));
    }
}
