using System.Collections.Concurrent;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;

namespace ChatBot.Host.Features;

/// <summary>
/// Who a channel account is, remembered for a short while so a member's every message does not cost database reads
/// and a write. Bind and unbind on this instance evict at once; changes made elsewhere (another instance, the
/// console) show within <see cref="Lifetime"/>.
/// </summary>
public sealed class SenderCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<(Channel, string), Entry> _entries = new();

    public sealed record Entry(SenderRef Sender, DateTime? LastInboundWritten, DateTimeOffset ExpiresAt);

    public Entry? Get(Channel channel, string externalId) =>
        _entries.TryGetValue((channel, externalId), out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry : null;

    public void Set(Channel channel, string externalId, SenderRef sender, DateTime? lastInboundWritten)
    {
        // A crude bound: a flood of new accounts must not grow the cache without limit.
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[(channel, externalId)] = new Entry(sender, lastInboundWritten, time.GetUtcNow() + Lifetime);
    }

    public void Evict(Channel channel, string externalId) => _entries.TryRemove((channel, externalId), out _);
}
