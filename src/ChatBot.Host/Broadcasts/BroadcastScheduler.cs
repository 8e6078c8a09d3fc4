using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Broadcasts;

/// <summary>
/// Time-driven side of broadcasts. At start it registers every recurring broadcast's Hangfire job again from the
/// database (the embedded in-memory storage forgets them on restart; with Redis storage this is a harmless update).
/// Each pass starts one-off broadcasts whose sendAt is due, finishes writing runs a crash interrupted, and marks runs
/// Completed. Every step is idempotent through run keys and idempotency keys, so several instances may run it.
/// </summary>
public sealed partial class BroadcastScheduler(
    IChatBotDbContextFactory contexts,
    BroadcastRunner runner,
    BroadcastRoutingPolicy routing,
    IRecurringJobManager recurring,
    IOptions<BroadcastsOptions> options,
    TimeProvider time,
    ILogger<BroadcastScheduler> logger) : BackgroundService
{
    /// <summary>A run still without all its rows this long after it started was interrupted (a host died while writing).</summary>
    public static readonly TimeSpan InterruptedAfter = TimeSpan.FromMinutes(2);

    public static string JobId(int broadcastId) => $"broadcast:{broadcastId}";

    public static void Register(IRecurringJobManager recurring, int broadcastId, string cron, TimeZoneInfo zone) =>
        recurring.AddOrUpdate<BroadcastCronJob>(JobId(broadcastId), job => job.RunAsync(broadcastId, CancellationToken.None), cron,
            new RecurringJobOptions { TimeZone = zone });

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RegisterRecurringAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public async Task<int> RegisterRecurringAsync(CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var recurringBroadcasts = await db.Broadcasts.AsNoTracking()
            .Where(b => b.Cron != null && b.Status == BroadcastStatus.Scheduled)
            .Select(b => new { b.Id, b.Cron }).ToListAsync(ct);
        foreach (var b in recurringBroadcasts) Register(recurring, b.Id, b.Cron!, routing.TimeZone);
        return recurringBroadcasts.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled) return;
        var interval = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(ex);
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: due sendAt broadcasts, interrupted runs, completion.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<(int Id, DateTime At)> due;
        List<int> interrupted;
        await using (var db = contexts.CreateDbContext())
        {
            due = (await db.Broadcasts.AsNoTracking()
                    .Where(b => b.Status == BroadcastStatus.Scheduled && b.Cron == null && b.ScheduledAt != null && b.ScheduledAt <= now)
                    .Select(b => new { b.Id, At = b.ScheduledAt!.Value }).ToListAsync(ct))
                .Select(b => (b.Id, b.At)).ToList();
            var stale = now - InterruptedAfter;
            interrupted = await db.BroadcastRuns.AsNoTracking()
                .Where(r => r.EnqueuedAt == null && r.StartedAt < stale
                    && (r.Status == RunStatus.Planned || r.Status == RunStatus.Sending || r.Status == RunStatus.Paused))
                .Select(r => r.Id).ToListAsync(ct);
        }
        foreach (var (id, at) in due) await runner.StartAsync(id, at, ct);
        foreach (var runId in interrupted) await runner.EnqueueAsync(runId, ct);
        await using (var db = contexts.CreateDbContext())
            await BroadcastService.RefreshAsync(db, null, time.GetUtcNow().UtcDateTime, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Broadcast scheduler pass failed; the next pass retries")]
    private partial void LogPassFailed(Exception ex);
}

/// <summary>The Hangfire job of a recurring broadcast: one run per cron slot, whichever host or retry fires it.</summary>
public sealed class BroadcastCronJob(IChatBotDbContextFactory contexts, BroadcastRunner runner, BroadcastRoutingPolicy routing, TimeProvider time)
{
    public async Task RunAsync(int broadcastId, CancellationToken ct)
    {
        string? cron;
        await using (var db = contexts.CreateDbContext())
            cron = await db.Broadcasts.Where(b => b.Id == broadcastId && b.Status == BroadcastStatus.Scheduled).Select(b => b.Cron).SingleOrDefaultAsync(ct);
        if (cron is null) return;
        await runner.StartAsync(broadcastId, SlotFor(cron, time.GetUtcNow().UtcDateTime, routing.TimeZone), ct);
    }

    /// <summary>The latest cron occurrence at or before now (within a day), so a trigger a little late names the same slot.</summary>
    public static DateTime SlotFor(string cron, DateTime nowUtc, TimeZoneInfo zone)
    {
        var expression = BroadcastService.TryParseCron(cron);
        var last = expression?.GetOccurrences(nowUtc.AddDays(-1), nowUtc, zone, fromInclusive: true, toInclusive: true).LastOrDefault();
        return last is { } at && at != default ? at : nowUtc;
    }
}
