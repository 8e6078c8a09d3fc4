namespace ChatBot.Core.Ports.InProcess;

/// <summary>
/// Rolling-window limiter for a single instance (embedded mode). Each key keeps the times of the permits it
/// handed out within the window, so "at most <c>limit</c> in any <c>window</c>" holds exactly, not per fixed slot.
/// </summary>
public sealed class InProcessRateLimiter(TimeProvider time) : IRateLimiter
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    internal int KeyCount
    {
        get { lock (_gate) return _buckets.Count; }
    }

    public Task<RateLimitDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequireLimit(limit);
        SharedStateArguments.RequirePositive(window);
        lock (_gate)
        {
            var now = Tick();
            var bucket = GetOrCreate(key);
            if (bucket.PausedUntil > now) return Task.FromResult(RateLimitDecision.Deny(bucket.PausedUntil - now));

            bucket.Window = window;
            bucket.Trim(now);
            if (bucket.Permits.Count < limit)
            {
                bucket.Permits.Enqueue(now);
                return Task.FromResult(RateLimitDecision.Allow);
            }

            // The caller may go once enough permits have left the window to bring the count below the limit.
            var freesUp = bucket.Permits.ElementAt(bucket.Permits.Count - limit) + window;
            return Task.FromResult(RateLimitDecision.Deny(freesUp - now));
        }
    }

    public Task PauseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(duration);
        lock (_gate)
        {
            var until = Tick() + duration;
            var bucket = GetOrCreate(key);
            // A shorter pause never cuts a longer one short: the platform asked for the longer wait.
            if (until > bucket.PausedUntil) bucket.PausedUntil = until;
        }
        return Task.CompletedTask;
    }

    public Task<TimeSpan?> GetPauseAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = Tick();
            TimeSpan? remaining = _buckets.TryGetValue(key, out var bucket) && bucket.PausedUntil > now
                ? bucket.PausedUntil - now
                : null;
            return Task.FromResult(remaining);
        }
    }

    private Bucket GetOrCreate(string key)
    {
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket();
            _buckets[key] = bucket;
        }
        return bucket;
    }

    private DateTimeOffset Tick()
    {
        var now = time.GetUtcNow();
        if (now < _nextSweep) return now;
        _nextSweep = now + SweepInterval;
        foreach (var (key, bucket) in _buckets)
        {
            bucket.Trim(now);
            if (bucket.Permits.Count == 0 && bucket.PausedUntil <= now) _buckets.Remove(key);
        }
        return now;
    }

    private sealed class Bucket
    {
        public Queue<DateTimeOffset> Permits { get; } = new();
        public TimeSpan Window { get; set; }
        public DateTimeOffset PausedUntil { get; set; } = DateTimeOffset.MinValue;

        /// <summary>A permit taken at t counts until t + window, and is free again from that instant on.</summary>
        public void Trim(DateTimeOffset now)
        {
            while (Permits.Count > 0 && Permits.Peek() + Window <= now) Permits.Dequeue();
        }
    }
}
