using ChatBot.Core.Domain;

namespace ChatBot.Core.Features;

public sealed record ActivityView(
    int Id, string Title, ActivityKind Kind, string OrganisationName, string Location, DateTime StartsAt,
    DateTime SignUpDeadline, int? Capacity, int Registered, int Waitlisted, SignUpStatus? MyStatus);

public enum RegisterOutcome
{
    Registered = 0,
    Waitlisted = 1,
    AlreadyRegistered = 2,
    AlreadyWaitlisted = 3,
    DeadlinePassed = 4,
    NotFound = 5,
    ActivityCancelled = 6,
    AlreadyCheckedIn = 7,
}

/// <param name="WaitlistPosition">1-based position when waitlisted.</param>
public sealed record RegisterResult(RegisterOutcome Outcome, ActivityView? Activity, int WaitlistPosition = 0);

public enum CancelOutcome
{
    Cancelled = 0,
    NotRegistered = 1,
    NotFound = 2,
    TooLate = 3,
}

/// <param name="PromotedMemberId">The first waitlisted member who took the freed place, to be told.</param>
public sealed record CancelResult(CancelOutcome Outcome, ActivityView? Activity, int? PromotedMemberId = null);

public enum CheckInOutcome
{
    CheckedIn = 0,
    AlreadyCheckedIn = 1,
    CodeNotFound = 2,
    NotOpenYet = 3,
    Closed = 4,
    NotRegistered = 5,
}

public sealed record CheckInResult(CheckInOutcome Outcome, ActivityView? Activity, int PointsCredited = 0, DateTime? OpensAt = null);

public interface IActivityService
{
    /// <summary>Upcoming, not cancelled activities of the member's branch and its ancestors, soonest first.</summary>
    Task<IReadOnlyList<ActivityView>> UpcomingForMemberAsync(int memberId, DateTime nowUtc, CancellationToken ct);

    /// <summary>Upcoming activities of a branch and its ancestors (group chats, where the sender may be unbound).</summary>
    Task<IReadOnlyList<ActivityView>> UpcomingForOrganisationAsync(int organisationId, DateTime nowUtc, CancellationToken ct);

    /// <summary>Registers, or waitlists when full. Safe to repeat and to race: the database decides who gets the last place.</summary>
    Task<RegisterResult> RegisterAsync(int activityId, int memberId, DateTime nowUtc, CancellationToken ct);

    /// <summary>Cancels and, in the same transaction, promotes the first waitlisted member into the freed place.</summary>
    Task<CancelResult> CancelAsync(int activityId, int memberId, DateTime nowUtc, CancellationToken ct);

    /// <summary>Checks in to the activity with this code within its window and credits points once.</summary>
    Task<CheckInResult> CheckInAsync(int memberId, string code, DateTime nowUtc, CancellationToken ct);
}
