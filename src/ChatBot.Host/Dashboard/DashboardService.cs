using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Dashboard;

public sealed record BranchSummary(
    int OrganisationId, string Name, OrganisationKind Kind, int Depth,
    int Members, int Bound, int AssignmentsOpen, int AssignmentsCompleted,
    int Unbound, int Unsubscribed, int WindowClosedNoTemplate)
{
    public int Unreachable => Unbound + Unsubscribed + WindowClosedNoTemplate;
    public int? CompletionPercent => AssignmentsOpen == 0 ? null : (int)Math.Round(100.0 * AssignmentsCompleted / AssignmentsOpen);
}

public sealed record UpcomingActivity(int Id, string Title, string Organisation, DateTime StartsAt, int? Capacity, int SignedUp, int Waitlisted);

public sealed record BrokenChat(int Id, string Name, string Organisation, Channel Channel, string Reason, DateTime BrokenAt);

public sealed record RunResult(int? BroadcastRunId, string Title, DateTime StartedAt, IReadOnlyDictionary<DeliveryStatus, int> ByStatus);

public sealed record DeliveryDay(DateOnly Day, IReadOnlyDictionary<DeliveryStatus, int> ByStatus);

public sealed record DashboardView(
    IReadOnlyList<BranchSummary> Branches,
    IReadOnlyList<UpcomingActivity> Activities,
    IReadOnlyList<BrokenChat> BrokenChats,
    IReadOnlyList<RunResult> LastRuns,
    IReadOnlyList<DeliveryDay> Month);

/// <summary>
/// 工作台: per branch in the admin's scope, how many members are bound, how far the open study tasks are, who cannot
/// be reached and why; upcoming activities, broken group chats and the last pushes. A secretary sees their subtree only.
/// </summary>
public sealed class DashboardService(ChatBotDbContext db, TimeProvider time, IOptions<SchedulingOptions> scheduling, IConfiguration configuration)
{
    public const int MonthDays = 30;

    public async Task<DashboardView> GetAsync(OrganisationScope scope, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var orgs = await db.Organisations.AsNoTracking().WithinScope(scope).Select(o => new { o.Id, o.Name, o.Kind, o.Path }).ToListAsync(ct);
        var members = await db.Members.AsNoTracking().WithinScope(scope).Where(m => !m.Archived).Select(m => new { m.Id, m.OrganisationId }).ToListAsync(ct);
        var identities = await db.ChannelIdentities.AsNoTracking().WithinScope(scope).Where(i => i.State == BindingState.Bound)
            .Select(i => new { MemberId = i.MemberId!.Value, i.Channel, i.Subscribed, i.LastInboundAt, i.CustomerServiceSendsInWindow })
            .ToListAsync(ct);
        var scopedMembers = db.Members.WithinScope(scope);
        var assignments = await db.StudyAssignments.AsNoTracking()
            .Where(a => a.StudyTask!.DueAt > now && scopedMembers.Any(m => m.Id == a.MemberId && !m.Archived))
            .Select(a => new { a.MemberId, a.Status }).ToListAsync(ct);

        // A broadcast is the kind the router must reach everyone with; a template configured for it opens closed windows.
        var templateKinds = configuration.GetSection("WeChat:Templates").GetChildren().Where(c => !string.IsNullOrEmpty(c.Value)).Select(c => c.Key).ToHashSet();
        var hasBroadcastTemplate = templateKinds.Contains(MessageKinds.Broadcast);
        var identitiesByMember = identities.ToLookup(i => i.MemberId);
        var orgOfMember = members.ToDictionary(m => m.Id, m => m.OrganisationId);
        var reasonOf = new Dictionary<int, UnreachableReason?>();
        foreach (var m in members)
        {
            var own = identitiesByMember[m.Id].ToList();
            UnreachableReason? reason;
            if (own.Count == 0) reason = UnreachableReason.Unbound;
            else if (own.Any(i => i.Channel is Channel.DingTalk or Channel.WeCom)) reason = null;
            else if (!own.Any(i => i.Subscribed)) reason = UnreachableReason.Unsubscribed;
            else if (own.Where(i => i.Subscribed).Any(i => CustomerServiceWindow.For(i.LastInboundAt, i.CustomerServiceSendsInWindow, now).CanSend) || hasBroadcastTemplate) reason = null;
            else reason = UnreachableReason.WindowClosedNoTemplate;
            reasonOf[m.Id] = reason;
        }

        var byOrg = members.ToLookup(m => m.OrganisationId);
        var assignmentsByOrg = assignments.Where(a => orgOfMember.ContainsKey(a.MemberId)).ToLookup(a => orgOfMember[a.MemberId]);
        var minDepth = orgs.Count == 0 ? 0 : orgs.Min(o => OrganisationPath.Parse(o.Path).Depth);
        var branches = orgs
            .OrderBy(o => o.Path.Length == 0 ? 0 : OrganisationPath.Parse(o.Path).Depth).ThenBy(o => o.Name, StringComparer.Ordinal)
            .Select(o =>
            {
                var own = byOrg[o.Id].ToList();
                var reasons = own.Select(m => reasonOf[m.Id]).ToList();
                var tasks = assignmentsByOrg[o.Id].ToList();
                return new BranchSummary(o.Id, o.Name, o.Kind, OrganisationPath.Parse(o.Path).Depth - minDepth,
                    own.Count, own.Count(m => identitiesByMember[m.Id].Any()),
                    tasks.Count, tasks.Count(a => a.Status == AssignmentStatus.Completed),
                    reasons.Count(r => r == UnreachableReason.Unbound), reasons.Count(r => r == UnreachableReason.Unsubscribed),
                    reasons.Count(r => r == UnreachableReason.WindowClosedNoTemplate));
            })
            // The committee row only matters when members or tasks sit on it directly.
            .Where(b => b.Kind != OrganisationKind.Committee || b.Members > 0)
            .ToList();

        var activities = (await db.Activities.AsNoTracking().WithinScope(scope)
            .Where(a => !a.Cancelled && a.StartsAt > now && a.StartsAt < now.AddDays(MonthDays))
            .OrderBy(a => a.StartsAt).Take(10)
            .Select(a => new
            {
                a.Id, a.Title, Organisation = a.Organisation!.Name, a.StartsAt, a.Capacity,
                SignedUp = db.SignUps.Count(s => s.ActivityId == a.Id && (s.Status == SignUpStatus.Registered || s.Status == SignUpStatus.CheckedIn)),
                Waitlisted = db.SignUps.Count(s => s.ActivityId == a.Id && s.Status == SignUpStatus.Waitlisted),
            }).ToListAsync(ct))
            .Select(a => new UpcomingActivity(a.Id, a.Title, a.Organisation, a.StartsAt, a.Capacity, a.SignedUp, a.Waitlisted)).ToList();

        var broken = (await db.GroupChats.AsNoTracking().WithinScope(scope).Where(g => g.BrokenAt != null)
            .OrderBy(g => g.BrokenAt)
            .Select(g => new { g.Id, g.Name, Organisation = g.Organisation!.Name, g.Channel, g.BrokenReason, g.BrokenAt }).ToListAsync(ct))
            .Select(g => new BrokenChat(g.Id, g.Name, g.Organisation, g.Channel, g.BrokenReason ?? "", g.BrokenAt!.Value)).ToList();

        var since = now.AddDays(-MonthDays);
        var deliveries = await DeliveriesInScope(scope).Where(d => d.CreatedAt >= since)
            .Select(d => new { d.BroadcastRunId, d.Status, d.CreatedAt }).ToListAsync(ct);

        var zone = scheduling.Value.ResolveTimeZone();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var perDay = deliveries.ToLookup(d => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(d.CreatedAt, zone)));
        var month = Enumerable.Range(0, MonthDays).Select(i => today.AddDays(i - MonthDays + 1))
            .Select(day => new DeliveryDay(day, Count(perDay[day].Select(d => d.Status)))).ToList();

