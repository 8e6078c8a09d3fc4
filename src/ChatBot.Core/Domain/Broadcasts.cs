namespace ChatBot.Core.Domain;

public enum BroadcastStatus
{
    Draft = 0,
    Scheduled = 1,
    Running = 2,
    Completed = 3,
    Cancelled = 4,
}

public class Broadcast
{
    public int Id { get; set; }
    public required string Title { get; set; }
    public string Body { get; set; } = "";
    public int? ContentItemId { get; set; }
    /// <summary>Audience root: this organisation and its subtree.</summary>
    public int OrganisationId { get; set; }
    public bool IncludeGroupChats { get; set; }
    public BroadcastStatus Status { get; set; }
    public DateTime? ScheduledAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public enum RunStatus
{
    Planned = 0,
    Sending = 1,
    Completed = 2,
    Failed = 3,
}

/// <summary>One execution of a broadcast or of a recurring schedule.</summary>
public class BroadcastRun
{
    public int Id { get; set; }
    public int? BroadcastId { get; set; }
    public int? RecurringScheduleId { get; set; }
    /// <summary>Idempotency of the run itself, e.g. "schedule:3:2026-11-23".</summary>
    public required string RunKey { get; set; }
    public RunStatus Status { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

public enum DeliveryRoute
{
    WeChatCustomerService = 0,
    WeChatTemplate = 1,
    DingTalkRobot = 2,
    WeComRobot = 3,
    DingTalkSession = 4,
    /// <summary>WeChat 群发 to an OpenID list (mass/send), only when the broadcast allows it.</summary>
    WeChatMassSend = 5,
    /// <summary>DingTalk robot 1:1 message (oToMessages/batchSend) to a member bound on DingTalk.</summary>
    DingTalkOneToOne = 6,
}

public enum DeliveryStatus
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
    Unknown = 3,
    Skipped = 4,
    /// <summary>Claimed by one sender instance (<see cref="Delivery.ClaimedBy"/>) and being sent right now.</summary>
    Sending = 5,
}

/// <summary>The outbox: one row per recipient and message, unique by idempotency key, so nothing is sent twice.</summary>
public class Delivery
{
    public long Id { get; set; }
    public int? BroadcastRunId { get; set; }
    public required string IdempotencyKey { get; set; }
    public int? MemberId { get; set; }
    public int? GroupChatId { get; set; }
    public int? ChannelIdentityId { get; set; }
    public DeliveryRoute Route { get; set; }
    public DeliveryStatus Status { get; set; }
    public string? SkipReason { get; set; }
    /// <summary>Channel-neutral JSON of what to send.</summary>
    public string Payload { get; set; } = "{}";
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public string? PlatformMessageId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>The claim token of the sender that moved the row to Sending (only one instance wins the claim).</summary>
    public string? ClaimedBy { get; set; }
    /// <summary>When the row was claimed; a row Sending past the lease is settled by the sweep.</summary>
    public DateTime? ClaimedAt { get; set; }
}

public enum ScheduleKind
{
    PolicyDigest = 0,
    LessonPush = 1,
    StudyReminder = 2,
    ActivityReminder = 3,
    Broadcast = 4,
}

public class RecurringSchedule
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public ScheduleKind Kind { get; set; }
    /// <summary>Cron in <c>Scheduling:TimeZone</c>.</summary>
    public required string Cron { get; set; }
    public int OrganisationId { get; set; }
    public bool Enabled { get; set; } = true;
    public string Parameters { get; set; } = "{}";
    public DateTime? LastRunAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
