namespace ChatBot.Core.Ports.InProcess;

/// <summary>
/// Finds expired keys without scanning the whole map: every write files its key under the second it expires in,
/// and each access drops a bounded number of keys from seconds that have passed. A full sweep of a map holding a few
/// hundred thousand dedupe keys takes milliseconds under the map's lock, which showed up as a tail-latency spike
/// once a minute; this spreads the same work over the accesses, at most <see cref="MaxPerAccess"/> keys each.
/// Not thread-safe: the owning map calls it under its lock.
/// </summary>
internal sealed class ExpiryWheel<TKey> where TKey : notnull
{
    /// <summary>More than one message writes per access, so expiry keeps up with any write rate.</summary>
    public const int MaxPerAccess = 64;

    private readonly Dictionary<long, List<TKey>> _buckets = [];
    private readonly PriorityQueue<long, long> _seconds = new();
    private List<TKey>? _draining;
    private int _drainIndex;

    public void Add(TKey key, DateTimeOffset expiresAt)
    {
        var second = expiresAt.ToUnixTimeSeconds();
        if (!_buckets.TryGetValue(second, out var bucket))
        {
            bucket = [];
            _buckets[second] = bucket;
            _seconds.Enqueue(second, second);
        }
        bucket.Add(key);
    }

    /// <summary>
    /// Offers up to <see cref="MaxPerAccess"/> keys filed under seconds before <paramref name="now"/>'s second; the
    /// map removes each one whose live entry has really expired (a key written again since is filed again, later).
    /// </summary>
    public void Expire(DateTimeOffset now, Action<TKey> removeIfExpired)
    {
        var nowSecond = now.ToUnixTimeSeconds();
        for (var budget = MaxPerAccess; budget > 0; budget--)
        {
            if (_draining is null)
            {
                // A bucket's keys expire within [second, second + 1): it is done once the clock is past it.
                if (!_seconds.TryPeek(out var second, out _) || second >= nowSecond) return;
                _seconds.Dequeue();
                _draining = _buckets[second];
                _buckets.Remove(second);
                _drainIndex = 0;
            }
            if (_drainIndex < _draining.Count)
                removeIfExpired(_draining[_drainIndex++]);
            if (_drainIndex >= _draining.Count)
                _draining = null;
        }
    }

    /// <summary>Keys filed and not yet offered (includes keys written again; for tests and diagnostics).</summary>
    public int Pending => _buckets.Values.Sum(b => b.Count) + (_draining is null ? 0 : _draining.Count - _drainIndex);
}
