using System.Text.Json;
using ChatBot.Core.Broadcasts;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using ChatBot.Host.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Broadcasts;

/// <summary>
/// Starts runs and writes their rows. A run is created first under its unique run key (broadcast + slot), so a second
/// host or a second trigger for the same slot finds the existing run instead of making another. Its rows then go
/// through <see cref="IOutbox"/> in batches with per-recipient idempotency keys; a crash half way leaves
/// <see cref="BroadcastRun.EnqueuedAt"/> null and the sweep writes the rest (keys already written are ignored).
/// </summary>
public sealed partial class BroadcastRunner(
    IChatBotDbContextFactory contexts,
    IOutbox outbox,
    BroadcastComposer composer,
    BroadcastRoutingPolicy routing,
    IOptions<BroadcastsOptions> options,
    TimeProvider time,
    ILogger<BroadcastRunner> logger)
{
    /// <summary>Broadcasts are sent on behalf of the committee: scope was checked when the admin composed and confirmed.</summary>
    private static readonly OrganisationScope System = new("system:broadcasts", AdminRole.Admin, 0, OrganisationPath.Root);

    public static string SkipReasonOf(UnreachableReason reason) => reason.Code();

    public const string CancelledReason = "cancelled";

    public sealed record StartResult(BroadcastRun Run, bool Created);

    /// <summary>The run of <paramref name="broadcastId"/> for <paramref name="slotUtc"/>: created and written, or the existing one.</summary>
    /// <param name="inBackground">Write the rows after returning (the API: 100,000 rows take longer than a request
    /// should); the run exists already, and the sweep finishes it if this host stops first.</param>
    public async Task<StartResult?> StartAsync(int broadcastId, DateTime slotUtc, CancellationToken ct, bool inBackground = false)
    {
        var slot = BroadcastRules.SlotOf(slotUtc);
        await using var db = contexts.CreateDbContext();
        var broadcast = await db.Broadcasts.SingleOrDefaultAsync(b => b.Id == broadcastId, ct);
        if (broadcast is null || broadcast.Status is BroadcastStatus.Cancelled or BroadcastStatus.Draft) return null;

        var contentKind = broadcast.ContentItemId is { } contentId
            ? await db.ContentItems.Where(c => c.Id == contentId).Select(c => (ContentKind?)c.Kind).SingleOrDefaultAsync(ct)
            : null;
        var snapshot = new BroadcastSnapshot(broadcast.Title, broadcast.Body, contentKind is null ? null : broadcast.ContentItemId, contentKind,
            BroadcastAudience.FromJson(broadcast.Audience), broadcast.Urgent, broadcast.MassSend);
        var run = new BroadcastRun
        {
            BroadcastId = broadcast.Id,
            RunKey = BroadcastRules.RunKey(broadcast.Id, slot),
            Status = RunStatus.Planned,
            SlotAt = slot,
            Urgent = broadcast.Urgent,
            Snapshot = snapshot.ToJson(),
            StartedAt = time.GetUtcNow().UtcDateTime,
        };
        var created = await TryCreateAsync(db, run, ct);
        if (created is null)
            return new StartResult(await ExistingAsync(run.RunKey, ct), false);

        if (broadcast.Cron is null)
        {
            broadcast.Status = BroadcastStatus.Running;
            broadcast.UpdatedAt = run.StartedAt;
            await db.SaveChangesAsync(ct);
        }
        if (inBackground) Background(created.Id);
        else await EnqueueAsync(created.Id, ct);
        return new StartResult(await ExistingAsync(run.RunKey, ct), true);
    }

    /// <summary>A new run, linked to <paramref name="ofRunId"/>, for its Failed rows (and Unknown rows when asked).</summary>
    public async Task<StartResult> StartResendAsync(int broadcastId, int ofRunId, bool includeUnknown, CancellationToken ct, bool inBackground = false)
    {
        await using var db = contexts.CreateDbContext();
        var of = await db.BroadcastRuns.AsNoTracking().SingleAsync(r => r.Id == ofRunId && r.BroadcastId == broadcastId, ct);
        var snapshot = BroadcastSnapshot.FromJson(of.Snapshot);
        var now = time.GetUtcNow().UtcDateTime;
        var run = new BroadcastRun
        {
            BroadcastId = broadcastId,
            RunKey = BroadcastRules.ResendRunKey(broadcastId, ofRunId),
            Status = RunStatus.Planned,
            SlotAt = BroadcastRules.SlotOf(now),
            ResendOfRunId = ofRunId,
            Urgent = of.Urgent,
            // Which rows it resends is part of the snapshot, so a crash half way resumes with the same choice.
            Snapshot = JsonSerializer.Serialize(new ResendSnapshot(snapshot, includeUnknown)),
            StartedAt = now,
        };
        var created = await TryCreateAsync(db, run, ct);
        if (created is null) return new StartResult(await ExistingAsync(run.RunKey, ct), false);
        var broadcast = await db.Broadcasts.SingleAsync(b => b.Id == broadcastId, ct);
        if (broadcast.Cron is null)
        {
            broadcast.Status = BroadcastStatus.Running;
            broadcast.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }
        if (inBackground) Background(created.Id);
        else await EnqueueAsync(created.Id, ct);
        return new StartResult(await ExistingAsync(run.RunKey, ct), true);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Task> _writing = new();

    private void Background(int runId)
    {
        // Not tied to the request: the caller hanging up must not stop the rows half way.
        var task = Task.Run(async () =>
        {
            try
            {
                await EnqueueAsync(runId, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogBackgroundFailed(ex, runId);
            }
            finally
            {
                _writing.TryRemove(runId, out _);
            }
        });
        _writing.TryAdd(runId, task);
    }

    /// <summary>Completes when every run this instance is writing in the background has all its rows (tests, shutdown).</summary>
    public Task WhenWrittenAsync() => Task.WhenAll(_writing.Values.ToArray());

    private sealed record ResendSnapshot(BroadcastSnapshot Broadcast, bool IncludeUnknown);

    private static async Task<BroadcastRun?> TryCreateAsync(ChatBotDbContext db, BroadcastRun run, CancellationToken ct)
    {
        if (await db.BroadcastRuns.AnyAsync(r => r.RunKey == run.RunKey, ct)) return null;
        db.BroadcastRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return run;
        }
        catch (DbUpdateException)
        {
            // The unique run key: another host or trigger created this slot's run first.
            db.Entry(run).State = EntityState.Detached;
            return null;
        }
    }

    private async Task<BroadcastRun> ExistingAsync(string runKey, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        return await db.BroadcastRuns.AsNoTracking().SingleAsync(r => r.RunKey == runKey, ct);
    }

    /// <summary>Writes (or finishes writing) the rows of a run; idempotent, so the sweep may call it again after a crash.</summary>
    public async Task EnqueueAsync(int runId, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await using var db = contexts.CreateDbContext();
        var run = await db.BroadcastRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        if (run.EnqueuedAt is not null) return;
        var written = run.ResendOfRunId is { } ofRunId
            ? await EnqueueResendAsync(db, run, ofRunId, ct)
            : await EnqueueAudienceAsync(db, run, ct);

        var now = time.GetUtcNow().UtcDateTime;
        await db.BroadcastRuns.Where(r => r.Id == runId && r.Status == RunStatus.Planned)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Sending), ct);
        await db.BroadcastRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.EnqueuedAt, now), ct);
        // Paused or cancelled while the rows were being written: apply it to the rows written since.
        var status = await db.BroadcastRuns.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(ct);
        if (status == RunStatus.Paused) await HoldRowsAsync(db, runId, ct);
        if (status == RunStatus.Cancelled) await CancelRowsAsync(db, runId, ct);
        LogEnqueued(runId, written, time.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<int> EnqueueAudienceAsync(ChatBotDbContext db, BroadcastRun run, CancellationToken ct)
    {
        var snapshot = BroadcastSnapshot.FromJson(run.Snapshot);
        var now = time.GetUtcNow().UtcDateTime;
        var policy = routing.Current();
        var facts = await AudienceLoader.LoadAsync(db, snapshot.Audience, System, now, routing.TimeZone, run.Id, ct);
        var request = new RouteRequest(MessageKinds.Broadcast, snapshot.Urgent, snapshot.MassSend, CountsTowardsBudget: true);
        var batchSize = options.Value.BatchSize;
        var batch = new List<OutboxItem>(batchSize);
        var written = 0;

        foreach (var member in facts.Members)
        {
            var decision = DeliveryRouter.Route(member.Facts, request, policy, now);
            batch.Add(new OutboxItem
            {
                IdempotencyKey = BroadcastRules.MemberKey(run.Id, member.MemberId),
                MemberId = member.MemberId,
                ChannelIdentityId = decision.IdentityId,
                BroadcastRunId = run.Id,
                Route = decision.Route ?? default,
                Payload = composer.ForMember(snapshot, member.MemberId, decision.IsReachable).ToJson(),
                NotBefore = decision.NotBefore,
                SkipReason = decision.Reason is { } reason ? SkipReasonOf(reason) : null,
            });
            if (batch.Count >= batchSize) written += await FlushAsync(batch, ct);
        }
        if (facts.GroupChats.Count > 0)
        {
            var push = composer.ForGroupChat(snapshot).ToJson();
            foreach (var chat in facts.GroupChats)
            {
                var decision = DeliveryRouter.Route(chat.Facts);
                batch.Add(new OutboxItem
                {
                    IdempotencyKey = BroadcastRules.GroupChatKey(run.Id, chat.GroupChatId),
                    GroupChatId = chat.GroupChatId,
                    BroadcastRunId = run.Id,
                    Route = decision.Route ?? (chat.Facts.Channel == Channel.WeCom ? DeliveryRoute.WeComRobot : DeliveryRoute.DingTalkRobot),
                    Payload = push,
                    SkipReason = decision.Reason is { } reason ? SkipReasonOf(reason) : null,
                });
                if (batch.Count >= batchSize) written += await FlushAsync(batch, ct);
            }
        }
        written += await FlushAsync(batch, ct);
        return written;
    }

    private async Task<int> EnqueueResendAsync(ChatBotDbContext db, BroadcastRun run, int ofRunId, CancellationToken ct)
    {
        var includeUnknown = JsonSerializer.Deserialize<ResendSnapshot>(run.Snapshot)?.IncludeUnknown ?? false;
        var now = time.GetUtcNow().UtcDateTime;
        var policy = routing.Current();
        var memberNotBefore = !run.Urgent && policy.QuietHours.IsQuiet(now) ? policy.QuietHours.EndAfter(now) : (DateTime?)null;
        var batchSize = options.Value.BatchSize;
        var batch = new List<OutboxItem>(batchSize);
        var written = 0;
        long after = 0;
        while (true)
        {
            // Keyset pages: no reader stays open while the outbox writes (SQLite has one writer).
            var page = await db.Deliveries.AsNoTracking()
                .Where(d => d.BroadcastRunId == ofRunId && d.Id > after
                    && (d.Status == DeliveryStatus.Failed || (includeUnknown && d.Status == DeliveryStatus.Unknown)))
                .OrderBy(d => d.Id).Take(batchSize)
                .Select(d => new { d.Id, d.MemberId, d.GroupChatId, d.ChannelIdentityId, d.Route, d.Payload })
                .ToListAsync(ct);
            if (page.Count == 0) break;
            after = page[^1].Id;
            foreach (var row in page)
            {
                batch.Add(new OutboxItem
                {
                    IdempotencyKey = row.MemberId is { } memberId
                        ? BroadcastRules.MemberKey(run.Id, memberId)
                        : BroadcastRules.GroupChatKey(run.Id, row.GroupChatId ?? 0),
                    MemberId = row.MemberId,
                    GroupChatId = row.GroupChatId,
                    ChannelIdentityId = row.ChannelIdentityId,
                    BroadcastRunId = run.Id,
                    Route = row.Route,
                    Payload = row.Payload,
                    NotBefore = row.MemberId is null ? null : memberNotBefore,
                });
            }
            written += await FlushAsync(batch, ct);
        }
        return written;
    }

    private async Task<int> FlushAsync(List<OutboxItem> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        var written = await outbox.EnqueueAsync(batch.ToArray(), ct);
        batch.Clear();
        return written;
    }

    /// <summary>Pending rows of the run stay Pending but are not due (see <see cref="Core.Domain.Delivery.HeldNextAttemptAt"/>).</summary>
    public static Task<int> HoldRowsAsync(ChatBotDbContext db, int runId, CancellationToken ct) =>
        db.Deliveries.Where(d => d.BroadcastRunId == runId && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, Core.Domain.Delivery.HeldNextAttemptAt), ct);

    public static Task<int> CancelRowsAsync(ChatBotDbContext db, int runId, CancellationToken ct) =>
        db.Deliveries.Where(d => d.BroadcastRunId == runId && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Skipped)
                .SetProperty(d => d.SkipReason, CancelledReason)
                .SetProperty(d => d.NextAttemptAt, (DateTime?)null), ct);

    /// <summary>Held rows become due again: member rows at the end of quiet hours (unless urgent), group chats at once.</summary>
    public async Task ReleaseRowsAsync(ChatBotDbContext db, BroadcastRun run, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var policy = routing.Current();
        DateTime? memberDue = !run.Urgent && policy.QuietHours.IsQuiet(now) ? policy.QuietHours.EndAfter(now) : now;
        await db.Deliveries.Where(d => d.BroadcastRunId == run.Id && d.Status == DeliveryStatus.Pending && d.MemberId != null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, memberDue), ct);
        await db.Deliveries.Where(d => d.BroadcastRunId == run.Id && d.Status == DeliveryStatus.Pending && d.MemberId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, (DateTime?)now), ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Broadcast run {RunId}: writing its rows failed; the scheduler's sweep retries")]
    private partial void LogBackgroundFailed(Exception ex, int runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast run {RunId}: {Rows} outbox rows written in {Milliseconds:F0} ms")]
    private partial void LogEnqueued(int runId, int rows, double milliseconds);
}
