using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Delivery;

using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>
/// The sender of the delivery pipeline for member rows, WeChat replies and DingTalk answers (group-chat robots:
/// <see cref="GroupChats.GroupPushProcessor"/>, same states and claims). One pass (<see cref="ProcessDueAsync"/>):
/// <list type="number">
/// <item>read due rows: Pending and NextAttemptAt null or past, oldest first;</item>
/// <item>per recipient in order, several recipients at once: CLAIM the row right before sending it with a
/// conditional update (Pending → Sending, ClaimedBy = a fresh token, ClaimedAt = now, only WHERE Status is still
/// Pending) — of two instances on one database exactly one gets the row, and a row is Sending only while its request
/// is in flight, so a crash leaves as few ambiguous rows as possible;</item>
/// <item>send it (<see cref="DeliveryDispatcher"/>) and settle it, again conditionally on the claim token: Sent |
/// Failed | Unknown | Skipped | Pending again (retry with exponential backoff and jitter, Failed after
/// <see cref="DeliveryOptions.MaxAttempts"/>; or deferred by quiet hours).</item>
/// </list>
/// A row that throws (a poison payload) is Failed with the exception as the reason; the rows after it go on.
/// <see cref="SweepAsync"/> settles rows left Sending by a stopped instance.
/// </summary>
public sealed partial class OutboxSender(
    IChatBotDbContextFactory dbs,
    IServiceScopeFactory scopes,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<OutboxSender> logger)
{
    public const string LeaseExpiredReason = "sender stopped while sending (lease expired): may or may not have arrived";
    private static readonly DeliveryRoute[] RobotRoutes = [DeliveryRoute.DingTalkRobot, DeliveryRoute.WeComRobot];

    /// <summary>One pass; returns how many rows were settled (0 = nothing was due).</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        List<Delivery> due;
        await using (var db = dbs.CreateDbContext())
        {
            due = await db.Deliveries.AsNoTracking()
                .Where(d => d.Status == DeliveryStatus.Pending && (d.NextAttemptAt == null || d.NextAttemptAt <= now)
                            && !RobotRoutes.Contains(d.Route)
                            && !(d.Route == DeliveryRoute.WeChatMassSend && d.BroadcastRunId != null))
                .OrderBy(d => d.Id)
                .Take(settings.BatchSize)
                .ToListAsync(ct);
        }
        if (due.Count == 0)
            return 0;

        // One recipient's rows one after the other (order, and the 客服 quota count), recipients in parallel.
        var partitions = due.GroupBy(RecipientKey).Select(g => g.ToList()).ToList();
        var settled = 0;
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = ct },
            async (rows, token) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var dispatcher = scope.ServiceProvider.GetRequiredService<DeliveryDispatcher>();
                foreach (var row in rows)
                {
                    if (await SendOneAsync(dispatcher, row, token))
                        Interlocked.Increment(ref settled);
                }
            });
        return settled + await ProcessMassSendsAsync(ct);
    }

    private static string RecipientKey(Delivery d) =>
        d.MemberId is { } m ? $"m{m}" : d.ChannelIdentityId is { } i ? $"i{i}" : $"d{d.Id}";

    private async Task<bool> SendOneAsync(DeliveryDispatcher dispatcher, Delivery row, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        if (!await ClaimAsync(row.Id, token, ct))
            return false; // another instance (or pass) has it
        row.Status = DeliveryStatus.Sending;
        row.ClaimedBy = token;
        await SendClaimedAsync(dispatcher, row, token, ct);
        return true;
    }

    /// <summary>Sends a row this sender holds the claim <paramref name="token"/> on, and settles it.</summary>
    private async Task SendClaimedAsync(DeliveryDispatcher dispatcher, Delivery row, string token, CancellationToken ct)
    {
        DeliveryResult result;
        try
        {
            result = await dispatcher.SendAsync(row, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: whether the request left is unknown; the sweep settles the row after the lease.
            throw;
        }
        catch (Exception ex)
        {
            LogPoison(logger, ex, row.Id, row.Route);
            result = DeliveryResult.Failed($"poison row: {ex.GetType().Name}: {ex.Message}");
        }
        await SettleAsync(row, token, result, ct);
    }

    private async Task<bool> ClaimAsync(long id, string token, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = dbs.CreateDbContext();
        return await db.Deliveries
            .Where(d => d.Id == id && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Sending)
                .SetProperty(d => d.ClaimedBy, token)
                .SetProperty(d => d.ClaimedAt, now), ct) == 1;
    }

    private async Task SettleAsync(Delivery row, string token, DeliveryResult result, CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var route = result.Route ?? row.Route;
        var reason = result.Reason is null ? null : Truncate(result.Reason, 2000);
        await using var db = dbs.CreateDbContext();
        var mine = db.Deliveries.Where(d => d.Id == row.Id && d.Status == DeliveryStatus.Sending && d.ClaimedBy == token);
        // Settling must not be cancelled half-way by shutdown: the platform has already answered.
        var settleCt = CancellationToken.None;
        int updated;
        switch (result.Kind)
        {
            case DeliveryResultKind.Sent:
                updated = await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Sent)
                    .SetProperty(d => d.Route, route)
                    .SetProperty(d => d.SentAt, now)
                    .SetProperty(d => d.PlatformMessageId, result.PlatformMessageId)
                    .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                    .SetProperty(d => d.LastError, (string?)null), settleCt);
                break;
            case DeliveryResultKind.Failed:
            case DeliveryResultKind.Unknown:
                var final = result.Kind == DeliveryResultKind.Failed ? DeliveryStatus.Failed : DeliveryStatus.Unknown;
                updated = await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, final)
                    .SetProperty(d => d.Route, route)
                    .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                    .SetProperty(d => d.LastError, reason), settleCt);
                if (final == DeliveryStatus.Unknown)
                    LogUnknown(logger, row.Id, route, reason);
                break;
            case DeliveryResultKind.Skipped:
                var skip = reason is null ? null : Truncate(reason, 200);
                updated = await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Skipped)
                    .SetProperty(d => d.Route, route)
                    .SetProperty(d => d.SkipReason, skip), settleCt);
                break;
            case DeliveryResultKind.Defer:
                updated = await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Pending)
                    .SetProperty(d => d.Route, route)
                    .SetProperty(d => d.NextAttemptAt, result.At)
                    .SetProperty(d => d.ClaimedBy, (string?)null), settleCt);
                break;
            default:
                var attempts = row.Attempts + 1;
                if (attempts >= settings.MaxAttempts)
                {
                    var gaveUp = Truncate($"gave up after {attempts} attempts: {reason}", 2000);
                    updated = await mine.ExecuteUpdateAsync(s => s
                        .SetProperty(d => d.Status, DeliveryStatus.Failed)
                        .SetProperty(d => d.Route, route)
                        .SetProperty(d => d.Attempts, attempts)
                        .SetProperty(d => d.LastError, gaveUp), settleCt);
                    break;
                }
                var next = result.At ?? now + Backoff(attempts, settings);
                updated = await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Pending)
                    .SetProperty(d => d.Route, route)
                    .SetProperty(d => d.Attempts, attempts)
                    .SetProperty(d => d.LastError, reason)
                    .SetProperty(d => d.NextAttemptAt, next)
                    .SetProperty(d => d.ClaimedBy, (string?)null), settleCt);
                break;
        }
        if (updated == 0)
            LogClaimLost(logger, row.Id, result.Kind);
    }

    /// <summary>FirstRetry · 2^(attempt−1), capped, ±20 % jitter so retries of a broadcast do not arrive together.</summary>
    internal static TimeSpan Backoff(int attempt, DeliveryOptions settings)
    {
        var seconds = Math.Min(settings.MaxRetrySeconds, settings.FirstRetrySeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    /// <summary>
    /// Settles rows left Sending longer than the lease (their instance stopped or lost the database mid-send):
    /// Pending again when sending twice is harmless — a template message (WeChat dedupes by client_msg_id) or a
    /// DingTalk answer whose engine run had not finished (nothing was posted) — else Unknown, shown to the admin and
    /// never resent automatically. Each update is conditional on the claim it read, so a late settle by a live
    /// instance and the sweep cannot both win.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expired = now - TimeSpan.FromSeconds(options.Value.SendingLeaseSeconds);
        await using var db = dbs.CreateDbContext();
        var stuck = await db.Deliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Sending && (d.ClaimedAt == null || d.ClaimedAt < expired))
            .Select(d => new { d.Id, d.Route, d.ClaimedBy, d.Payload })
            .ToListAsync(ct);
        var swept = 0;
        foreach (var row in stuck)
        {
            var again = row.Route == DeliveryRoute.WeChatTemplate
                        || (row.Route == DeliveryRoute.DingTalkSession && !AnswerPrepared(row.Payload));
            var claim = db.Deliveries.Where(d => d.Id == row.Id && d.Status == DeliveryStatus.Sending && d.ClaimedBy == row.ClaimedBy);
            swept += again
                ? await claim.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Pending)
                    .SetProperty(d => d.ClaimedBy, (string?)null)
                    .SetProperty(d => d.NextAttemptAt, now), ct)
                : await claim.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Unknown)
                    .SetProperty(d => d.LastError, LeaseExpiredReason), ct);
            if (!again)
                LogUnknown(logger, row.Id, row.Route, LeaseExpiredReason);
        }
        return swept;
    }

    private static bool AnswerPrepared(string payload)
    {
        try
        {
            return DeliveryJson.Deserialize<DingTalkAnswerPayload>(payload).Reply is not null;
        }
        catch (System.Text.Json.JsonException)
        {
            return true; // unreadable: do not run it again
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} ({Route}) could not be sent and is marked Failed")]
    private static partial void LogPoison(ILogger logger, Exception exception, long deliveryId, DeliveryRoute route);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} ({Route}) is Unknown: {Reason}. It is not resent automatically.")]
    private static partial void LogUnknown(ILogger logger, long deliveryId, DeliveryRoute route, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: outcome {Kind} not recorded, the claim was settled elsewhere (sweep)")]
    private static partial void LogClaimLost(ILogger logger, long deliveryId, DeliveryResultKind kind);
}
