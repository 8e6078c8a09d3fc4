using ChatBot.Channels.Robots;
using ChatBot.Core.Domain;
using ChatBot.Core.Ports;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.GroupChats;
using Delivery = ChatBot.Core.Domain.Delivery;


/// <param name="MessagesPosted">Robot messages that went out (a merged digest counts once).</param>
/// <param name="DeliveriesSent">Outbox rows marked Sent.</param>
public readonly record struct GroupPushRunResult(int MessagesPosted, int DeliveriesSent);

/// <summary>
/// One pass over the group-push outbox: for every chat with pending pushes, send them in creation order while the
/// robot's shared budget (20 per rolling minute, <see cref="IRateLimiter"/>) allows. The worker calls
/// <see cref="ProcessDueAsync"/> in a loop; tests call it directly and move a fake clock in between.
/// <list type="bullet">
/// <item>Throttled (DingTalk 130101, WeCom 45009): the robot is paused for every instance; nothing is dropped.</item>
/// <item>Transient: the head push backs off, and the pushes behind it wait so the order holds.</item>
/// <item>A broken robot (bad webhook, secret, IP list, robot removed): the chat is marked broken and its pushes stay
/// Pending, to go out in order once an admin fixes the settings (<see cref="GroupChatSettingsService.UpdateAsync"/>).</item>
/// <item>A push the platform refuses for its content (too long, empty, bad type) fails alone; the chat carries on.</item>
/// </list>
/// A per-chat <see cref="IDistributedLock"/> keeps two instances from sending the same row. A crash between the post
/// and the status update can still repeat that one message: the platforms give no way to ask whether it arrived.
/// </summary>
public sealed partial class GroupPushProcessor(
    IChatBotDbContextFactory dbs,
    IRateLimiter limiter,
    IDistributedLock locks,
    GroupRobotSender sender,
    GroupPushComposer composer,
    GroupChatProtector protector,
    TimeProvider time,
    ILogger<GroupPushProcessor> logger)
{
    public const int MessagesPerWindow = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    /// <summary>DingTalk mutes a robot for 10 minutes after 130101; WeCom's 45009 is treated the same way.</summary>
    public static readonly TimeSpan ThrottlePause = TimeSpan.FromMinutes(10);
    public const int MaxAttempts = 8;
    public const string OrphanReason = "群聊已删除";
    private const int BatchSize = 100;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan LockLease = TimeSpan.FromMinutes(5);
    private static readonly DeliveryRoute[] RobotRoutes = [DeliveryRoute.DingTalkRobot, DeliveryRoute.WeComRobot];

    public static string LimiterKey(int groupChatId) => $"robot:group-chat:{groupChatId}";

    public async Task<GroupPushRunResult> ProcessDueAsync(CancellationToken ct = default)
    {
        List<int> chatIds;
        await using (var db = dbs.CreateDbContext())
        {
            await SkipOrphansAsync(db, ct);
            chatIds = await db.Deliveries
                .Where(d => d.Status == DeliveryStatus.Pending && RobotRoutes.Contains(d.Route) && d.GroupChatId != null)
                .Select(d => d.GroupChatId!.Value)
                .Distinct()
                .ToListAsync(ct);
        }

        var total = new GroupPushRunResult();
        foreach (var chatId in chatIds)
        {
            ct.ThrowIfCancellationRequested();
            GroupPushRunResult result;
            try
            {
                result = await ProcessChatAsync(chatId, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One chat's failure must not stop the chats after it.
                LogChatFailed(logger, ex, chatId);
                continue;
            }
            total = new GroupPushRunResult(total.MessagesPosted + result.MessagesPosted, total.DeliveriesSent + result.DeliveriesSent);
        }
        return total;
    }

    private async Task<GroupPushRunResult> ProcessChatAsync(int chatId, CancellationToken ct)
    {
        var key = LimiterKey(chatId);
        if (await limiter.GetPauseAsync(key, ct) is not null)
            return default;
        await using var held = await locks.TryAcquireAsync("group-push:" + chatId, LockLease, TimeSpan.Zero, ct);
        if (held is null)
            return default; // another instance is sending to this chat right now

        await using var db = dbs.CreateDbContext();
        var chat = await db.GroupChats.SingleAsync(g => g.Id == chatId, ct);
        var pending = await db.Deliveries
            .Where(d => d.GroupChatId == chatId && d.Status == DeliveryStatus.Pending && RobotRoutes.Contains(d.Route))
            .OrderBy(d => d.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;

        if (chat.Muted)
        {
            foreach (var d in pending)
                Skip(d, GroupPushQueue.MutedReason);
            await db.SaveChangesAsync(ct);
            return default;
        }
        if (chat.BrokenAt is not null)
            return default;

        var webhook = protector.TryUnprotect(chat.WebhookUrlProtected);
        var secret = protector.TryUnprotect(chat.SecretProtected);
        if (webhook is null || (chat.SecretProtected is not null && secret is null))
        {
            MarkBroken(chat, chat.WebhookUrlProtected is null ? "未配置机器人 Webhook 地址" : "无法解密机器人设置（密钥环丢失？）请重新填写", now);
            await db.SaveChangesAsync(ct);
            return default;
        }
        var credentials = new GroupRobotCredentials(webhook, secret);

        var queue = new List<(Delivery Item, GroupPush Push)>(pending.Count);
        foreach (var d in pending)
        {
            try
            {
                // Parsed and rendered alone first: a poison row (unreadable, or one the renderer throws on) fails by
                // itself with the reason instead of stalling the chat on every pass.
                var push = GroupPush.FromJson(d.Payload);
                _ = chat.Channel == Channel.DingTalk ? (object)GroupRobotRenderer.ForDingTalk(push) : GroupRobotRenderer.ForWeCom(push);
                queue.Add((d, push));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fail(d, $"poison row: {ex.GetType().Name}: {ex.Message}");
            }
        }

        var posted = 0;
        var sent = 0;
        var index = 0;
        while (index < queue.Count)
        {
            var head = queue[index].Item;
            if (head.NextAttemptAt is { } due && due > now)
                break; // the head is backing off; later pushes wait behind it so the chat reads in order

            ComposedPush<Delivery> composed;
            try
            {
                composed = composer.ComposeNext(queue.Skip(index).ToList());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fail(head, $"poison row: {ex.GetType().Name}: {ex.Message}");
                index++;
                continue;
            }
            var permit = await limiter.TryAcquireAsync(key, MessagesPerWindow, Window, ct);
            if (!permit.Allowed)
                break;
            if (!await ClaimAsync(db, composed.Items, ct))
                break; // another sender settled or holds these rows; the next pass sees the new state

            var outcome = await sender.SendAsync(chat.Channel, credentials, composed.Push, ct);
            now = time.GetUtcNow().UtcDateTime;
            var stop = false;
            switch (outcome.Status)
            {
                case RobotSendStatus.Sent:
                    foreach (var d in composed.Items)
                        MarkSent(d, now);
                    posted++;
                    sent += composed.Items.Count;
                    index += composed.Items.Count;
                    break;
                case RobotSendStatus.NoAnswer:
                    // Posted, and no answer: robots have no idempotency key, so never posted again automatically.
                    foreach (var d in composed.Items)
                        MarkUnknown(d, Describe(outcome));
                    LogUnknown(logger, chatId, composed.Items.Count);
                    index += composed.Items.Count;
                    break;
                case RobotSendStatus.Throttled:
                    var pause = outcome.RetryAfter is { } asked && asked > ThrottlePause ? asked : ThrottlePause;
                    await limiter.PauseAsync(key, pause, ct);
                    foreach (var d in composed.Items)
                        Release(d, Describe(outcome));
                    LogThrottled(logger, chatId, outcome.ErrorCode, pause);
                    stop = true;
                    break;
                case RobotSendStatus.Transient:
                    foreach (var d in composed.Items)
                        Retry(d, outcome, now);
                    stop = true;
                    break;
                case RobotSendStatus.PermanentFailure when IsContentProblem(outcome.Failure):
                    foreach (var d in composed.Items)
                        Fail(d, Describe(outcome));
                    index += composed.Items.Count;
                    break;
                default:
                    foreach (var d in composed.Items)
                        Release(d, Describe(outcome));
                    MarkBroken(chat, Describe(outcome), now);
                    stop = true;
                    break;
            }
            // Saved after every post so a crash repeats at most the one message in flight.
            await db.SaveChangesAsync(ct);
            if (stop)
                break;
        }
        await db.SaveChangesAsync(ct);
        return new GroupPushRunResult(posted, sent);
    }

    private async Task SkipOrphansAsync(ChatBotDbContext db, CancellationToken ct) =>
        await db.Deliveries
            .Where(d => d.Status == DeliveryStatus.Pending && RobotRoutes.Contains(d.Route) && d.GroupChatId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Skipped).SetProperty(d => d.SkipReason, OrphanReason), ct);

    /// <summary>The message itself is at fault; other pushes to the chat can still go.</summary>
    private static bool IsContentProblem(RobotFailure failure) =>
        failure is RobotFailure.ContentTooLong or RobotFailure.EmptyContent or RobotFailure.InvalidMessageType;

    private void MarkBroken(GroupChat chat, string reason, DateTime now)
    {
        chat.BrokenReason = Truncate(reason, 500);
        chat.BrokenAt = now;
        LogBroken(logger, chat.Id, chat.BrokenReason);
    }

    /// <summary>
    /// Pending → Sending for the rows about to be posted, conditional on their still being Pending (the outbox claim;
    /// the per-chat lock keeps the order, the claim makes a second sender harmless). The tracked entities are told
    /// the new state without writing it again, so the settle below writes Sent/Failed/… over Sending.
    /// </summary>
    private async Task<bool> ClaimAsync(ChatBotDbContext db, IReadOnlyList<Delivery> items, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow().UtcDateTime;
        var ids = items.Select(d => d.Id).ToList();
        var claimed = await db.Deliveries
            .Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Sending)
                .SetProperty(d => d.ClaimedBy, token)
                .SetProperty(d => d.ClaimedAt, now), ct);
        if (claimed != ids.Count)
        {
            if (claimed > 0)
                await db.Deliveries.Where(d => ids.Contains(d.Id) && d.ClaimedBy == token)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.ClaimedBy, (string?)null), ct);
            return false;
        }
        foreach (var d in items)
        {
            var entry = db.Entry(d);
            d.Status = DeliveryStatus.Sending;
            d.ClaimedBy = token;
            d.ClaimedAt = now;
            foreach (var name in new[] { nameof(Delivery.Status), nameof(Delivery.ClaimedBy), nameof(Delivery.ClaimedAt) })
            {
                var property = entry.Property(name);
                property.OriginalValue = property.CurrentValue;
                property.IsModified = false;
            }
        }
        return true;
    }

    /// <summary>Not posted after all (throttled, robot broken): back to Pending, to go out in order later.</summary>
    private static void Release(Delivery d, string reason)
    {
        d.Status = DeliveryStatus.Pending;
        d.ClaimedBy = null;
        d.LastError = reason;
    }

    private static void MarkUnknown(Delivery d, string reason)
    {
        d.Status = DeliveryStatus.Unknown;
        d.Attempts++;
        d.LastError = reason;
    }

    private static void MarkSent(Delivery d, DateTime now)
    {
        d.Status = DeliveryStatus.Sent;
        d.SentAt = now;
        d.Attempts++;
        d.LastError = null;
    }

    private static void Retry(Delivery d, RobotSendOutcome outcome, DateTime now)
    {
        d.Attempts++;
        d.LastError = Describe(outcome);
        if (d.Attempts >= MaxAttempts)
        {
            d.Status = DeliveryStatus.Failed;
            return;
        }
        d.Status = DeliveryStatus.Pending;
        d.ClaimedBy = null;
        var delay = FirstRetry * Math.Pow(2, d.Attempts - 1);
        d.NextAttemptAt = now + (delay > MaxRetry ? MaxRetry : delay);
    }

    private static void Fail(Delivery d, string reason)
    {
        d.Status = DeliveryStatus.Failed;
        d.LastError = Truncate(reason, 2000);
    }

    private static void Skip(Delivery d, string reason)
    {
        d.Status = DeliveryStatus.Skipped;
        d.SkipReason = reason;
    }

    private static string Describe(RobotSendOutcome outcome) =>
        Truncate($"{outcome.Status}/{outcome.Failure}: {outcome.ErrorCode} {outcome.Detail}".TrimEnd(), 2000);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group chat {GroupChatId} robot throttled (code {ErrorCode}); paused for {Pause}")]
    private static partial void LogThrottled(ILogger logger, int groupChatId, string? errorCode, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group chat {GroupChatId}: push pass failed; other chats go on")]
    private static partial void LogChatFailed(ILogger logger, Exception exception, int groupChatId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group chat {GroupChatId}: {Count} push(es) Unknown (posted, no answer); not resent automatically")]
    private static partial void LogUnknown(ILogger logger, int groupChatId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Group chat {GroupChatId} marked broken: {Reason}")]
    private static partial void LogBroken(ILogger logger, int groupChatId, string reason);
}
