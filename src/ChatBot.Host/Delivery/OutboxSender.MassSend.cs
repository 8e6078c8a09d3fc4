using System.Security.Cryptography;
using System.Text;
using ChatBot.Channels.WeChat;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Delivery;

using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>
/// 群发 rows of a broadcast run are not sent one by one: one <c>mass/send</c> job takes up to 10,000 followers. Per run,
/// the due rows are claimed together (they go out in the same request, so they are in flight together), routed again
/// at send time — still subscribed, window, the month's 4 mass messages — and then:
/// <list type="bullet">
/// <item>two or more still due for 群发: one job; every row settles with the job's answer (Sent with its MsgID,
/// which MASSSENDJOBFINISH later confirms or fails; Unknown when no answer came);</item>
/// <item>the others (now inside the 客服 window, over the month's quota, or a lone follower, since a job needs two)
/// go through the per-row path, which routes them without 群发;</item>
/// <item>quiet hours: the whole batch waits for the end of the window, like any member row.</item>
/// </list>
/// </summary>
public sealed partial class OutboxSender
{
    private async Task<int> ProcessMassSendsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<(int RunId, long[] Ids)> runs;
        await using (var db = dbs.CreateDbContext())
        {
            var due = await db.Deliveries.AsNoTracking()
                .Where(d => d.Status == DeliveryStatus.Pending && (d.NextAttemptAt == null || d.NextAttemptAt <= now)
                            && d.Route == DeliveryRoute.WeChatMassSend && d.BroadcastRunId != null)
                .OrderBy(d => d.Id)
                .Select(d => new { d.Id, RunId = d.BroadcastRunId!.Value })
                .Take(WeChatApiClient.MassSendMaxRecipients)
                .ToListAsync(ct);
            runs = due.GroupBy(d => d.RunId).Select(g => (g.Key, g.Select(d => d.Id).ToArray())).ToList();
        }
        var settled = 0;
        foreach (var (runId, ids) in runs)
            settled += await SendMassBatchAsync(runId, ids, ct);
        return settled;
    }

    private async Task<int> SendMassBatchAsync(int runId, long[] ids, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow().UtcDateTime;
        List<Delivery> claimed;
        await using (var db = dbs.CreateDbContext())
        {
            await db.Deliveries
                .Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Sending)
                    .SetProperty(d => d.ClaimedBy, token)
                    .SetProperty(d => d.ClaimedAt, now), ct);
            claimed = await db.Deliveries.AsNoTracking().Where(d => d.ClaimedBy == token).OrderBy(d => d.Id).ToListAsync(ct);
        }
        if (claimed.Count == 0)
            return 0; // another instance took them

        await using var scope = scopes.CreateAsyncScope();
        var dispatcher = scope.ServiceProvider.GetRequiredService<DeliveryDispatcher>();
        var plan = await PlanMassAsync(dispatcher, runId, claimed, now, ct);

        foreach (var row in plan.PerRow)
            await SendClaimedAsync(dispatcher, row, token, ct);
        if (plan.DeferUntil is { } until)
        {
            foreach (var row in plan.Mass)
                await SettleAsync(row, token, DeliveryResult.Defer(until, "quiet hours", DeliveryRoute.WeChatMassSend), ct);
            return claimed.Count;
        }
        if (plan.Mass.Count == 0)
            return claimed.Count;

        DeliveryResult result;
        try
        {
            var message = MemberMessage.FromJson(plan.Mass[0].Payload);
            result = await dispatcher.SendMassAsync(plan.Mass.Select(r => plan.OpenIds[r.Id]).ToList(), message, MassClientMessageId(runId, plan.Mass), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // the sweep settles the claimed rows after the lease (Unknown: the job may have been submitted)
        }
        catch (Exception ex)
        {
            LogPoison(logger, ex, plan.Mass[0].Id, DeliveryRoute.WeChatMassSend);
            result = DeliveryResult.Failed($"poison row: {ex.GetType().Name}: {ex.Message}", DeliveryRoute.WeChatMassSend);
        }
        if (result.Kind == DeliveryResultKind.Sent)
            await SettleMassSentAsync(plan.Mass, token, result.PlatformMessageId);
        else
            foreach (var row in plan.Mass)
                await SettleAsync(row, token, result, ct);
        return claimed.Count;
    }

    private sealed record MassPlan(List<Delivery> Mass, List<Delivery> PerRow, Dictionary<long, string> OpenIds, DateTime? DeferUntil);

    private async Task<MassPlan> PlanMassAsync(DeliveryDispatcher dispatcher, int runId, List<Delivery> rows, DateTime now, CancellationToken ct)
    {
        var memberIds = rows.Where(r => r.MemberId is not null).Select(r => r.MemberId!.Value).Distinct().ToArray();
        var monthStart = DeliveryRouter.MonthStartUtc(now, dispatcher.TimeZone);
        List<ChannelIdentity> identities;
        Dictionary<int, int> massThisMonth;
        await using (var db = dbs.CreateDbContext())
        {
            identities = await db.ChannelIdentities.AsNoTracking()
                .Where(i => i.MemberId != null && memberIds.Contains(i.MemberId.Value) && i.State == BindingState.Bound && i.Channel == Channel.WeChat)
                .ToListAsync(ct);
            // Mass messages already out to these members this month (the 4-per-month rule), not counting this run.
            massThisMonth = await db.Deliveries.AsNoTracking()
                .Where(d => d.MemberId != null && memberIds.Contains(d.MemberId.Value) && d.Route == DeliveryRoute.WeChatMassSend
                            && d.CreatedAt >= monthStart && d.BroadcastRunId != runId
                            && (d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Unknown || d.Status == DeliveryStatus.Sending))
                .GroupBy(d => d.MemberId!.Value)
                .Select(g => new { MemberId = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.MemberId, x => x.Count, ct);
        }
        var weChat = identities.GroupBy(i => i.MemberId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.Subscribed).ThenByDescending(i => i.LastInboundAt).First());
        var policy = dispatcher.SendTimePolicy();

        var mass = new List<Delivery>();
        var perRow = new List<Delivery>();
        var openIds = new Dictionary<long, string>();
        DateTime? deferUntil = null;
        foreach (var row in rows)
        {
            if (row.MemberId is not { } memberId || !weChat.TryGetValue(memberId, out var wx))
            {
                perRow.Add(row);
                continue;
            }
            var message = MemberMessage.FromJson(row.Payload);
            var facts = new MemberFacts(memberId,
                new WeChatAccountFacts(wx.Id, wx.ExternalId, wx.Subscribed, wx.LastInboundAt, wx.CustomerServiceSendsInWindow, massThisMonth.GetValueOrDefault(memberId)),
                null);
            var decision = DeliveryRouter.Route(facts, new RouteRequest(message.Kind, message.IgnoresQuietHours, MassSend: true), policy, now);
            if (decision.Route != DeliveryRoute.WeChatMassSend)
            {
                perRow.Add(row);
                continue;
            }
            mass.Add(row);
            openIds[row.Id] = wx.ExternalId;
            if (decision.NotBefore is { } notBefore && notBefore > now)
                deferUntil = notBefore;
        }
        if (mass.Count < WeChatApiClient.MassSendMinRecipients)
        {
            perRow.AddRange(mass);
            mass.Clear();
            deferUntil = null;
        }
        return new MassPlan(mass, perRow, openIds, deferUntil);
    }

    /// <summary>Stable for the same run and rows, so a resubmission of the same job is one job on WeChat's side.</summary>
    internal static string MassClientMessageId(int runId, IReadOnlyList<Delivery> rows)
    {
        var ids = string.Join(',', rows.Select(r => r.Id).Order());
        return $"b{runId}-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..24];
    }

    /// <summary>All rows of an accepted job at once, still conditional on this sender's claim.</summary>
    private async Task SettleMassSentAsync(List<Delivery> rows, string token, string? jobId)
    {
        var ids = rows.Select(r => r.Id).ToArray();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = dbs.CreateDbContext();
        var updated = await db.Deliveries
            .Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Sending && d.ClaimedBy == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Sent)
                .SetProperty(d => d.Route, DeliveryRoute.WeChatMassSend)
                .SetProperty(d => d.SentAt, now)
                .SetProperty(d => d.PlatformMessageId, jobId)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.LastError, (string?)null), CancellationToken.None);
        if (updated != ids.Length)
            LogClaimLost(logger, ids[0], DeliveryResultKind.Sent);
    }
}
