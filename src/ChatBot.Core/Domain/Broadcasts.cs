namespace ChatBot.Core.Domain;

public enum BroadcastStatus
{
    Draft = 0,
    Scheduled = 1,
    Running = 2,
    Completed = 3,
    Cancelled = 4,
    /// <summary>The current run is paused: its pending rows stay pending but are held back from the sender.</summary>
    Paused = 5,
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
    /// <summary>Who is reached: <see cref="BroadcastAudience"/> as JSON (organisations, subtrees, statuses, mobile only, group chats).</summary>
    public string Audience { get; set; } = "{}";
    /// <summary>Ignores quiet hours and the weekly budget, explicitly chosen by the admin.</summary>
    public bool Urgent { get; set; }
    /// <summary>The admin allows 群发 (4 per member per natural month) for members outside the 客服 window.</summary>
    public bool MassSend { get; set; }
    /// <summary>Cron (5 fields, <c>Scheduling:TimeZone</c>) of a recurring broadcast; null = sent once.</summary>
    public string? Cron { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum RunStatus
{
    Planned = 0,
    Sending = 1,
    Completed = 2,
    Failed = 3,
    /// <summary>Pending rows are held (see <see cref="Delivery.HeldNextAttemptAt"/>) until resumed.</summary>
    Paused = 4,
    /// <summary>Pending rows became Skipped "cancelled".</summary>
    Cancelled = 5,
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
    /// <summary>The slot the run is for (send-now time, sendAt, or the cron occurrence), part of <see cref="RunKey"/>.</summary>
    public DateTime SlotAt { get; set; }
    /// <summary>Set on a "resend failed" run: the run whose Failed (and optionally Unknown) rows it sends again.</summary>
    public int? ResendOfRunId { get; set; }
    /// <summary>Copied from the broadcast at start: urgent runs ignore quiet hours and do not count towards the budget.</summary>
    public bool Urgent { get; set; }
    /// <summary>Content and audience as they were when the run started (JSON), so later edits do not change it.</summary>
    public string Snapshot { get; set; } = "{}";
    /// <summary>All rows are written; until then a crash leaves the run to be completed by the sweep.</summary>
    public DateTime? EnqueuedAt { get; set; }
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
    /// <summary>
    /// <see cref="NextAttemptAt"/> of a Pending row whose run is paused: far beyond any due time, so a sender that picks
    /// <c>Status = Pending AND (NextAttemptAt IS NULL OR NextAttemptAt &lt;= now)</c> never takes it; resume sets it back.
    /// </summary>
    public static readonly DateTime HeldNextAttemptAt = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

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
