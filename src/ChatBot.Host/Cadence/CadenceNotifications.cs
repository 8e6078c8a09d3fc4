using System.Globalization;
using ChatBot.Core.Cadence;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Broadcasts;
using ChatBot.Host.Data;
using ChatBot.Host.Delivery;
using ChatBot.Host.Features;
using ChatBot.Host.GroupChats;
using ChatBot.Host.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Cadence;

/// <summary>Message kinds of the cadence notes (keys of <c>WeChat:Templates</c> when a template should carry them).</summary>
public static class CadenceMessageKinds
{
    public const string Alert = "cadence_alert";
    public const string WeeklyNote = "cadence_weekly";
}

/// <summary>An account to tell, and through what.</summary>
public sealed record CadenceRecipient(int AdminUserId, string UserName, int? MemberId);

/// <summary>What one notification came to (for the run report).</summary>
public sealed record CadenceSendResult(int Enqueued, int ToMembers, int ToGroupChats, bool ConsoleOnly);

/// <summary>
/// How a cadence note reaches admin accounts — the rule, in order:
/// <list type="number">
/// <item>An account linked to a ledger member (<see cref="AdminUser.MemberId"/>) whose member route is open (router at
/// enqueue: 客服 window, template for the kind, DingTalk 1:1) gets it as a member message. Not budgeted (a work note,
/// not a push to a member), but it waits out quiet hours like every non-urgent member message.</item>
/// <item>When no account of the organisation could be reached that way, the organisation's group chats (not muted, not
/// broken) get it as a robot markdown message — the branch group for an alert, the committee's groups for the weekly note.</item>
/// <item>Always: the console's <c>/admin/cadence</c> page and <c>GET /api/v1/cadence</c> show the same facts.</item>
/// </list>
/// Idempotency keys are per organisation + period + recipient (<paramref name="keyPrefix"/>), so the daily rerun of the
/// same period adds nothing.
/// </summary>
public sealed class CadenceNotifier(
    IChatBotDbContextFactory dbs,
    IOutbox outbox,
    NotificationTemplates templates,
    BroadcastRoutingPolicy routing,
    IOptions<MemberPagesOptions> pages,
    TimeProvider time)
{
    public string ConsoleUrl => pages.Value.PublicBaseUrl.TrimEnd('/') + "/admin/cadence";

    public async Task<CadenceSendResult> SendAsync(
        string kind, string keyPrefix, object model, IReadOnlyList<CadenceRecipient> recipients,
        IReadOnlyList<int> fallbackOrganisationIds, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var policy = routing.Current();
        var (title, memberText) = templates.Render(kind, NotificationTemplates.Member, model);
        var items = new List<OutboxItem>();
        var toMembers = 0;

        var memberIds = recipients.Where(r => r.MemberId is not null).Select(r => r.MemberId!.Value).Distinct().ToList();
        var facts = await LoadFactsAsync(memberIds, ct);
        foreach (var recipient in recipients)
        {
            if (recipient.MemberId is not { } memberId || !facts.TryGetValue(memberId, out var memberFacts)) continue;
            var decision = DeliveryRouter.Route(memberFacts, new RouteRequest(kind), policy, now);
            if (!decision.IsReachable) continue;
            toMembers++;
            items.Add(new OutboxItem
            {
                IdempotencyKey = Key($"{keyPrefix}:admin:{recipient.AdminUserId}"),
                MemberId = memberId,
                ChannelIdentityId = decision.IdentityId,
                Route = decision.Route!.Value,
                Payload = new MemberMessage(kind, title, memberText).ToJson(),
                NotBefore = decision.NotBefore,
            });
        }

        var toChats = 0;
        if (toMembers == 0 && fallbackOrganisationIds.Count > 0)
        {
            List<GroupChat> chats;
            await using (var db = dbs.CreateDbContext())
                chats = await db.GroupChats.AsNoTracking()
                    .Where(g => fallbackOrganisationIds.Contains(g.OrganisationId) && !g.Muted && g.BrokenReason == null)
                    .OrderBy(g => g.Id).ToListAsync(ct);
            if (chats.Count > 0)
            {
                var (groupTitle, groupText) = templates.Render(kind, NotificationTemplates.Group, model);
                var push = GroupPush.MarkdownText(groupTitle, groupText).ToJson();
                foreach (var chat in chats)
                {
                    toChats++;
                    items.Add(new OutboxItem
                    {
                        IdempotencyKey = Key($"{keyPrefix}:chat:{chat.Id}"),
                        GroupChatId = chat.Id,
                        Route = GroupPushQueue.RouteFor(chat.Channel),
                        Payload = push,
                    });
                }
            }
        }
        var enqueued = items.Count == 0 ? 0 : await outbox.EnqueueAsync(items, ct);
        return new CadenceSendResult(enqueued, toMembers, toChats, toMembers == 0 && toChats == 0);
    }

    private static string Key(string key) => key.Length <= EfOutbox.MaxIdempotencyKeyLength ? key : key[..EfOutbox.MaxIdempotencyKeyLength];

    private async Task<Dictionary<int, MemberFacts>> LoadFactsAsync(List<int> memberIds, CancellationToken ct)
    {
        if (memberIds.Count == 0) return [];
        await using var db = dbs.CreateDbContext();
        var identities = await db.ChannelIdentities.AsNoTracking()
            .Where(i => i.MemberId != null && memberIds.Contains(i.MemberId.Value) && i.State == BindingState.Bound
                && db.Members.Any(m => m.Id == i.MemberId && !m.Archived))
            .ToListAsync(ct);
        var result = new Dictionary<int, MemberFacts>();
        foreach (var group in identities.GroupBy(i => i.MemberId!.Value))
        {
            var wx = group.Where(i => i.Channel == Channel.WeChat).OrderByDescending(i => i.Subscribed).ThenByDescending(i => i.LastInboundAt).FirstOrDefault();
            var dt = group.Where(i => i.Channel == Channel.DingTalk).OrderByDescending(i => i.LastInboundAt).FirstOrDefault();
            result[group.Key] = new MemberFacts(group.Key,
                wx is null ? null : new WeChatAccountFacts(wx.Id, wx.ExternalId, wx.Subscribed, wx.LastInboundAt, wx.CustomerServiceSendsInWindow, 0),
                dt is null ? null : new DingTalkAccountFacts(dt.Id, dt.ExternalId));
        }
        return result;
    }

    /// <summary>"12月31日" for a local date.</summary>
    public static string ChineseDate(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Month}月{date.Day}日");

    /// <summary>"2026年12月" / "2026年第4季度" for a period.</summary>
    public static string PeriodName(CadenceFrequency frequency, CadencePeriod period) => frequency == CadenceFrequency.Quarterly
        ? string.Create(CultureInfo.InvariantCulture, $"{period.Start.Year}年第{(period.Start.Month - 1) / 3 + 1}季度")
        : string.Create(CultureInfo.InvariantCulture, $"{period.Start.Year}年{period.Start.Month}月");
}
