using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.GroupChats;
using Delivery = ChatBot.Core.Domain.Delivery;

public enum GroupPushEnqueueResult
{
    Queued = 0,
    /// <summary>A push with this idempotency key already exists (a repeated job run); nothing was added.</summary>
    Duplicate = 1,
    /// <summary>The chat is muted: the row is written as Skipped so the run still shows what happened.</summary>
    SkippedMuted = 2,
}

/// <summary>
/// Writes group pushes to the outbox (<see cref="Delivery"/> rows, route DingTalkRobot / WeComRobot). The worker sends
/// them per chat in creation order; the unique idempotency key makes enqueueing safe to repeat.
/// </summary>
public sealed class GroupPushQueue(IChatBotDbContextFactory dbs, TimeProvider time)
{
    public const string MutedReason = "群聊已静音";

    public async Task<GroupPushEnqueueResult> EnqueueAsync(
        int groupChatId, string idempotencyKey, GroupPush push, int? broadcastRunId = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentNullException.ThrowIfNull(push);

        await using var db = dbs.CreateDbContext();
        var chat = await db.GroupChats.AsNoTracking().SingleOrDefaultAsync(g => g.Id == groupChatId, ct)
            ?? throw new ArgumentException($"group chat {groupChatId} does not exist", nameof(groupChatId));
        var route = RouteFor(chat.Channel);
        // Render once now so a push the robot can never take fails here, next to its caller, not later in the worker.
        _ = route == DeliveryRoute.DingTalkRobot ? (object)GroupRobotRenderer.ForDingTalk(push) : GroupRobotRenderer.ForWeCom(push);

        if (await db.Deliveries.AnyAsync(d => d.IdempotencyKey == idempotencyKey, ct))
            return GroupPushEnqueueResult.Duplicate;

        var now = time.GetUtcNow().UtcDateTime;
        db.Deliveries.Add(new Delivery
        {
            IdempotencyKey = idempotencyKey,
            BroadcastRunId = broadcastRunId,
            GroupChatId = groupChatId,
            Route = route,
            Status = chat.Muted ? DeliveryStatus.Skipped : DeliveryStatus.Pending,
            SkipReason = chat.Muted ? MutedReason : null,
            Payload = push.ToJson(),
            CreatedAt = now,
            NextAttemptAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance may have written the same key between our check and our insert.
            if (await ExistsAsync(idempotencyKey, ct))
                return GroupPushEnqueueResult.Duplicate;
            throw;
        }
        return chat.Muted ? GroupPushEnqueueResult.SkippedMuted : GroupPushEnqueueResult.Queued;
    }

    internal static DeliveryRoute RouteFor(Channel channel) => channel switch
    {
        Channel.DingTalk => DeliveryRoute.DingTalkRobot,
        Channel.WeCom => DeliveryRoute.WeComRobot,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "group chats use DingTalk or WeCom robots"),
    };

    private async Task<bool> ExistsAsync(string idempotencyKey, CancellationToken ct)
    {
        await using var db = dbs.CreateDbContext();
        return await db.Deliveries.AnyAsync(d => d.IdempotencyKey == idempotencyKey, ct);
    }
}
