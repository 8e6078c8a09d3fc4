namespace ChatBot.Core.Ports.InProcess;

/// <summary>
/// A dictionary whose entries vanish after their TTL, measured on the injected <see cref="TimeProvider"/>.
/// Expired entries are dropped when touched and, a few per access, by an <see cref="ExpiryWheel{TKey}"/>, so keys that
/// are never read again cannot pile up for the life of the process and no access pays for a sweep of the whole map.
/// One lock guards everything: operations are a few dictionary calls, so contention stays short.
/// </summary>
internal sealed class ExpiringMap<TValue>
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ExpiryWheel<string> _expiry = new();
    private readonly Lock _gate = new();
    private readonly Action<string> _removeIfExpired;
    private DateTimeOffset _now;

    public ExpiringMap(TimeProvider time)
    {
        _time = time;
        _removeIfExpired = key =>
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt <= _now) _entries.Remove(key);
        };
    }

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
            Store(key, new Entry(value, now + ttl));
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
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            {
                var updated = entry with { Value = next(entry.Value) };
                _entries[key] = updated;
                return updated.Value;
            }
            Store(key, new Entry(first, now + ttl));
            return first;
        }
    }

    public void Set(string key, TValue value, TimeSpan ttl)
    {
        lock (_gate)
        {
            var now = Tick();
            Store(key, new Entry(value, now + ttl));
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

    private void Store(string key, Entry entry)
    {
        _entries[key] = entry;
        _expiry.Add(key, entry.ExpiresAt);
    }

    private DateTimeOffset Tick()
    {
        _now = _time.GetUtcNow();
        _expiry.Expire(_now, _removeIfExpired);
        return _now;
    }

    private readonly record struct Entry(TValue Value, DateTimeOffset ExpiresAt);
}