        var runIds = deliveries.Where(d => d.BroadcastRunId != null).Select(d => d.BroadcastRunId!.Value).Distinct().ToList();
        var runs = await db.BroadcastRuns.AsNoTracking().Where(r => runIds.Contains(r.Id)).OrderByDescending(r => r.StartedAt).Take(5)
            .Select(r => new
            {
                r.Id, r.StartedAt,
                Title = db.Broadcasts.Where(b => b.Id == r.BroadcastId).Select(b => b.Title).FirstOrDefault()
                    ?? db.RecurringSchedules.Where(s => s.Id == r.RecurringScheduleId).Select(s => s.Name).FirstOrDefault(),
            }).ToListAsync(ct);
        var byRun = deliveries.Where(d => d.BroadcastRunId != null).ToLookup(d => d.BroadcastRunId!.Value);
        var lastRuns = runs.Select(r => new RunResult(r.Id, r.Title ?? $"推送 #{r.Id}", r.StartedAt, Count(byRun[r.Id].Select(d => d.Status)))).ToList();
        // Notices and replies outside any run still are pushes a secretary wants to see the fate of.
        var loose = deliveries.Where(d => d.BroadcastRunId == null && d.CreatedAt >= now.AddDays(-7)).ToList();
        if (loose.Count > 0)
            lastRuns.Add(new RunResult(null, "近 7 天的通知与回复", loose.Min(d => d.CreatedAt), Count(loose.Select(d => d.Status))));

        return new DashboardView(branches, activities, broken, lastRuns, month);
    }

    private IQueryable<Core.Domain.Delivery> DeliveriesInScope(OrganisationScope scope)
    {
        if (scope.IsSuperAdmin) return db.Deliveries.AsNoTracking();
        var memberIds = db.Members.WithinScope(scope).Select(m => (int?)m.Id);
        var chatIds = db.GroupChats.WithinScope(scope).Select(g => (int?)g.Id);
        return db.Deliveries.AsNoTracking().Where(d => memberIds.Contains(d.MemberId) || chatIds.Contains(d.GroupChatId));
    }

    private static IReadOnlyDictionary<DeliveryStatus, int> Count(IEnumerable<DeliveryStatus> statuses) =>
        Enum.GetValues<DeliveryStatus>().ToDictionary(s => s, s => 0)
            .Concat(statuses.GroupBy(s => s).Select(g => KeyValuePair.Create(g.Key, g.Count())))
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
}
