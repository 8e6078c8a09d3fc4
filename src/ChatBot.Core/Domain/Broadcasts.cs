namespace ChatBot.Core.Domain;

public enum BroadcastStatus
{
    Draft = 0,
    Scheduled = 1,
    Running = 2,
    Completed = 3,
    Cancelled = 4,
    /// <summary>Confirmed with a cron: runs at each occurrence until cancelled.</summary>
    Recurring = 5,
    Paused = 6,
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
    /// <summary>Cron in <c>Scheduling:TimeZone</c> when confirmed as recurring.</summary>
    public string? Cron { get; set; }
    /// <summary>JSON of the audience (organisations, subtrees, statuses, mobile only, group chats).</summary>
    public string Audience { get; set; } = "{}";
    /// <summary>Ignores quiet hours and the weekly budget, explicitly.</summary>
    public bool Urgent { get; set; }
    /// <summary>The admin allows WeChat mass send (4 per member per natural month) for members outside the window.</summary>
    public bool MassSend { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

public enum RunStatus
{
    Planned = 0,
    Sending = 1,
    Completed = 2,
    Failed = 3,
    Paused = 4,
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
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The run whose Failed (and, when ticked, Unknown) rows this run sends again.</summary>
    public int? ResendOfRunId { get; set; }
    /// <summary>Title, text and content link as they were when the run started: later edits do not change it.</summary>
    public string Snapshot { get; set; } = "{}";
    public int Recipients { get; set; }
}

public enum DeliveryRoute
{
    WeChatCustomerService = 0,
    WeChatTemplate = 1,
    DingTalkRobot = 2,
    WeComRobot = 3,
    /// <summary>The answer to a DingTalk @-message: the session webhook while valid, else the robot OpenAPI.</summary>
    DingTalkSession = 4,
    /// <summary>WeChat 群发 to an OpenID list (mass/send), only when the broadcast allows it.</summary>
    WeChatMassSend = 5,
    /// <summary>DingTalk robot 1:1 message (oToMessages/batchSend) to a member bound on DingTalk.</summary>
    DingTalkOneToOne = 6,
    /// <summary>No route: the row is Skipped with the reason, so reports show every recipient.</summary>
    None = 7,
}

public enum DeliveryStatus
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
    Unknown = 3,
    Skipped = 4,
    /// <summary>Claimed by a sender; the request may be on the wire.</summary>
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
    /// <summary>Message kind (key into <c>WeChat:Templates</c>): notice, reply, broadcast, reminder, …</summary>
    public string Kind { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    /// <summary>Counted in the member's weekly budget (non-urgent broadcasts and reminders).</summary>
    public bool CountsTowardsBudget { get; set; }
    /// <summary>Which sender pass claimed the row (Pending → Sending), and when: a stale claim is a crash left behind.</summary>
    public string? ClaimToken { get; set; }
    public DateTime? ClaimedAt { get; set; }
    public string? SkipReason { get; set; }
    /// <summary>Channel-neutral JSON of what to send.</summary>
    public string Payload { get; set; } = "{}";
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public string? PlatformMessageId { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the row is due; null while its run is paused.</summary>
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }

    public void MarkSent(DateTime nowUtc, string? platformMessageId)
    {
        Status = DeliveryStatus.Sent;
        SentAt = nowUtc;
        PlatformMessageId = platformMessageId;
        LastError = null;
        ClaimToken = null;
    }

    public void MarkFailed(string reason)
    {
        Status = DeliveryStatus.Failed;
        LastError = Cut(reason, 2000);
        ClaimToken = null;
    }

    public void MarkSkipped(string reason)
    {
        Status = DeliveryStatus.Skipped;
        SkipReason = Cut(reason, 200);
        ClaimToken = null;
    }

    /// <summary>The request went out and no answer came back: never resent automatically.</summary>
    public void MarkUnknown(string reason)
    {
        Status = DeliveryStatus.Unknown;
        LastError = Cut(reason, 2000);
        ClaimToken = null;
    }

    /// <summary>Back to Pending for another try at <paramref name="dueAt"/>.</summary>
    public void Reschedule(DateTime dueAt, string? reason)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = dueAt;
        LastError = reason is null ? null : Cut(reason, 2000);
        ClaimToken = null;
        ClaimedAt = null;
    }

    public string? Reason => Status switch
    {
        DeliveryStatus.Skipped => SkipReason,
        DeliveryStatus.Failed or DeliveryStatus.Unknown => LastError,
        _ => null,
    };

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
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
