using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.Host.Delivery;
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
/// Writes group pushes to the delivery outbox (<see cref="IOutbox"/>, route DingTalkRobot / WeComRobot). The delivery
/// sender posts them per chat in creation order; the unique idempotency key makes enqueueing safe to repeat.
/// </summary>
public sealed class GroupPushQueue(IChatBotDbContextFactory dbs, IOutbox outbox)
{
    public const string MutedReason = "群聊已静音";

    public async Task<GroupPushEnqueueResult> EnqueueAsync(
        int groupChatId, string idempotencyKey, GroupPush push, int? broadcastRunId = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentNullException.ThrowIfNull(push);

        GroupChat? chat;
        await using (var db = dbs.CreateDbContext())
            chat = await db.GroupChats.AsNoTracking().SingleOrDefaultAsync(g => g.Id == groupChatId, ct);
        if (chat is null)
            throw new ArgumentException($"group chat {groupChatId} does not exist", nameof(groupChatId));
        var route = RouteFor(chat.Channel);
        // Render once now so a push the robot can never take fails here, next to its caller, not later in the sender.
        _ = route == DeliveryRoute.DingTalkRobot ? (object)GroupRobotRenderer.ForDingTalk(push) : GroupRobotRenderer.ForWeCom(push);

        var added = await outbox.EnqueueAsync([new OutboxItem
        {
            IdempotencyKey = idempotencyKey,
            BroadcastRunId = broadcastRunId,
            GroupChatId = groupChatId,
            Route = route,
            Payload = push.ToJson(),
            SkipReason = chat.Muted ? MutedReason : null,
        }], ct);
        if (added == 0)
            return GroupPushEnqueueResult.Duplicate;
        return chat.Muted ? GroupPushEnqueueResult.SkippedMuted : GroupPushEnqueueResult.Queued;
    }

    internal static DeliveryRoute RouteFor(Channel channel) => channel switch
    {
        Channel.DingTalk => DeliveryRoute.DingTalkRobot,
        Channel.WeCom => DeliveryRoute.WeComRobot,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "group chats use DingTalk or WeCom robots"),
    };
}
