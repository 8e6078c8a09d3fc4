namespace ChatBot.Core.Domain;

public enum ActivityKind
{
    BranchAssembly = 0,   // 支部党员大会
    BranchCommittee = 1,  // 支委会
    GroupMeeting = 2,     // 党小组会
    PartyLecture = 3,     // 党课
    ThemeDay = 4,         // 主题党日
    Volunteer = 5,        // 志愿服务
    Contest = 6,          // 知识竞赛
    Other = 7,
}

public class Activity
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public ActivityKind Kind { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public string Location { get; set; } = "";
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    /// <summary>Null: unlimited places.</summary>
    public int? Capacity { get; set; }
    public DateTime SignUpDeadline { get; set; }
    public string? CheckInCode { get; set; }
    public int CheckInOpensMinutesBefore { get; set; } = 30;
    public int CheckInClosesMinutesAfter { get; set; } = 30;
    public bool Cancelled { get; set; }
    public DateTime CreatedAt { get; set; }

    public bool IsCheckInOpen(DateTime nowUtc) =>
        nowUtc >= StartsAt.AddMinutes(-CheckInOpensMinutesBefore) && nowUtc <= StartsAt.AddMinutes(CheckInClosesMinutesAfter);
}

public enum SignUpStatus
{
    Registered = 0,
    Waitlisted = 1,
    Cancelled = 2,
    CheckedIn = 3,
    NoShow = 4,
}

/// <summary>
/// One row per activity + member. A registered sign-up holds a <see cref="Seat"/> in 1..Capacity, unique per
/// activity, so two members racing for the last place cannot both get it: the database refuses the second seat.
/// </summary>
public class SignUp
{
    public int Id { get; set; }
    public int ActivityId { get; set; }
    public Activity? Activity { get; set; }
    public int MemberId { get; set; }
    public Member? Member { get; set; }
    public SignUpStatus Status { get; set; }
    public int? Seat { get; set; }
    /// <summary>Order on the waitlist (ticks of the time it joined, ties broken by id).</summary>
    public DateTime? WaitlistedAt { get; set; }
    public DateTime? CheckedInAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
