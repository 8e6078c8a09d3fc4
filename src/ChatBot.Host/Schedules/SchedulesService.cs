using System.Globalization;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Schedules;

public sealed record ScheduleView(
    int Id, string Name, ScheduleKind Kind, int? OrganisationId, string? OrganisationName, string Cron, bool Enabled,
    JsonElement Parameters, DateTime? LastSlotAt, ScheduleRunView? LastRun, IReadOnlyList<DateTimeOffset> NextRuns, DateTime UpdatedAt);

public sealed record ScheduleRunView(long Id, DateTime SlotAt, string Trigger, ScheduleRunStatus Status, DateTime StartedAt, DateTime? FinishedAt,
    JsonElement Report, string? Error);

public sealed record UpdateScheduleRequest(string? Cron, bool? Enabled, JsonElement? Parameters, string? Name);

public sealed record CreateScheduleRequest(ScheduleKind? Kind, int? OrganisationId, string? Cron, bool? Enabled, JsonElement? Parameters, string? Name);

public static class ScheduleAuditActions
{
    public const string Create = "schedule.create";
    public const string Update = "schedule.update";
    public const string Delete = "schedule.delete";
    public const string RunNow = "schedule.run-now";
}

/// <summary>
/// Reading and changing schedules within the caller's <see cref="OrganisationScope"/>: a committee-wide schedule
/// (no organisation) is the 超级管理员's; a secretary sees and overrides only schedules of their subtree. Every change
/// is audited and re-registers the Hangfire job.
/// </summary>
public sealed class SchedulesService(ChatBotDbContext db, OrganisationScope scope, AuditLog audit, ScheduleRegistrar registrar,
    ScheduleRunner runner, TimeProvider time)
{
    public const int MaxNext = 50;

    public TimeZoneInfo TimeZone => runner.TimeZone;

    private IQueryable<RecurringSchedule> Visible()
    {
        if (scope.IsSuperAdmin) return db.RecurringSchedules;
        var root = scope.Root.Value;
        return db.RecurringSchedules.Where(s => s.OrganisationId != null
            && db.Organisations.Any(o => o.Id == s.OrganisationId && o.Path.StartsWith(root)));
    }

    public async Task<List<ScheduleView>> ListAsync(CancellationToken ct)
    {
        var schedules = await Visible().AsNoTracking().OrderBy(s => s.Kind).ThenBy(s => s.OrganisationId).ThenBy(s => s.Id).ToListAsync(ct);
        return await ViewsAsync(schedules, ct);
    }

    public async Task<ScheduleView?> GetAsync(int id, CancellationToken ct) =>
        await Visible().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct) is { } s ? (await ViewsAsync([s], ct))[0] : null;

    public async Task<IReadOnlyList<ScheduleRunView>> RunsAsync(int id, int take, CancellationToken ct)
    {
        var runs = await db.ScheduleRuns.AsNoTracking().Where(r => r.ScheduleId == id).OrderByDescending(r => r.SlotAt).ThenByDescending(r => r.Id)
            .Take(take).ToListAsync(ct);
        return runs.Select(ToView).ToList();
    }

    private async Task<List<ScheduleView>> ViewsAsync(List<RecurringSchedule> schedules, CancellationToken ct)
    {
        var ids = schedules.Select(s => s.Id).ToList();
        var lastRuns = (await db.ScheduleRuns.AsNoTracking().Where(r => ids.Contains(r.ScheduleId))
                .GroupBy(r => r.ScheduleId).Select(g => g.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).First()).ToListAsync(ct))
            .ToDictionary(r => r.ScheduleId);
        var orgIds = schedules.Where(s => s.OrganisationId != null).Select(s => s.OrganisationId!.Value).ToList();
        var names = await db.Organisations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var now = time.GetUtcNow().UtcDateTime;
        return schedules.Select(s => new ScheduleView(
            s.Id, s.Name, s.Kind, s.OrganisationId, s.OrganisationId is { } o ? names.GetValueOrDefault(o) : null, s.Cron, s.Enabled,
            ParseParameters(s.Parameters), s.LastSlotAt, lastRuns.TryGetValue(s.Id, out var r) ? ToView(r) : null,
            s.Enabled && ScheduleCron.TryParse(s.Cron) is { } c ? ScheduleCron.Next(c, now, TimeZone, 5) : [], s.UpdatedAt)).ToList();
    }

    private static ScheduleRunView ToView(ScheduleRun r) =>
        new(r.Id, r.SlotAt, r.Trigger, r.Status, r.StartedAt, r.FinishedAt, ParseParameters(r.Report), r.Error);

    private static JsonElement ParseParameters(string? json)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }
    }

    /// <summary>The next runs in local time, or the validation errors for <c>cron</c> / <c>count</c>.</summary>
    public static (IReadOnlyList<DateTimeOffset>? Next, Dictionary<string, string[]>? Errors) Preview(string? cron, int count, DateTime nowUtc, TimeZoneInfo zone)
    {
        if (count is < 1 or > MaxNext) return (null, new() { ["count"] = [$"count is 1 to {MaxNext}"] });
        if (ScheduleCron.TryParse(cron) is not { } expression)
            return (null, new() { ["cron"] = ["cron must have 5 fields (minute hour day month weekday), e.g. 0 9 * * 1"] });
        var next = ScheduleCron.Next(expression, nowUtc, zone, count);
        if (next.Count == 0) return (null, new() { ["cron"] = ["cron never occurs"] });
        return (next, null);
    }

    public async Task<IResult> NextAsync(int id, int count, CancellationToken ct)
    {
        var schedule = await Visible().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return Results.NotFound();
        var (next, errors) = Preview(schedule.Cron, count, time.GetUtcNow().UtcDateTime, TimeZone);
        if (errors is not null) return Results.ValidationProblem(errors);
        return Results.Ok(new { id, cron = schedule.Cron, timeZone = TimeZone.Id, next = next!.Select(FormatLocal).ToList() });
    }

    public static string FormatLocal(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static Dictionary<string, string[]> Validate(string? cron, JsonElement? parameters, string? name, bool cronRequired, DateTime nowUtc)
    {
        var errors = new Dictionary<string, string[]>();
        if ((cron is not null || cronRequired) && (ScheduleCron.TryParse(cron) is not { } c || c.GetNextOccurrence(nowUtc.AddYears(-1)) is null))
            errors["cron"] = ["cron must have 5 fields (minute hour day month weekday), e.g. 0 9 * * 1"];
        if (parameters is { } p && p.ValueKind is not JsonValueKind.Object and not JsonValueKind.Null and not JsonValueKind.Undefined)
            errors["parameters"] = ["parameters must be a JSON object"];
        else if (parameters is { ValueKind: JsonValueKind.Object } o && o.GetRawText().Length > 4000)
            errors["parameters"] = ["parameters are at most 4000 characters"];
        if (name is not null && (name.Trim().Length == 0 || name.Length > 200)) errors["name"] = ["name is 1 to 200 characters"];
        return errors;
    }

    private static object Snapshot(RecurringSchedule s) => new { s.Name, s.Kind, s.OrganisationId, s.Cron, s.Enabled, s.Parameters };

    private async Task<OrganisationPath> PathOfAsync(int? organisationId, CancellationToken ct) =>
        organisationId is { } id && await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => o.Path).SingleOrDefaultAsync(ct) is { } p
            ? OrganisationPath.Parse(p) : OrganisationPath.Root;

    public async Task<IResult> UpdateAsync(int id, UpdateScheduleRequest? request, CancellationToken ct)
    {
        var schedule = await Visible().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return Results.NotFound();
        if (request is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["a JSON body is required"] });
        var errors = Validate(request.Cron, request.Parameters, request.Name, cronRequired: false, time.GetUtcNow().UtcDateTime);
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var before = Snapshot(schedule);
        if (request.Cron is { } cron) schedule.Cron = cron.Trim();
        if (request.Enabled is { } enabled) schedule.Enabled = enabled;
        if (request.Parameters is { ValueKind: JsonValueKind.Object } parameters) schedule.Parameters = parameters.GetRawText();
        if (request.Name is { } name) schedule.Name = name.Trim();
        schedule.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(ScheduleAuditActions.Update, nameof(RecurringSchedule), schedule.Id, await PathOfAsync(schedule.OrganisationId, ct), before, Snapshot(schedule));
        await db.SaveChangesAsync(ct);
        await registrar.SyncAsync(schedule.Id, ct);
        return Results.Ok(await GetAsync(schedule.Id, ct));
    }

    /// <summary>An override for an organisation's subtree (one per kind and organisation).</summary>
    public async Task<IResult> CreateAsync(CreateScheduleRequest? request, CancellationToken ct)
    {
        if (request is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["a JSON body is required"] });
        var errors = Validate(request.Cron, request.Parameters, request.Name, cronRequired: true, time.GetUtcNow().UtcDateTime);
        if (request.Kind is null || !Enum.IsDefined(request.Kind.Value)) errors["kind"] = ["kind is one of " + string.Join(", ", Enum.GetNames<ScheduleKind>())];
        Organisation? organisation = null;
        if (request.OrganisationId is not { } orgId) errors["organisationId"] = ["organisationId is required (the committee-wide schedules exist already)"];
        else
        {
            organisation = await db.Organisations.AsNoTracking().WithinScope(scope).SingleOrDefaultAsync(o => o.Id == orgId, ct);
            if (organisation is null) errors["organisationId"] = [$"unknown organisation {orgId}"];
        }
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        if (await db.RecurringSchedules.AnyAsync(s => s.Kind == request.Kind && s.OrganisationId == organisation!.Id, ct))
            return Results.Conflict(new { error = "this organisation already has a schedule of this kind" });
        var now = time.GetUtcNow().UtcDateTime;
        var schedule = new RecurringSchedule
        {
            Name = request.Name?.Trim() ?? $"{organisation!.Name} · {request.Kind}", Kind = request.Kind!.Value, OrganisationId = organisation!.Id,
            Cron = request.Cron!.Trim(), Enabled = request.Enabled ?? true,
            Parameters = request.Parameters is { ValueKind: JsonValueKind.Object } p ? p.GetRawText() : "{}", CreatedAt = now, UpdatedAt = now,
        };
        db.RecurringSchedules.Add(schedule);
        await db.SaveChangesAsync(ct);
        audit.Record(ScheduleAuditActions.Create, nameof(RecurringSchedule), schedule.Id, organisation.TreePath, null, Snapshot(schedule));
        await db.SaveChangesAsync(ct);
        await registrar.SyncAsync(schedule.Id, ct);
        return Results.Created($"/api/v1/schedules/{schedule.Id}", await GetAsync(schedule.Id, ct));
    }

    /// <summary>Removes an override (the parent schedule governs the subtree again); committee-wide schedules are switched off, not deleted.</summary>
    public async Task<IResult> DeleteAsync(int id, CancellationToken ct)
    {
        var schedule = await Visible().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return Results.NotFound();
        if (schedule.OrganisationId is null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["a committee-wide schedule cannot be deleted; switch it off"] });
        audit.Record(ScheduleAuditActions.Delete, nameof(RecurringSchedule), schedule.Id, await PathOfAsync(schedule.OrganisationId, ct), Snapshot(schedule));
        db.RecurringSchedules.Remove(schedule);
        await db.SaveChangesAsync(ct);
        await registrar.SyncAsync(id, ct);
        return Results.NoContent();
    }

    /// <summary>Runs the schedule now for the current minute (also when switched off); a second click in that minute answers the same run.</summary>
    public async Task<IResult> RunNowAsync(int id, CancellationToken ct)
    {
        var schedule = await Visible().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null) return Results.NotFound();
        var now = time.GetUtcNow().UtcDateTime;
        var slot = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc);
        audit.Record(ScheduleAuditActions.RunNow, nameof(RecurringSchedule), id, await PathOfAsync(schedule.OrganisationId, ct), detail: slot.ToString("o", CultureInfo.InvariantCulture));
        await db.SaveChangesAsync(ct);
        var result = await runner.RunSlotAsync(id, slot, "run-now:" + scope.Actor, ct, evenIfDisabled: true);
        if (result.Run is { } run) return Results.Ok(new { created = true, run = ToView(run) });
        var existing = await db.ScheduleRuns.AsNoTracking().SingleOrDefaultAsync(r => r.RunKey == ScheduleRun.KeyFor(id, slot), ct);
        return Results.Ok(new { created = false, run = existing is null ? null : ToView(existing) });
    }
}
