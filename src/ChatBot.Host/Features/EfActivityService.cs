using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;

/// <summary>
/// Sign-ups whose correctness the database enforces: one row per activity + member, and a registered row holds a
/// seat number unique per activity. Two members racing for the last seat both try to insert seat N; the loser's
/// insert fails on the unique index, it re-reads and finds no seat left, and is waitlisted.
/// </summary>
public sealed class EfActivityService(ChatBotDbContext db, IPointsService points) : IActivityService
{
    private const int MaxSeatAttempts = 8;

    public async Task<IReadOnlyList<ActivityView>> UpcomingForMemberAsync(int memberId, DateTime nowUtc, CancellationToken ct)
    {
        var path = await db.Members.Where(m => m.Id == memberId).Select(m => m.Organisation!.Path).SingleAsync(ct);
        return await UpcomingAsync(OrganisationPath.Parse(path).AncestorIds, memberId, nowUtc, ct);
    }

    public async Task<IReadOnlyList<ActivityView>> UpcomingForOrganisationAsync(int organisationId, DateTime nowUtc, CancellationToken ct)
    {
        var path = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Path).SingleAsync(ct);
        return await UpcomingAsync(OrganisationPath.Parse(path).AncestorIds, null, nowUtc, ct);
    }

    public async Task<RegisterResult> RegisterAsync(int activityId, int memberId, DateTime nowUtc, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxSeatAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var activity = await db.Activities.SingleOrDefaultAsync(a => a.Id == activityId, ct);
            if (activity is null) return new RegisterResult(RegisterOutcome.NotFound, null);

            var existing = await db.SignUps.SingleOrDefaultAsync(s => s.ActivityId == activityId && s.MemberId == memberId, ct);
            switch (existing?.Status)
            {
                case SignUpStatus.Registered:
                    return new RegisterResult(RegisterOutcome.AlreadyRegistered, await ViewAsync(activityId, memberId, ct));
                case SignUpStatus.CheckedIn:
                    return new RegisterResult(RegisterOutcome.AlreadyCheckedIn, await ViewAsync(activityId, memberId, ct));
                case SignUpStatus.Waitlisted:
                    return new RegisterResult(RegisterOutcome.AlreadyWaitlisted, await ViewAsync(activityId, memberId, ct),
                        await WaitlistPositionAsync(existing, ct));
            }
            if (activity.Cancelled) return new RegisterResult(RegisterOutcome.ActivityCancelled, await ViewAsync(activityId, memberId, ct));
            if (nowUtc > activity.SignUpDeadline) return new RegisterResult(RegisterOutcome.DeadlinePassed, await ViewAsync(activityId, memberId, ct));

            var signUp = existing ?? new SignUp { ActivityId = activityId, MemberId = memberId, CreatedAt = nowUtc };
            signUp.UpdatedAt = nowUtc;
            var seat = activity.Capacity is { } capacity ? await FreeSeatAsync(activityId, capacity, ct) : null;
            if (activity.Capacity is null || seat is not null)
            {
                signUp.Status = SignUpStatus.Registered;
                signUp.Seat = seat;
                signUp.WaitlistedAt = null;
            }
            else
            {
                signUp.Status = SignUpStatus.Waitlisted;
                signUp.Seat = null;
                signUp.WaitlistedAt = nowUtc;
            }
            if (existing is null) db.SignUps.Add(signUp);

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Lost a race: the seat, or this member's row (a retried message), was taken meanwhile. Re-read and decide again.
                continue;
            }

            var view = await ViewAsync(activityId, memberId, ct);
            return signUp.Status == SignUpStatus.Registered
                ? new RegisterResult(RegisterOutcome.Registered, view)
                : new RegisterResult(RegisterOutcome.Waitlisted, view, await WaitlistPositionAsync(signUp, ct));
        }
        throw new InvalidOperationException($"Could not settle a sign-up for activity {activityId} after {MaxSeatAttempts} attempts.");
    }

    public async Task<CancelResult> CancelAsync(int activityId, int memberId, DateTime nowUtc, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var activity = await db.Activities.SingleOrDefaultAsync(a => a.Id == activityId, ct);
        if (activity is null) return new CancelResult(CancelOutcome.NotFound, null);
        if (nowUtc >= activity.StartsAt) return new CancelResult(CancelOutcome.TooLate, await ViewAsync(activityId, memberId, ct));

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var signUp = await db.SignUps.SingleOrDefaultAsync(s => s.ActivityId == activityId && s.MemberId == memberId
            && (s.Status == SignUpStatus.Registered || s.Status == SignUpStatus.Waitlisted), ct);
        if (signUp is null) return new CancelResult(CancelOutcome.NotRegistered, await ViewAsync(activityId, memberId, ct));

        var freedSeat = signUp.Seat;
        signUp.Status = SignUpStatus.Cancelled;
        signUp.Seat = null;
        signUp.WaitlistedAt = null;
        signUp.UpdatedAt = nowUtc;
        // Saved before promoting: the freed seat number must be released before another row can take it.
        await db.SaveChangesAsync(ct);

        int? promoted = null;
        if (freedSeat is not null)
        {
            var next = await db.SignUps
                .Where(s => s.ActivityId == activityId && s.Status == SignUpStatus.Waitlisted)
                .OrderBy(s => s.WaitlistedAt).ThenBy(s => s.Id)
                .FirstOrDefaultAsync(ct);
            if (next is not null)
            {
                next.Status = SignUpStatus.Registered;
                next.Seat = freedSeat;
                next.WaitlistedAt = null;
                next.UpdatedAt = nowUtc;
                await db.SaveChangesAsync(ct);
                promoted = next.MemberId;
            }
        }
        await transaction.CommitAsync(ct);
        return new CancelResult(CancelOutcome.Cancelled, await ViewAsync(activityId, memberId, ct), promoted);
    }

    public async Task<CheckInResult> CheckInAsync(int memberId, string code, DateTime nowUtc, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        // Only the activities the member can see (their branch and the organisations above it): another branch's
        // code is "not found", as if it did not exist, and counts as a failed guess.
        var path = await db.Members.Where(m => m.Id == memberId).Select(m => m.Organisation!.Path).SingleAsync(ct);
        var visible = OrganisationPath.Parse(path).AncestorIds;
        var candidates = await db.Activities
            .Where(a => a.CheckInCode == code && !a.Cancelled && visible.Contains(a.OrganisationId))
            .ToListAsync(ct);
        if (candidates.Count == 0) return new CheckInResult(CheckInOutcome.CodeNotFound, null);

        // Codes can repeat across activities over time: prefer the one open now, else the nearest in time.
        var activity = candidates.FirstOrDefault(a => a.IsCheckInOpen(nowUtc))
            ?? candidates.OrderBy(a => Math.Abs((a.StartsAt - nowUtc).Ticks)).First();
        if (!activity.IsCheckInOpen(nowUtc))
        {
            var opensAt = activity.StartsAt.AddMinutes(-activity.CheckInOpensMinutesBefore);
            return nowUtc < opensAt
                ? new CheckInResult(CheckInOutcome.NotOpenYet, await ViewAsync(activity.Id, memberId, ct), OpensAt: opensAt)
                : new CheckInResult(CheckInOutcome.Closed, await ViewAsync(activity.Id, memberId, ct));
        }

        var signUp = await db.SignUps.SingleOrDefaultAsync(s => s.ActivityId == activity.Id && s.MemberId == memberId, ct);
        if (signUp?.Status == SignUpStatus.CheckedIn)
            return new CheckInResult(CheckInOutcome.AlreadyCheckedIn, await ViewAsync(activity.Id, memberId, ct));
        if (signUp?.Status != SignUpStatus.Registered)
        {
            // Open activities (no capacity) take walk-ins; limited ones only those holding a place.
            if (activity.Capacity is not null)
                return new CheckInResult(CheckInOutcome.NotRegistered, await ViewAsync(activity.Id, memberId, ct));
            if (signUp is null)
            {
                signUp = new SignUp { ActivityId = activity.Id, MemberId = memberId, CreatedAt = nowUtc };
                db.SignUps.Add(signUp);
            }
        }

        signUp.Status = SignUpStatus.CheckedIn;
        signUp.CheckedInAt = nowUtc;
        signUp.UpdatedAt = nowUtc;
        signUp.WaitlistedAt = null;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same check-in arrived twice at once; the other one won.
            return new CheckInResult(CheckInOutcome.AlreadyCheckedIn, await ViewAsync(activity.Id, memberId, ct));
        }

        var credited = await points.CreditAsync(memberId, PointsRuleCodes.ActivityCheckIn, $"activity:{activity.Id}", nowUtc, ct);
        return new CheckInResult(CheckInOutcome.CheckedIn, await ViewAsync(activity.Id, memberId, ct), credited);
    }

    private async Task<int?> FreeSeatAsync(int activityId, int capacity, CancellationToken ct)
    {
        var taken = await db.SignUps.Where(s => s.ActivityId == activityId && s.Seat != null)
            .Select(s => s.Seat!.Value).ToListAsync(ct);
        var set = taken.ToHashSet();
        for (var seat = 1; seat <= capacity; seat++)
            if (!set.Contains(seat)) return seat;
        return null;
    }

    private async Task<int> WaitlistPositionAsync(SignUp signUp, CancellationToken ct) =>
        1 + await db.SignUps.CountAsync(s => s.ActivityId == signUp.ActivityId && s.Status == SignUpStatus.Waitlisted
            && (s.WaitlistedAt < signUp.WaitlistedAt || (s.WaitlistedAt == signUp.WaitlistedAt && s.Id < signUp.Id)), ct);

    private async Task<IReadOnlyList<ActivityView>> UpcomingAsync(IReadOnlyList<int> organisationIds, int? memberId, DateTime nowUtc, CancellationToken ct)
    {
        var ids = await db.Activities
            .Where(a => organisationIds.Contains(a.OrganisationId) && !a.Cancelled && a.EndsAt > nowUtc)
            .OrderBy(a => a.StartsAt).ThenBy(a => a.Id)
            .Select(a => a.Id)
            .Take(20)
            .ToListAsync(ct);
        return await ViewsAsync(ids, memberId, ct);
    }

    private async Task<ActivityView?> ViewAsync(int activityId, int? memberId, CancellationToken ct) =>
        (await ViewsAsync([activityId], memberId, ct)).FirstOrDefault();

    /// <summary>Views of several activities in two queries (activities, then their sign-up statuses), in the order given.</summary>
    private async Task<IReadOnlyList<ActivityView>> ViewsAsync(IReadOnlyList<int> activityIds, int? memberId, CancellationToken ct)
    {
        if (activityIds.Count == 0) return [];
        var activities = await db.Activities.AsNoTracking().Where(x => activityIds.Contains(x.Id))
            .Select(x => new { x.Id, x.Title, x.Kind, OrganisationName = x.Organisation!.Name, x.Location, x.StartsAt, x.SignUpDeadline, x.Capacity })
            .ToDictionaryAsync(x => x.Id, ct);
        var statuses = (await db.SignUps.AsNoTracking().Where(s => activityIds.Contains(s.ActivityId))
                .Select(s => new { s.ActivityId, s.MemberId, s.Status }).ToListAsync(ct))
            .ToLookup(s => s.ActivityId);
        return activityIds.Where(activities.ContainsKey).Select(id =>
        {
            var a = activities[id];
            var rows = statuses[id].ToList();
            SignUpStatus? mine = memberId is { } m ? rows.FirstOrDefault(s => s.MemberId == m)?.Status : null;
            return new ActivityView(a.Id, a.Title, a.Kind, a.OrganisationName, a.Location, a.StartsAt, a.SignUpDeadline, a.Capacity,
                rows.Count(s => s.Status is SignUpStatus.Registered or SignUpStatus.CheckedIn),
                rows.Count(s => s.Status == SignUpStatus.Waitlisted), mine);
        }).ToList();
    }
}
