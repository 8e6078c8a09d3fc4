using ChatBot.Core.Broadcasts;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Broadcasts;
using ChatBot.Host.Data;
using ChatBot.Host.Delivery;
using ChatBot.Host.GroupChats;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Schedules;

/// <summary>
/// What the scheduled tasks share: loading recipients with the router's facts in bulk (<see cref="AudienceLoader"/>:
/// bound accounts, the 48-hour window, this week's budgeted pushes), routing each one (<see cref="DeliveryRouter"/>:
/// quiet hours → NotBefore, budget → Skipped "budget", unreachable → Skipped with the reason) and writing the rows
/// through <see cref="IOutbox"/> in batches. Rows that count towards the weekly budget carry the run's
/// <see cref="ScheduleRunContext.DeliveryRunId"/>.
/// </summary>
public sealed class ScheduleOutbox(
    IChatBotDbContextFactory contexts,
    IOutbox outbox,
    BroadcastRoutingPolicy routing,
    IOptions<SchedulesOptions> options,
    TimeProvider time)
{
    private static readonly OrganisationScope System = new("schedules", AdminRole.Admin, 0, OrganisationPath.Root);

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public RoutingPolicy Policy() => routing.Current();

    /// <summary>The covered organisations' members (not archived) with their routing facts, and their group chats when asked.</summary>
    public async Task<AudienceFacts> AudienceAsync(ScheduleRunContext context, bool groupChats, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var audience = new BroadcastAudience { OrganisationIds = context.OrganisationIds.ToList(), IncludeSubtrees = false, GroupChats = groupChats };
        return await AudienceLoader.LoadAsync(db, audience, System, UtcNow, context.TimeZone, context.DeliveryRunId, ct);
    }

    /// <summary>Routing facts for specific members (secretaries, registered members), whatever organisation they are in.</summary>
    public async Task<IReadOnlyDictionary<int, AudienceMember>> MembersAsync(ScheduleRunContext context, IReadOnlyCollection<int> memberIds, CancellationToken ct)
    {
        if (memberIds.Count == 0) return new Dictionary<int, AudienceMember>();
        await using var db = contexts.CreateDbContext();
        var organisations = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id)).Select(m => m.OrganisationId).Distinct().ToListAsync(ct);
        var audience = new BroadcastAudience { OrganisationIds = organisations, IncludeSubtrees = false };
        var facts = await AudienceLoader.LoadAsync(db, audience, System, UtcNow, context.TimeZone, context.DeliveryRunId, ct);
        var wanted = memberIds.ToHashSet();
        return facts.Members.Where(m => wanted.Contains(m.MemberId)).ToDictionary(m => m.MemberId);
    }

    /// <summary>
    /// The member's row: routed now (the sender routes it again when it sends). <paramref name="budgeted"/> rows count
    /// towards <c>Scheduling:MemberWeeklyBudget</c> and are Skipped "budget" over it.
    /// </summary>
    public static OutboxItem MemberRow(ScheduleRunContext context, AudienceMember member, MemberMessage message, string key,
        bool budgeted, RoutingPolicy policy, DateTime nowUtc)
    {
        var decision = DeliveryRouter.Route(member.Facts, new RouteRequest(message.Kind, message.Urgent, CountsTowardsBudget: budgeted), policy, nowUtc);
        return new OutboxItem
        {
            IdempotencyKey = key,
            MemberId = member.MemberId,
            ChannelIdentityId = decision.IdentityId,
            BroadcastRunId = budgeted ? context.DeliveryRunId : null,
            Route = decision.Route ?? default,
            Payload = message.ToJson(),
            NotBefore = decision.NotBefore,
            SkipReason = decision.Reason is { } reason ? BroadcastRunner.SkipReasonOf(reason) : null,
        };
    }

    public static OutboxItem GroupRow(ScheduleRunContext context, AudienceChat chat, GroupPush push, string key)
    {
        var decision = DeliveryRouter.Route(chat.Facts);
        return new OutboxItem
        {
            IdempotencyKey = key,
            GroupChatId = chat.GroupChatId,
            BroadcastRunId = context.DeliveryRunId,
            Route = decision.Route ?? (chat.Facts.Channel == Channel.WeCom ? DeliveryRoute.WeComRobot : DeliveryRoute.DingTalkRobot),
            Payload = push.ToJson(),
            SkipReason = decision.Reason is { } reason ? BroadcastRunner.SkipReasonOf(reason) : null,
        };
    }

    /// <summary>Writes the rows in batches; returns how many were new (0 on a rerun).</summary>
    public async Task<int> WriteAsync(IReadOnlyList<OutboxItem> rows, CancellationToken ct)
    {
        var written = 0;
        foreach (var chunk in rows.Chunk(options.Value.BatchSize)) written += await outbox.EnqueueAsync(chunk, ct);
        return written;
    }

    /// <summary>The reachable secretaries of an organisation: enabled 书记 accounts linked to a member (<see cref="AdminUser.MemberId"/>).</summary>
    public async Task<ILookup<int, int>> SecretariesAsync(IReadOnlyCollection<int> organisationIds, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var rows = await db.AdminUsers.AsNoTracking()
            .Where(u => u.Role == AdminRole.Secretary && !u.Disabled && u.MemberId != null && organisationIds.Contains(u.OrganisationId))
            .Select(u => new { u.OrganisationId, MemberId = u.MemberId!.Value }).ToListAsync(ct);
        return rows.Distinct().ToLookup(r => r.OrganisationId, r => r.MemberId);
    }
}
