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

/// <summary>The editable fields of an activity, as the console and the API send them (times in UTC).</summary>
public sealed record ActivityInput(
    int OrganisationId, ActivityKind Kind, string Title, string? Description, string? Location, DateTime StartsAt, DateTime EndsAt,
    int? Capacity, DateTime SignUpDeadline, string? CheckInCode, int CheckInOpensMinutesBefore = 30, int CheckInClosesMinutesAfter = 30);

public static class ActivityRules
{
    public const int MaxCapacity = 10_000;

    /// <summary>Checks the input and copies it onto the activity; throws <see cref="RuleViolation"/> naming the first bad field.</summary>
    public static void Apply(Activity activity, ActivityInput input)
    {
        var title = (input.Title ?? "").Trim();
        if (title.Length is 0 or > 100) throw new RuleViolation("title", "请填写活动名称（最多 100 字）");
        if (!Enum.IsDefined(input.Kind)) throw new RuleViolation("kind", "活动类型无效");
        if ((input.Location ?? "").Trim().Length > 200) throw new RuleViolation("location", "地点最多 200 字");
        if ((input.Description ?? "").Length > 2000) throw new RuleViolation("description", "说明最多 2000 字");
        if (input.EndsAt <= input.StartsAt) throw new RuleViolation("endsAt", "结束时间须晚于开始时间");
        if (input.Capacity is { } c && (c < 1 || c > MaxCapacity)) throw new RuleViolation("capacity", $"名额须为 1 到 {MaxCapacity}，不限名额请留空");
        if (input.SignUpDeadline > input.StartsAt) throw new RuleViolation("signUpDeadline", "报名截止时间不能晚于开始时间");
        if (input.CheckInOpensMinutesBefore is < 0 or > 24 * 60) throw new RuleViolation("checkInOpensMinutesBefore", "签到提前开放时间须为 0 到 1440 分钟");
        if (input.CheckInClosesMinutesAfter is < 0 or > 24 * 60) throw new RuleViolation("checkInClosesMinutesAfter", "签到截止时间须为开始后 0 到 1440 分钟");
        var code = string.IsNullOrWhiteSpace(input.CheckInCode) ? null : input.CheckInCode.Trim();
        if (code is not null && (code.Length is < 4 or > 12 || !code.All(char.IsAsciiLetterOrDigit)))
            throw new RuleViolation("checkInCode", "签到码须为 4 到 12 位字母或数字");

        activity.OrganisationId = input.OrganisationId;
        activity.Kind = input.Kind;
        activity.Title = title;
        activity.Description = (input.Description ?? "").Trim();
        activity.Location = (input.Location ?? "").Trim();
        activity.StartsAt = input.StartsAt;
        activity.EndsAt = input.EndsAt;
        activity.Capacity = input.Capacity;
        activity.SignUpDeadline = input.SignUpDeadline;
        activity.CheckInCode = code ?? activity.CheckInCode;
        activity.CheckInOpensMinutesBefore = input.CheckInOpensMinutesBefore;
        activity.CheckInClosesMinutesAfter = input.CheckInClosesMinutesAfter;
    }

    /// <summary>A reduced capacity may not drop below the places already given: nobody loses a confirmed seat.</summary>
    public static void CheckCapacity(int? capacity, int highestSeatTaken)
    {
        if (capacity is { } c && c < highestSeatTaken)
            throw new RuleViolation("capacity", $"已有 {highestSeatTaken} 个名额被占用，名额不能少于此数");
    }

    /// <summary>No-shows are marked once the check-in window has closed, and only for those holding a place.</summary>
    public static bool CanMarkNoShow(Activity activity, SignUp signUp, DateTime nowUtc) =>
        !activity.Cancelled && nowUtc > activity.StartsAt.AddMinutes(activity.CheckInClosesMinutesAfter) && signUp.Status == SignUpStatus.Registered;

    public static string KindLabel(ActivityKind kind) => kind switch
    {
        ActivityKind.BranchAssembly => "支部党员大会",
        ActivityKind.BranchCommittee => "支委会",
        ActivityKind.GroupMeeting => "党小组会",
        ActivityKind.PartyLecture => "党课",
        ActivityKind.ThemeDay => "主题党日",
        ActivityKind.Volunteer => "志愿服务",
        ActivityKind.Contest => "知识竞赛",
        _ => "其他活动",
    };

    /// <summary>三会一课: the four kinds of regular organisational life.</summary>
    public static bool IsThreeMeetingsOneLecture(ActivityKind kind) =>
        kind is ActivityKind.BranchAssembly or ActivityKind.BranchCommittee or ActivityKind.GroupMeeting or ActivityKind.PartyLecture;
}
