using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Schedules;

/// <summary>Why a slot was not run by this call.</summary>
public enum SlotOutcome
{
    Ran = 0,
    /// <summary>The run key already existed: another instance, a retried job or an earlier call ran (or runs) it.</summary>
    AlreadyRun = 1,
    /// <summary>No such schedule, or it is switched off.</summary>
    NotFound = 2,
    Disabled = 3,
}

public sealed record SlotResult(SlotOutcome Outcome, ScheduleRun? Run);

/// <summary>
/// Runs one slot of a schedule: inserts the <see cref="ScheduleRun"/> row first (its unique run key makes a second
/// insert — another instance, a retried Hangfire job — lose), then resolves the kind's <see cref="IScheduledTask"/>
/// from DI in a fresh scope, runs it, and stores its report. A task that throws leaves the run Failed with the error;
/// the slot is not retried automatically (the admin can "run now").
/// </summary>
public sealed partial class ScheduleRunner(
    IChatBotDbContextFactory contexts,
    IServiceScopeFactory scopes,
    IOptions<SchedulingOptions> scheduling,
    TimeProvider time,
    ILogger<ScheduleRunner> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public TimeZoneInfo TimeZone { get; } = scheduling.Value.ResolveTimeZone();

    public async Task<SlotResult> RunSlotAsync(int scheduleId, DateTime slotUtc, string trigger, CancellationToken ct, bool evenIfDisabled = false)
    {
        slotUtc = DateTime.SpecifyKind(slotUtc, DateTimeKind.Utc);
        RecurringSchedule? schedule;
        ScheduleRun run;
        BroadcastRun deliveryRun;
        await using (var db = contexts.CreateDbContext())
        {
            schedule = await db.RecurringSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.Id == scheduleId, ct);
            if (schedule is null) return new SlotResult(SlotOutcome.NotFound, null);
            if (!schedule.Enabled && !evenIfDisabled) return new SlotResult(SlotOutcome.Disabled, null);

            var now = time.GetUtcNow().UtcDateTime;
            var key = ScheduleRun.KeyFor(scheduleId, slotUtc);
            run = new ScheduleRun { ScheduleId = scheduleId, SlotAt = slotUtc, RunKey = key, Status = ScheduleRunStatus.Running, Trigger = trigger, StartedAt = now };
            db.ScheduleRuns.Add(run);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                LogAlreadyRun(scheduleId, slotUtc);
                return new SlotResult(SlotOutcome.AlreadyRun, null);
            }
            // Rows the task writes hang off this run (budget, dashboard); the broadcast scheduler marks it Completed
            // once its rows are settled. EnqueuedAt is set now: the broadcast sweep has nothing to finish here.
            deliveryRun = new BroadcastRun
            {
                RecurringScheduleId = scheduleId, RunKey = $"{key}:run{run.Id}", Status = RunStatus.Sending, SlotAt = slotUtc, StartedAt = now, EnqueuedAt = now,
            };
            db.BroadcastRuns.Add(deliveryRun);
            await db.SaveChangesAsync(ct);
            await db.RecurringSchedules.Where(s => s.Id == scheduleId && (s.LastSlotAt == null || s.LastSlotAt < slotUtc))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSlotAt, slotUtc), ct);
        }

        ScheduleRunReport? report = null;
        string? error = null;
        try
        {
            var context = await BuildContextAsync(schedule, run, deliveryRun.Id, trigger, ct);
            await using var scope = scopes.CreateAsyncScope();
            // The last registration for a kind wins, as DI does for single services: a host (or a test) can replace a task.
            var task = scope.ServiceProvider.GetServices<IScheduledTask>().LastOrDefault(t => t.Kind == schedule.Kind)
                ?? throw new InvalidOperationException($"no IScheduledTask is registered for {schedule.Kind}");
            report = await task.RunAsync(context, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = ex.GetType().Name + ": " + ex.Message;
            LogRunFailed(ex, scheduleId, slotUtc);
        }

        await using (var db = contexts.CreateDbContext())
        {
            var finished = time.GetUtcNow().UtcDateTime;
            var status = error is null ? ScheduleRunStatus.Completed : ScheduleRunStatus.Failed;
            var reportJson = report is null ? "{}" : JsonSerializer.Serialize(report, Json);
            if (reportJson.Length > 16000) reportJson = JsonSerializer.Serialize(report! with { Counts = new Dictionary<string, int>() }, Json);
            var truncated = error is { Length: > 4000 } ? error[..4000] : error;
            await db.ScheduleRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status).SetProperty(r => r.FinishedAt, finished)
                .SetProperty(r => r.Report, reportJson).SetProperty(r => r.Error, truncated), ct);
            run.Status = status;
            run.FinishedAt = finished;
            run.Report = reportJson;
            run.Error = truncated;
        }
        LogRan(scheduleId, schedule.Kind, slotUtc, run.Status);
        return new SlotResult(SlotOutcome.Ran, run);
    }

    /// <summary>The organisations the schedule covers: its subtree minus subtrees with their own schedule of the kind.</summary>
    public async Task<ScheduleRunContext> BuildContextAsync(RecurringSchedule schedule, ScheduleRun run, int deliveryRunId, string trigger, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var organisations = await db.Organisations.AsNoTracking().Select(o => new { o.Id, o.Path }).ToListAsync(ct);
        var paths = organisations.ToDictionary(o => o.Id, o => OrganisationPath.Parse(o.Path));
        var scope = schedule.OrganisationId is { } id && paths.TryGetValue(id, out var p) ? p : OrganisationPath.Root;
        var siblings = await db.RecurringSchedules.AsNoTracking()
            .Where(s => s.Kind == schedule.Kind && s.Id != schedule.Id && s.OrganisationId != null)
            .Select(s => s.OrganisationId!.Value).ToListAsync(ct);
        var excluded = siblings.Where(paths.ContainsKey).Select(o => paths[o])
            .Where(o => o != scope && scope.Contains(o)).Distinct().ToList();
        var previous = await db.ScheduleRuns.AsNoTracking()
            .Where(r => r.ScheduleId == schedule.Id && r.SlotAt < run.SlotAt)
            .OrderByDescending(r => r.SlotAt).Select(r => (DateTime?)r.SlotAt).FirstOrDefaultAsync(ct);

        using var parameters = JsonDocument.Parse(string.IsNullOrWhiteSpace(schedule.Parameters) ? "{}" : schedule.Parameters);
        var context = new ScheduleRunContext
        {
            Schedule = schedule,
            RunId = run.Id,
            DeliveryRunId = deliveryRunId,
            SlotUtc = run.SlotAt,
            SlotLocal = TimeZoneInfo.ConvertTime(new DateTimeOffset(run.SlotAt), TimeZone),
            TimeZone = TimeZone,
            PreviousSlotUtc = previous,
            Scope = scope,
            Excluded = excluded,
            OrganisationIds = new HashSet<int>(),
            Parameters = parameters.RootElement.Clone(),
            Trigger = trigger,
        };
        return context with { OrganisationIds = paths.Where(kv => context.Covers(kv.Value)).Select(kv => kv.Key).ToHashSet() };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} slot {Slot:o} already run elsewhere; skipped")]
    private partial void LogAlreadyRun(int scheduleId, DateTime slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schedule {ScheduleId} slot {Slot:o} failed")]
    private partial void LogRunFailed(Exception ex, int scheduleId, DateTime slot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} ({Kind}) slot {Slot:o}: {Status}")]
    private partial void LogRan(int scheduleId, ScheduleKind kind, DateTime slot, ScheduleRunStatus status);
}
