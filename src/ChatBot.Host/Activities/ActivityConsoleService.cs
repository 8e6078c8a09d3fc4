using System.Security.Cryptography;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Admin;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Activities;

public sealed record ActivityRow(
    int Id, string Title, ActivityKind Kind, int OrganisationId, string OrganisationName, string Location, DateTime StartsAt, DateTime EndsAt,
    int? Capacity, DateTime SignUpDeadline, bool Cancelled, int Registered, int Waitlisted, int CheckedIn, int NoShows);

public sealed record ActivityDetail(
    ActivityRow Row, string Description, string? CheckInCode, int CheckInOpensMinutesBefore, int CheckInClosesMinutesAfter,
    IReadOnlyList<SignUpRow> Places, IReadOnlyList<SignUpRow> Waitlist, IReadOnlyList<SignUpRow> Others)
{
    public DateTime CheckInOpensAt => Row.StartsAt.AddMinutes(-CheckInOpensMinutesBefore);
    public DateTime CheckInClosesAt => Row.StartsAt.AddMinutes(CheckInClosesMinutesAfter);
}

/// <param name="Position">Seat for a place, 1-based waitlist position for the waitlist, 0 otherwise.</param>
public sealed record SignUpRow(int Id, int MemberId, string MemberName, string Phone, string Branch, SignUpStatus Status, int Position,
    DateTime SignedUpAt, DateTime? WaitlistedAt, DateTime? CheckedInAt);

public enum ActivityListFilter { Upcoming = 0, Past = 1, All = 2 }

