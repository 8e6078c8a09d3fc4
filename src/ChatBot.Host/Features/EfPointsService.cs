using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Core.Ports;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;

/// <summary>
/// The append-only ledger. A credit is unique per member + rule + source, so a retried message, a repeated job or
/// a double click cannot credit twice; daily caps are counted in the configured local day.
/// </summary>
public sealed class EfPointsService(ChatBotDbContext db, DisplayTime display, IDistributedLock locks) : IPointsService
{
    /// <summary>Longer than any check-and-insert; bounds how long a crashed holder blocks this member's credits.</summary>
    private static readonly TimeSpan CapLease = TimeSpan.FromSeconds(15);
    /// <summary>One star per 20 approved points, at most five (星级党员 shown to the member only).</summary>
    public const int PointsPerStar = 20;

    public async Task<int> CreditAsync(int memberId, string ruleCode, string sourceKey, DateTime nowUtc, CancellationToken ct)
    {
        var rule = await db.PointsRules.AsNoTracking().SingleOrDefaultAsync(r => r.Code == ruleCode, ct);
        if (rule is null || !rule.Active) return 0;
        if (await db.PointsEntries.AnyAsync(e => e.MemberId == memberId && e.PointsRuleId == rule.Id && e.SourceKey == sourceKey, ct))
            return 0;

        if (rule.DailyCap is not null && rule.Points > 0)
        {
            // The cap is read, then an entry written: two credits at once (a quiz and a lesson link, on two
            // instances) would both see room left. One member + rule at a time, across instances.
            await using var held = await locks.TryAcquireAsync($"points:{memberId}:{rule.Id}", CapLease, CapLease, ct);
            if (held is null) return 0;
            return await CreditCoreAsync(memberId, rule, sourceKey, nowUtc, ct);
        }
        return await CreditCoreAsync(memberId, rule, sourceKey, nowUtc, ct);
    }

    private async Task<int> CreditCoreAsync(int memberId, PointsRule rule, string sourceKey, DateTime nowUtc, CancellationToken ct)
    {
        var amount = rule.Points;
        if (rule.DailyCap is { } cap && amount > 0)
        {
            var (dayStart, dayEnd) = display.LocalDay(nowUtc);
            var today = await db.PointsEntries
                .Where(e => e.MemberId == memberId && e.PointsRuleId == rule.Id && e.CreatedAt >= dayStart && e.CreatedAt < dayEnd
                    && e.Status != PointsEntryStatus.Rejected)
                .SumAsync(e => e.Points, ct);
            amount = Math.Min(amount, cap - today);
            if (amount <= 0) return 0;
        }

        var entry = new PointsEntry
        {
            MemberId = memberId,
            PointsRuleId = rule.Id,
            SourceKey = sourceKey,
            Points = amount,
            Status = rule.NeedsApproval ? PointsEntryStatus.PendingApproval : PointsEntryStatus.Approved,
            CreatedAt = nowUtc,
        };
        db.PointsEntries.Add(entry);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(entry).State = EntityState.Detached;
            return 0;
        }
        return entry.Status == PointsEntryStatus.Approved ? amount : 0;
    }

    public async Task<PointsSummary> GetSummaryAsync(int memberId, DateTime nowUtc, CancellationToken ct)
    {
        var entries = await db.PointsEntries.AsNoTracking()
            .Where(e => e.MemberId == memberId && e.Status == PointsEntryStatus.Approved)
            .Select(e => new { e.PointsRuleId, e.Points, e.CreatedAt })
            .ToListAsync(ct);
        var rules = await db.PointsRules.AsNoTracking().ToListAsync(ct);
        var monthStart = display.LocalMonthStart(nowUtc);
        var (dayStart, dayEnd) = display.LocalDay(nowUtc);

        var byRule = entries.GroupBy(e => e.PointsRuleId)
            .Select(g => new PointsRuleLine(rules.First(r => r.Id == g.Key).Code, rules.First(r => r.Id == g.Key).Name, g.Sum(e => e.Points)))
            .OrderByDescending(l => l.Points)
            .ToList();
        var today = rules.Where(r => r.Active && r.DailyCap is not null && r.Points > 0)
            .Select(r => new TodayAllowance(r.Name, r.DailyCap!.Value - entries
                .Where(e => e.PointsRuleId == r.Id && e.CreatedAt >= dayStart && e.CreatedAt < dayEnd).Sum(e => e.Points)))
            .Where(t => t.Remaining > 0)
            .ToList();
        var total = entries.Sum(e => e.Points);
        return new PointsSummary(total, entries.Where(e => e.CreatedAt >= monthStart).Sum(e => e.Points), byRule,
            Math.Clamp(total / PointsPerStar, 0, 5), today);
    }
}
