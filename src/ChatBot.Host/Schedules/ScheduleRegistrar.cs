using ChatBot.Core.Domain;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Schedules;

/// <summary>
/// Keeps Hangfire in step with the <see cref="RecurringSchedule"/> rows (the database is the truth): at start it seeds
/// the default schedules, registers every enabled schedule as the recurring job <c>schedule:{id}</c> (and removes the
/// job of a disabled one), then runs the newest slot each schedule missed while no host was up — once, not once per
/// missed slot. <see cref="SyncAsync"/> is called whenever a schedule changes.
/// </summary>
public sealed partial class ScheduleRegistrar(
    IChatBotDbContextFactory contexts,
    ScheduleRunner runner,
    IRecurringJobManager recurring,
    IOptions<SchedulesOptions> options,
    IOptions<DemoOptions> demo,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<ScheduleRegistrar> logger) : BackgroundService
{
    public static string JobId(int scheduleId) => $"schedule:{scheduleId}";

    /// <summary>Default schedules (committee-wide): name, cron, whether on, parameters.</summary>
    public static IReadOnlyList<(ScheduleKind Kind, string Name, string Cron, bool Enabled, string Parameters)> Defaults(bool demo) =>
    [
        (ScheduleKind.PolicyDigest, "每周政策速递", "0 9 * * 1", true, "{}"),
        (ScheduleKind.LessonSeries, "微党课连载", "0 20 * * *", !demo, "{\"series\":\"default\"}"),
        (ScheduleKind.StudyReminders, "学习任务提醒", "0 19 * * *", true, "{\"dueWithinDays\":3}"),
        (ScheduleKind.ActivityReminders, "活动提醒", "*/15 * * * *", true, "{}"),
        (ScheduleKind.CadenceAlerts, "三会一课到期提醒", "0 9 * * *", true, "{}"),
        (ScheduleKind.CadenceWeeklyNote, "三会一课周报", "0 9 * * 1", true, "{}"),
    ];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            await SeedDefaultsAsync(cancellationToken);
            await RegisterAllAsync(cancellationToken);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || !options.Value.RecoverMissedSlots) return;
        try
        {
            await RecoverAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRecoveryFailed(ex);
        }
    }

    /// <summary>Adds the committee-wide default of every kind that has none (a second host racing loses nothing: duplicates are removed).</summary>
    public async Task SeedDefaultsAsync(CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var existing = await db.RecurringSchedules.Where(s => s.OrganisationId == null).Select(s => new { s.Id, s.Kind }).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var isDemo = demo.Value.SeedsIn(environment);
        foreach (var d in Defaults(isDemo).Where(d => existing.All(e => e.Kind != d.Kind)))
            db.RecurringSchedules.Add(new RecurringSchedule
            {
                Name = d.Name, Kind = d.Kind, Cron = d.Cron, Enabled = d.Enabled, Parameters = d.Parameters, CreatedAt = now, UpdatedAt = now,
            });
        await db.SaveChangesAsync(ct);
        // Null organisation ids are distinct to a unique index: two hosts seeding at once may both insert; keep the first.
        var duplicates = (await db.RecurringSchedules.Where(s => s.OrganisationId == null).Select(s => new { s.Id, s.Kind }).ToListAsync(ct))
            .GroupBy(s => s.Kind).SelectMany(g => g.OrderBy(s => s.Id).Skip(1)).Select(s => s.Id).ToList();
        if (duplicates.Count > 0) await db.RecurringSchedules.Where(s => duplicates.Contains(s.Id)).ExecuteDeleteAsync(ct);
    }

    public async Task<int> RegisterAllAsync(CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var schedules = await db.RecurringSchedules.AsNoTracking().ToListAsync(ct);
        foreach (var s in schedules) Sync(s);
        return schedules.Count(s => s.Enabled);
    }

    public async Task SyncAsync(int scheduleId, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var schedule = await db.RecurringSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.Id == scheduleId, ct);
        if (schedule is null) { if (options.Value.RegisterJobs) recurring.RemoveIfExists(JobId(scheduleId)); }
        else Sync(schedule);
    }

    private void Sync(RecurringSchedule schedule)
    {
        if (!options.Value.RegisterJobs) return;
        var id = schedule.Id;
        if (!schedule.Enabled || ScheduleCron.TryParse(schedule.Cron) is null)
        {
            recurring.RemoveIfExists(JobId(id));
            return;
        }
        recurring.AddOrUpdate<ScheduleCronJob>(JobId(id), job => job.RunAsync(id, CancellationToken.None), schedule.Cron.Trim(),
            new RecurringJobOptions { TimeZone = runner.TimeZone });
    }

    /// <summary>
    /// For every enabled schedule, the newest occurrence after its last run (and after its last change, so switching a
    /// schedule on or changing its cron does not catch up) and no older than <c>Schedules:RecoveryLookbackHours</c>,
    /// run once. Returns how many slots ran.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var oldest = now.AddHours(-options.Value.RecoveryLookbackHours);
        List<RecurringSchedule> schedules;
        await using (var db = contexts.CreateDbContext())
            schedules = await db.RecurringSchedules.AsNoTracking().Where(s => s.Enabled).ToListAsync(ct);
        var ran = 0;
        foreach (var s in schedules)
        {
            if (ScheduleCron.TryParse(s.Cron) is not { } cron) continue;
            var after = new[] { s.LastSlotAt ?? s.CreatedAt, s.UpdatedAt, oldest }.Max();
            if (ScheduleCron.LatestBetween(cron, after, now, runner.TimeZone) is not { } missed) continue;
            LogRecovering(s.Id, missed);
            if ((await runner.RunSlotAsync(s.Id, missed, "recovery", ct)).Outcome == SlotOutcome.Ran) ran++;
        }
        return ran;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} missed slot {Slot:o} while no host was up; running it once")]
    private partial void LogRecovering(int scheduleId, DateTime slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovering missed schedule slots failed")]
    private partial void LogRecoveryFailed(Exception ex);
}

/// <summary>The Hangfire job of a schedule: names the slot (latest occurrence at or before now) and calls the runner.</summary>
public sealed class ScheduleCronJob(IChatBotDbContextFactory contexts, ScheduleRunner runner, TimeProvider time)
{
    public async Task RunAsync(int scheduleId, CancellationToken ct)
    {
        string? cron;
        await using (var db = contexts.CreateDbContext())
            cron = await db.RecurringSchedules.Where(s => s.Id == scheduleId && s.Enabled).Select(s => s.Cron).SingleOrDefaultAsync(ct);
        if (ScheduleCron.TryParse(cron) is not { } expression) return;
        if (ScheduleCron.SlotFor(expression, time.GetUtcNow().UtcDateTime, runner.TimeZone) is not { } slot) return;
        await runner.RunSlotAsync(scheduleId, slot, "cron", ct);
    }
}
