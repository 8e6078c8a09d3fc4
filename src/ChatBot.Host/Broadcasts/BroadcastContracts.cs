using System.Text.Json;

namespace ChatBot.Host.Broadcasts;

public sealed class CreateBroadcastRequest
{
    public string? Title { get; init; }
    public string? Text { get; init; }
    public int? ContentItemId { get; init; }
    public AudienceRequest? Audience { get; init; }
    public bool Urgent { get; init; }
    public bool MassSend { get; init; }
}

public sealed class AudienceRequest
{
    public List<int>? OrganisationIds { get; init; }
    public bool IncludeSubtrees { get; init; } = true;
    /// <summary>正式党员 / 预备党员 / 入党积极分子, or Full / Probationary / Activist; empty = all.</summary>
    public List<string>? Statuses { get; init; }
    public bool MobileOnly { get; init; }
    public bool GroupChats { get; init; }
}

public sealed class ConfirmRequest
{
    public DateTimeOffset? SendAt { get; init; }
    public string? Cron { get; init; }
}

public sealed class ResendRequest
{
    public bool IncludeUnknown { get; init; }
}

public sealed record AudienceView(IReadOnlyList<int> OrganisationIds, bool IncludeSubtrees, IReadOnlyList<string> Statuses, bool MobileOnly, bool GroupChats);

public sealed record RunView(int Id, string RunKey, string Status, DateTime SlotAt, int? ResendOfRunId, DateTime StartedAt, DateTime? FinishedAt);

public sealed record BroadcastView(
    int Id, string Status, string Title, string Text, int? ContentItemId, AudienceView Audience, bool Urgent, bool MassSend,
    DateTime? SendAt, string? Cron, DateTime? NextOccurrence, DateTime CreatedAt, string CreatedBy, IReadOnlyList<RunView> Runs);

public sealed record UnreachableRecipient(int? MemberId, int? GroupChatId, string Name, string Reason);

public sealed record PreflightView(
    int Recipients,
    int Reachable,
    IReadOnlyDictionary<string, int> ByRoute,
    IReadOnlyDictionary<string, int> ByReason,
    IReadOnlyList<UnreachableRecipient> Unreachable,
    bool UnreachableTruncated,
    /// <summary>Members choosing 群发: how many have 0, 1, … mass sends left this month.</summary>
    IReadOnlyDictionary<string, int>? MassSendRemaining,
    /// <summary>Quiet hours: member rows would wait until this time (null: not deferred).</summary>
    DateTime? DeferredUntil,
    double EstimatedSeconds,
    IReadOnlyDictionary<string, JsonElement> Samples,
    double ElapsedMilliseconds);

public sealed record ReportRow(long DeliveryId, int? MemberId, int? GroupChatId, string Name, string Phone, string? Route, string Status, string? Reason, DateTime? SentAt);

public sealed record ReportView(int BroadcastId, int? RunId, string Status, string? RunStatus, IReadOnlyDictionary<string, int> Counts, int Page, int PageSize, int Total, IReadOnlyList<ReportRow> Rows);
