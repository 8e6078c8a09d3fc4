using ChatBot.Core.Cadence;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Cadence;

/// <summary>One branch and where each tracked meeting kind stands.</summary>
public sealed record BranchCadence(int OrganisationId, string Name, string Path, IReadOnlyList<CadenceEvaluation> Meetings)
{
    public bool Overdue => Meetings.Any(m => m.Overdue);
    public IReadOnlyList<CadenceEvaluation> DueSoon => CadenceRules.NeedingReminder(Meetings);
}

/// <summary>
/// Loads branches, their overrides and the activities of the tracked kinds around now, and asks
/// <see cref="CadenceRules"/> where each branch stands. Every organisation except the committee root(s) is a branch.
/// Used by the API, the console page and the two scheduled tasks.
/// </summary>
public sealed class CadenceService(IChatBotDbContextFactory dbs, IOptions<SchedulingOptions> scheduling, TimeProvider time)
{
    public TimeZoneInfo TimeZone { get; } = scheduling.Value.ResolveTimeZone();

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    /// <summary>The branches in the caller's scope (ordered by path).</summary>
    public Task<IReadOnlyList<BranchCadence>> ForScopeAsync(OrganisationScope scope, CancellationToken ct) =>
        EvaluateAsync(q => q.WithinScope(scope), UtcNow, ct);

    /// <summary>The branches with these ids, evaluated at <paramref name="atUtc"/> (a schedule slot).</summary>
    public Task<IReadOnlyList<BranchCadence>> ForOrganisationsAsync(IReadOnlySet<int> organisationIds, DateTime atUtc, CancellationToken ct)
    {
        var ids = organisationIds.ToList();
        return EvaluateAsync(q => q.Where(o => ids.Contains(o.Id)), atUtc, ct);
    }

    private async Task<IReadOnlyList<BranchCadence>> EvaluateAsync(
        Func<IQueryable<Organisation>, IQueryable<Organisation>> filter, DateTime atUtc, CancellationToken ct)
    {
        await using var db = dbs.CreateDbContext();
        var branches = await filter(db.Organisations.AsNoTracking())
            .Where(o => o.Kind != OrganisationKind.Committee)
            .Select(o => new { o.Id, o.Name, o.Path, o.CreatedAt })
            .ToListAsync(ct);
        if (branches.Count == 0) return [];
        var ids = branches.Select(b => b.Id).ToList();

        var overrides = (await db.MeetingCadenceOverrides.AsNoTracking().Where(o => ids.Contains(o.OrganisationId))
                .Select(o => new { o.OrganisationId, o.Kind, o.Frequency }).ToListAsync(ct))
            .ToLookup(o => o.OrganisationId, o => (o.Kind, o.Frequency));

        // The previous quarter's start to the current quarter's end covers every period the rules look at.
        var today = CadenceRules.LocalDate(atUtc, TimeZone);
        var quarter = CadenceRules.PeriodOf(CadenceFrequency.Quarterly, today);
        var from = ToUtc(quarter.Start.AddMonths(-3)).AddDays(-1);
        var to = ToUtc(quarter.EndExclusive).AddDays(1);
        var kinds = CadenceRules.TrackedKinds.ToList();
        var activities = (await db.Activities.AsNoTracking()
                .Where(a => ids.Contains(a.OrganisationId) && kinds.Contains(a.Kind) && a.StartsAt >= from && a.StartsAt < to)
                .Select(a => new { a.OrganisationId, a.Kind, a.StartsAt, a.Cancelled })
                .ToListAsync(ct))
            .ToLookup(a => a.OrganisationId, a => new CadenceMeeting(a.Kind, DateTime.SpecifyKind(a.StartsAt, DateTimeKind.Utc), a.Cancelled));

        return branches
            .OrderBy(b => b.Path, StringComparer.Ordinal)
            .Select(b => new BranchCadence(b.Id, b.Name, b.Path, CadenceRules.Evaluate(
                CadenceRules.Requirements(overrides[b.Id]), activities[b.Id], atUtc, TimeZone, b.CreatedAt)))
            .ToList();
    }

    private DateTime ToUtc(DateOnly localDate) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(localDate.ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified), TimeZone);
}