/// <summary>
/// The console's side of activities (活动): list, create, edit, cancel (members told through the outbox), the sign-up
/// list with the waitlist in order, no-shows (credited with the UnexcusedAbsence rule) and the CSV export. Scoped to the
/// admin's subtree (an activity elsewhere is "not found") and audited. Member-side sign-up stays in <see cref="IActivityService"/>.
/// </summary>
public sealed class ActivityConsoleService(
    ChatBotDbContext db, AuditLog audit, TimeProvider time, IMemberNotifier notifier, IReplyTemplates templates, DisplayTime display, IPointsService points)
{
    public async Task<(IReadOnlyList<ActivityRow> Items, int Total)> ListAsync(OrganisationScope scope, ActivityListFilter filter, int skip, int take, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Activities.AsNoTracking().WithinScope(scope);
        query = filter switch
        {
            ActivityListFilter.Upcoming => query.Where(a => a.EndsAt > now),
            ActivityListFilter.Past => query.Where(a => a.EndsAt <= now),
            _ => query,
        };
        var total = await query.CountAsync(ct);
        var ordered = filter == ActivityListFilter.Upcoming ? query.OrderBy(a => a.StartsAt).ThenBy(a => a.Id) : query.OrderByDescending(a => a.StartsAt).ThenByDescending(a => a.Id);
        var items = await Rows(ordered.Skip(skip).Take(take)).ToListAsync(ct);
        return (items, total);
    }

    public async Task<ActivityDetail?> GetAsync(OrganisationScope scope, int id, CancellationToken ct = default)
    {
        var row = await Rows(db.Activities.AsNoTracking().WithinScope(scope).Where(a => a.Id == id)).SingleOrDefaultAsync(ct);
        if (row is null) return null;
        var extra = await db.Activities.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Description, a.CheckInCode, a.CheckInOpensMinutesBefore, a.CheckInClosesMinutesAfter }).SingleAsync(ct);
        var signUps = await db.SignUps.AsNoTracking().Where(s => s.ActivityId == id)
            .Select(s => new { s.Id, s.MemberId, s.Member!.Name, s.Member.Phone, Branch = s.Member.Organisation!.Name, s.Status, s.Seat, s.CreatedAt, s.WaitlistedAt, s.CheckedInAt })
            .ToListAsync(ct);
        var places = signUps.Where(s => s.Status is SignUpStatus.Registered or SignUpStatus.CheckedIn or SignUpStatus.NoShow)
            .OrderBy(s => s.Seat ?? int.MaxValue).ThenBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Select(s => new SignUpRow(s.Id, s.MemberId, s.Name, scope.ShowPhone(s.Phone), s.Branch, s.Status, s.Seat ?? 0, s.CreatedAt, s.WaitlistedAt, s.CheckedInAt)).ToList();
        // The waitlist in the order the database promotes from (EfActivityService.CancelAsync): joined first, then id.
        var waitlist = signUps.Where(s => s.Status == SignUpStatus.Waitlisted).OrderBy(s => s.WaitlistedAt).ThenBy(s => s.Id)
            .Select((s, i) => new SignUpRow(s.Id, s.MemberId, s.Name, scope.ShowPhone(s.Phone), s.Branch, s.Status, i + 1, s.CreatedAt, s.WaitlistedAt, s.CheckedInAt)).ToList();
        var others = signUps.Where(s => s.Status == SignUpStatus.Cancelled).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Select(s => new SignUpRow(s.Id, s.MemberId, s.Name, scope.ShowPhone(s.Phone), s.Branch, s.Status, 0, s.CreatedAt, s.WaitlistedAt, s.CheckedInAt)).ToList();
        return new ActivityDetail(row, extra.Description, extra.CheckInCode, extra.CheckInOpensMinutesBefore, extra.CheckInClosesMinutesAfter, places, waitlist, others);
    }

    /// <summary>Creates the activity in a branch of the scope; null when the organisation is outside it. A check-in code is generated when none is given.</summary>
    public async Task<int?> CreateAsync(OrganisationScope scope, ActivityInput input, CancellationToken ct = default)
    {
        var path = await OrganisationPathInScopeAsync(scope, input.OrganisationId, ct);
        if (path is null) return null;
        var activity = new Activity { Title = "", CreatedAt = time.GetUtcNow().UtcDateTime };
        ActivityRules.Apply(activity, input);
        activity.CheckInCode ??= await NewCheckInCodeAsync(ct);
        db.Activities.Add(activity);
        await db.SaveChangesAsync(ct);
        audit.RecordAs(scope.Actor, "activity.create", nameof(Activity), activity.Id, OrganisationPath.Parse(path), after: Audited(activity));
        await db.SaveChangesAsync(ct);
        return activity.Id;
    }

    /// <summary>
    /// Edits the activity. Capacity cannot drop below a seat already given; when it grows, the waitlist moves up in order
    /// into the new places and those members are told. Null when not found in scope.
    /// </summary>
    public async Task<ActivityDetail?> UpdateAsync(OrganisationScope scope, int id, ActivityInput input, CancellationToken ct = default)
    {
        var activity = await db.Activities.WithinScope(scope).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null) return null;
        var path = await OrganisationPathInScopeAsync(scope, input.OrganisationId, ct)
            ?? throw new RuleViolation("organisationId", "所选组织不在您的管理范围内");
        if (activity.Cancelled) throw new RuleViolation("cancelled", "活动已取消，不能再修改");
        var before = Audited(activity);
        var highestSeat = await db.SignUps.Where(s => s.ActivityId == id && s.Seat != null).MaxAsync(s => (int?)s.Seat, ct) ?? 0;
        ActivityRules.CheckCapacity(input.Capacity, highestSeat);
        ActivityRules.Apply(activity, input);
        audit.RecordAs(scope.Actor, "activity.update", nameof(Activity), id, OrganisationPath.Parse(path), before, Audited(activity));
        await db.SaveChangesAsync(ct);
        await FillFreedPlacesAsync(activity, ct);
        return await GetAsync(scope, id, ct);
    }

    /// <summary>Cancels the activity and tells every member holding a place or waiting (one outbox row each, keyed per activity + member).</summary>
    public async Task<int?> CancelAsync(OrganisationScope scope, int id, string? reason, CancellationToken ct = default)
    {
        var activity = await db.Activities.Include(a => a.Organisation).WithinScope(scope).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null) return null;
        if (activity.Cancelled) return 0;
        activity.Cancelled = true;
        audit.RecordAs(scope.Actor, "activity.cancel", nameof(Activity), id, activity.Organisation!.TreePath, new { Cancelled = false }, new { Cancelled = true }, reason);
        await db.SaveChangesAsync(ct);

        var members = await db.SignUps.AsNoTracking()
            .Where(s => s.ActivityId == id && (s.Status == SignUpStatus.Registered || s.Status == SignUpStatus.Waitlisted))
            .Select(s => s.MemberId).ToListAsync(ct);
        var text = templates.Render("activity_cancelled", new
        {
            title = activity.Title, starts_at = display.ToLocal(activity.StartsAt), location = activity.Location,
            reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
        });
        foreach (var memberId in members)
            await notifier.NotifyAsync(memberId, $"activity-cancelled:{id}:{memberId}", text, ct);
        return members.Count;
    }

    /// <summary>
    /// Marks a registered member who did not check in as absent (未签到/无故缺席) and deducts the UnexcusedAbsence rule's
    /// points once; unmarking (请假/补签) puts them back and reverses that deduction with a new ledger line.
    /// </summary>
    public async Task<bool?> SetNoShowAsync(OrganisationScope scope, int activityId, int signUpId, bool noShow, CancellationToken ct = default)
    {
        var activity = await db.Activities.Include(a => a.Organisation).WithinScope(scope).SingleOrDefaultAsync(a => a.Id == activityId, ct);
        if (activity is null) return null;
        var signUp = await db.SignUps.SingleOrDefaultAsync(s => s.Id == signUpId && s.ActivityId == activityId, ct);
        if (signUp is null) return null;
        var now = time.GetUtcNow().UtcDateTime;
        if (noShow)
        {
            if (signUp.Status == SignUpStatus.NoShow) return false;
            if (!ActivityRules.CanMarkNoShow(activity, signUp, now))
                throw new RuleViolation("signUpId", "只能在签到结束后，为已报名但未签到的党员标记缺席");
            signUp.Status = SignUpStatus.NoShow;
            signUp.UpdatedAt = now;
            audit.RecordAs(scope.Actor, "activity.noshow", nameof(SignUp), signUp.Id, activity.Organisation!.TreePath, new { Status = SignUpStatus.Registered }, new { Status = SignUpStatus.NoShow, signUp.MemberId, ActivityId = activityId });
            await db.SaveChangesAsync(ct);
            await points.CreditAsync(signUp.MemberId, PointsRuleCodes.UnexcusedAbsence, await AbsenceSourceAsync(signUp.MemberId, activityId, ct), now, ct);
            return true;
        }
        if (signUp.Status != SignUpStatus.NoShow) return false;
        signUp.Status = SignUpStatus.Registered;
        signUp.UpdatedAt = now;
        audit.RecordAs(scope.Actor, "activity.noshow-undo", nameof(SignUp), signUp.Id, activity.Organisation!.TreePath, new { Status = SignUpStatus.NoShow }, new { Status = SignUpStatus.Registered, signUp.MemberId, ActivityId = activityId });
        // The deduction stays in the ledger; a reversal line cancels it (never an edit).
        var prefix = $"absence:{activityId}";
        var deductions = await db.PointsEntries.Where(e => e.MemberId == signUp.MemberId && e.PointsRule!.Code == PointsRuleCodes.UnexcusedAbsence
                && (e.SourceKey == prefix || e.SourceKey.StartsWith(prefix + ":")) && e.Status == PointsEntryStatus.Approved).ToListAsync(ct);
        var reversed = await db.PointsEntries.Where(e => e.ReversesEntryId != null && deductions.Select(d => (long?)d.Id).Contains(e.ReversesEntryId)).Select(e => e.ReversesEntryId).ToListAsync(ct);
        foreach (var d in deductions.Where(d => !reversed.Contains(d.Id)))
            db.PointsEntries.Add(d.Reverse(scope.Actor, "撤销缺席标记", now));
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Marks every member still only 'registered' after the check-in window as absent; returns how many.</summary>
    public async Task<int?> MarkAllNoShowsAsync(OrganisationScope scope, int activityId, CancellationToken ct = default)
    {
        if (!await db.Activities.WithinScope(scope).AnyAsync(a => a.Id == activityId, ct)) return null;
        var ids = await db.SignUps.Where(s => s.ActivityId == activityId && s.Status == SignUpStatus.Registered).Select(s => s.Id).ToListAsync(ct);
        var count = 0;
        foreach (var signUpId in ids)
            if (await SetNoShowAsync(scope, activityId, signUpId, true, ct) == true) count++;
        return count;
    }

    /// <summary>The check-in link printed as a QR code: the member page that checks in with this activity's code.</summary>
    public static string CheckInLink(string publicBaseUrl, int activityId, string code) =>
        $"{publicBaseUrl.TrimEnd('/')}/m/checkin/{activityId}?code={Uri.EscapeDataString(code)}";

    private async Task<string> AbsenceSourceAsync(int memberId, int activityId, CancellationToken ct)
    {
        // Marked, unmarked (reversed) and marked again: each marking is its own ledger line.
        var prefix = $"absence:{activityId}";
        var earlier = await db.PointsEntries.CountAsync(e => e.MemberId == memberId && (e.SourceKey == prefix || e.SourceKey.StartsWith(prefix + ":")), ct);
        return earlier == 0 ? prefix : $"{prefix}:{earlier}";
    }

    private async Task FillFreedPlacesAsync(Activity activity, CancellationToken ct)
    {
        // Unlimited now: everyone waiting gets in.
        var capacity = activity.Capacity ?? int.MaxValue;
        var taken = (await db.SignUps.Where(s => s.ActivityId == activity.Id && s.Seat != null).Select(s => s.Seat!.Value).ToListAsync(ct)).ToHashSet();
        var waiting = await db.SignUps.Where(s => s.ActivityId == activity.Id && s.Status == SignUpStatus.Waitlisted)
            .OrderBy(s => s.WaitlistedAt).ThenBy(s => s.Id).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var promoted = new List<int>();
        var seat = 1;
        foreach (var s in waiting)
        {
            while (taken.Contains(seat)) seat++;
            if (seat > capacity) break;
            s.Status = SignUpStatus.Registered;
            s.Seat = activity.Capacity is null ? null : seat;
            s.WaitlistedAt = null;
            s.UpdatedAt = now;
            taken.Add(seat);
            promoted.Add(s.MemberId);
        }
        if (promoted.Count == 0) return;
        await db.SaveChangesAsync(ct);
        var text = templates.Render("promoted", new { activity = new { title = activity.Title, starts_at = display.ToLocal(activity.StartsAt), location = activity.Location } });
        foreach (var memberId in promoted)
            await notifier.NotifyAsync(memberId, $"promoted:{activity.Id}:{memberId}", text, ct);
    }

    private async Task<string> NewCheckInCodeAsync(CancellationToken ct)
    {
        for (var i = 0; i < 20; i++)
        {
            var code = RandomNumberGenerator.GetInt32(100000, 1000000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!await db.Activities.AnyAsync(a => a.CheckInCode == code && !a.Cancelled, ct)) return code;
        }
        return RandomNumberGenerator.GetInt32(10000000, 100000000).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Organisations of the scope an activity can belong to (the committee's activities are seen by every branch below).</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> OrganisationsAsync(OrganisationScope scope, CancellationToken ct = default) =>
        (await db.Organisations.AsNoTracking().WithinScope(scope).OrderBy(o => o.Path).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
        .Select(o => (o.Id, o.Name)).ToList();

    private Task<string?> OrganisationPathInScopeAsync(OrganisationScope scope, int organisationId, CancellationToken ct) =>
        db.Organisations.AsNoTracking().WithinScope(scope).Where(o => o.Id == organisationId).Select(o => o.Path).SingleOrDefaultAsync(ct);

    private IQueryable<ActivityRow> Rows(IQueryable<Activity> query) => query.Select(a => new ActivityRow(
        a.Id, a.Title, a.Kind, a.OrganisationId, a.Organisation!.Name, a.Location, a.StartsAt, a.EndsAt, a.Capacity, a.SignUpDeadline, a.Cancelled,
        db.SignUps.Count(s => s.ActivityId == a.Id && (s.Status == SignUpStatus.Registered || s.Status == SignUpStatus.CheckedIn || s.Status == SignUpStatus.NoShow)),
        db.SignUps.Count(s => s.ActivityId == a.Id && s.Status == SignUpStatus.Waitlisted),
        db.SignUps.Count(s => s.ActivityId == a.Id && s.Status == SignUpStatus.CheckedIn),
        db.SignUps.Count(s => s.ActivityId == a.Id && s.Status == SignUpStatus.NoShow)));

    private static object Audited(Activity a) => new
    {
        a.OrganisationId, a.Kind, a.Title, a.Location, a.StartsAt, a.EndsAt, a.Capacity, a.SignUpDeadline, a.CheckInCode,
        a.CheckInOpensMinutesBefore, a.CheckInClosesMinutesAfter,
    };
}
