using ChatBot.Core.Broadcasts;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Broadcasts;

public sealed record AudienceMember(int MemberId, string Name, MemberFacts Facts);

public sealed record AudienceChat(int GroupChatId, string Name, GroupChatFacts Facts);

public sealed record AudienceFacts(IReadOnlyList<AudienceMember> Members, IReadOnlyList<AudienceChat> GroupChats);

/// <summary>
/// Loads everything the router needs for a whole audience in a handful of queries (no query per member): the
/// members (id and name only), their bound identities with the window facts, this week's budgeted pushes and this
/// month's mass sends, grouped in the database. 100,000 members are a few set queries, not 100,000 round trips.
/// </summary>
public static class AudienceLoader
{
    /// <summary>The organisation ids the audience covers, within the caller's scope (subtrees expanded in memory: the tree is small).</summary>
    public static async Task<List<int>> OrganisationIdsAsync(ChatBotDbContext db, BroadcastAudience audience, OrganisationScope scope, CancellationToken ct)
    {
        var organisations = await db.Organisations.AsNoTracking().WithinScope(scope)
            .Select(o => new { o.Id, o.Path }).ToListAsync(ct);
        var chosen = organisations.Where(o => audience.OrganisationIds.Contains(o.Id)).Select(o => OrganisationPath.Parse(o.Path)).ToList();
        return audience.IncludeSubtrees
            ? organisations.Where(o => chosen.Any(c => c.Contains(o.Path))).Select(o => o.Id).ToList()
            : organisations.Where(o => audience.OrganisationIds.Contains(o.Id)).Select(o => o.Id).ToList();
    }

    public static IQueryable<Member> MembersQuery(ChatBotDbContext db, BroadcastAudience audience, List<int> organisationIds)
    {
        var query = db.Members.AsNoTracking().Where(m => !m.Archived && organisationIds.Contains(m.OrganisationId));
        var statuses = audience.Statuses.Distinct().ToList();
        if (statuses.Count is > 0 and < 3)
        {
            bool full = statuses.Contains(MemberStatus.Full), probationary = statuses.Contains(MemberStatus.Probationary),
                activist = statuses.Contains(MemberStatus.Activist);
            query = query.Where(m => (full && m.Status == MemberStatus.Full) || (probationary && m.Status == MemberStatus.Probationary)
                || (activist && m.Status == MemberStatus.Activist));
        }
        if (audience.MobileOnly) query = query.Where(m => m.IsMobile);
        return query;
    }

    /// <param name="excludeRunId">A run being (re)written does not count its own rows against the budget.</param>
    public static async Task<AudienceFacts> LoadAsync(ChatBotDbContext db, BroadcastAudience audience, OrganisationScope scope,
        DateTime nowUtc, TimeZoneInfo zone, int? excludeRunId, CancellationToken ct)
    {
        var organisationIds = await OrganisationIdsAsync(db, audience, scope, ct);
        var members = MembersQuery(db, audience, organisationIds);

        var people = await members.OrderBy(m => m.Id).Select(m => new { m.Id, m.Name }).ToListAsync(ct);
        var identities = await db.ChannelIdentities.AsNoTracking()
            .Where(i => i.State == BindingState.Bound && i.MemberId != null && (i.Channel == Channel.WeChat || i.Channel == Channel.DingTalk))
            .Join(members, i => i.MemberId!.Value, m => m.Id, (i, m) => new
            {
                i.Id, MemberId = m.Id, i.Channel, i.ExternalId, i.Subscribed, i.LastInboundAt, i.CustomerServiceSendsInWindow,
            })
            .ToListAsync(ct);

        var weekStart = DeliveryRouter.WeekStartUtc(nowUtc, zone);
        var monthStart = DeliveryRouter.MonthStartUtc(nowUtc, zone);
        var run = excludeRunId ?? 0;
        var pushes = await db.Deliveries.AsNoTracking()
            .Where(d => d.MemberId != null && d.BroadcastRunId != null && d.BroadcastRunId != run && d.CreatedAt >= weekStart
                && d.Status != DeliveryStatus.Skipped
                && db.BroadcastRuns.Any(r => r.Id == d.BroadcastRunId && !r.Urgent))
            .GroupBy(d => d.MemberId!.Value)
            .Select(g => new { MemberId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.MemberId, x => x.Count, ct);
        var massSends = await db.Deliveries.AsNoTracking()
            .Where(d => d.MemberId != null && d.Route == DeliveryRoute.WeChatMassSend && d.CreatedAt >= monthStart
                && d.Status != DeliveryStatus.Skipped && d.Status != DeliveryStatus.Failed && d.BroadcastRunId != run)
            .GroupBy(d => d.MemberId!.Value)
            .Select(g => new { MemberId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.MemberId, x => x.Count, ct);

        // A member with several accounts on one platform: the most recently active one is the one that can be reached.
        var weChat = identities.Where(i => i.Channel == Channel.WeChat)
            .GroupBy(i => i.MemberId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.Subscribed).ThenByDescending(i => i.LastInboundAt).First());
        var dingTalk = identities.Where(i => i.Channel == Channel.DingTalk)
            .GroupBy(i => i.MemberId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.LastInboundAt).First());

        var result = new List<AudienceMember>(people.Count);
        foreach (var person in people)
        {
            WeChatAccountFacts? wx = weChat.TryGetValue(person.Id, out var w)
                ? new WeChatAccountFacts(w.Id, w.ExternalId, w.Subscribed, w.LastInboundAt, w.CustomerServiceSendsInWindow,
                    massSends.GetValueOrDefault(person.Id))
                : null;
            DingTalkAccountFacts? dt = dingTalk.TryGetValue(person.Id, out var d) ? new DingTalkAccountFacts(d.Id, d.ExternalId) : null;
            result.Add(new AudienceMember(person.Id, person.Name, new MemberFacts(person.Id, wx, dt, pushes.GetValueOrDefault(person.Id))));
        }

        var chats = new List<AudienceChat>();
        if (audience.GroupChats)
        {
            var rows = await db.GroupChats.AsNoTracking().Where(g => organisationIds.Contains(g.OrganisationId)).OrderBy(g => g.Id)
                .Select(g => new { g.Id, g.Name, g.Channel, g.Muted, Broken = g.BrokenReason != null }).ToListAsync(ct);
            chats.AddRange(rows.Select(g => new AudienceChat(g.Id, g.Name, new GroupChatFacts(g.Id, g.Channel, g.Muted, g.Broken))));
        }
        return new AudienceFacts(result, chats);
    }
}
