using ChatBot.Core.Domain;

namespace ChatBot.Host.Delivery;

/// <summary>
/// One outbox row to write: the recipient, the route the router chose (or the reason it is skipped), and the payload
/// (<see cref="Core.Delivery.MemberMessage"/> JSON for members, <see cref="GroupChats.GroupPush"/> JSON for group chats).
/// </summary>
public sealed record OutboxItem
{
    public required string IdempotencyKey { get; init; }
    public int? MemberId { get; init; }
    public int? GroupChatId { get; init; }
    public int? ChannelIdentityId { get; init; }
    public int? BroadcastRunId { get; init; }
    public DeliveryRoute Route { get; init; }
    public required string Payload { get; init; }
    /// <summary>Not sent before this time (quiet hours, a scheduled broadcast); null = as soon as possible.</summary>
    public DateTime? NotBefore { get; init; }
    /// <summary>When set the row is written as Skipped with this reason (preflight said unreachable).</summary>
    public string? SkipReason { get; init; }
}

/// <summary>
/// The way into the one delivery pipeline: every outbound message becomes a Delivery row here, before anything is
/// sent. Rows are written in batches; a row whose idempotency key already exists is left as it is (not an error), so
/// a retried caller never sends twice. The sender picks up due Pending rows.
/// </summary>
public interface IOutbox
{
    /// <summary>Writes the rows (skipping existing idempotency keys) and wakes the sender; returns how many were new.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken ct);
}
