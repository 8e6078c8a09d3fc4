namespace ChatBot.Core.Ports.InProcess;

/// <summary>
/// A dictionary whose entries vanish after their TTL, measured on the injected <see cref="TimeProvider"/>.
/// Expired entries are dropped when touched and by a sweep that runs at most once per <see cref="SweepInterval"/>
/// on any access, so keys that are never read again cannot pile up for the life of the process.
/// One lock guards everything: operations are a few dictionary calls, so contention stays short.
/// </summary>
internal sealed class ExpiringMap<TValue>(TimeProvider time)
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public int Count
    {
        get { lock (_gate) return _entries.Count; }
    }

    /// <summary>Adds the entry unless a live one exists; true when added.</summary>
    public bool TryAdd(string key, TValue value, TimeSpan ttl) => TryAdd(key, value, ttl, out _);

    /// <summary>Adds the entry unless a live one exists (then <paramref name="existing"/> is its value); true when added.</summary>
    public bool TryAdd(string key, TValue value, TimeSpan ttl, out TValue existing)
    {
        lock (_gate)
        {
            var now = Tick();
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            {
                existing = entry.Value;
                return false;
            }
            _entries[key] = new Entry(value, now + ttl);
            existing = default!;
            return true;
        }
    }

    /// <summary>
    /// Replaces a live entry's value with <paramref name="next"/>(value), keeping its expiry (a fixed window from the
    /// entry's creation); a missing or expired entry becomes <paramref name="first"/> with <paramref name="ttl"/>.
    /// </summary>
    public TValue Update(string key, TValue first, Func<TValue, TValue> next, TimeSpan ttl)
    {
        lock (_gate)
        {
            var now = Tick();
            var updated = _entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now
                ? entry with { Value = next(entry.Value) }
                : new Entry(first, now + ttl);
            _entries[key] = updated;
            return updated.Value;
        }
    }

    public void Set(string key, TValue value, TimeSpan ttl)
    {
        lock (_gate)
        {
            var now = Tick();
            _entries[key] = new Entry(value, now + ttl);
        }
    }

    public bool TryGet(string key, out TValue value)
    {
        lock (_gate)
        {
            var now = Tick();
            if (_entries.TryGetValue(key, out var entry))
            {
                if (entry.ExpiresAt > now)
                {
                    value = entry.Value;
                    return true;
                }
                _entries.Remove(key);
            }
            value = default!;
            return false;
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            Tick();
            _entries.Remove(key);
        }
    }

    private DateTimeOffset Tick()
    {
        var now = time.GetUtcNow();
        if (now < _nextSweep) return now;
        _nextSweep = now + SweepInterval;
        foreach (var (key, entry) in _entries)
        {
            // Removing during enumeration is allowed for Dictionary<TKey,TValue> since .NET Core 3.0.
            if (entry.ExpiresAt <= now) _entries.Remove(key);
        }
        return now;
    }

    private readonly record struct Entry(TValue Value, DateTimeOffset ExpiresAt);
}
