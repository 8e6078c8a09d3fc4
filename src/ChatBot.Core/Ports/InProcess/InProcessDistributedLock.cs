namespace ChatBot.Core.Ports.InProcess;

/// <summary>
/// Per-key async lock for a single instance (embedded mode). The lease is honoured as in Redis: a holder that
/// never releases (a bug, since a crash takes the whole process here) blocks others only until its lease ends.
/// Waiting uses the injected <see cref="TimeProvider"/>, so tests can drive timeouts with a fake clock.
/// </summary>
public sealed class InProcessDistributedLock(TimeProvider time) : IDistributedLock
{
    /// <summary>Locks are few (one per access-token refresh and the like), so a periodic full sweep is cheap here.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>Task.WaitAsync accepts at most about 49 days; a longer wait simply goes round the loop again.</summary>
    private static readonly TimeSpan LongestSleep = TimeSpan.FromDays(1);

    private readonly Dictionary<string, Holder> _holders = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    internal int HeldCount
    {
        get { lock (_gate) return _holders.Count; }
    }

    public async Task<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(lease);
        SharedStateArguments.RequireWait(wait);
        var infinite = wait == Timeout.InfiniteTimeSpan;
        var deadline = infinite ? DateTimeOffset.MaxValue : time.GetUtcNow() + wait;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task released;
            TimeSpan sleep;
            lock (_gate)
            {
                var now = Tick();
                if (!_holders.TryGetValue(key, out var current) || current.LeaseEnds <= now)
                {
                    var holder = new Holder(now + lease);
                    _holders[key] = holder;
                    return new Handle(this, key, holder);
                }
                if (now >= deadline) return null;
                released = current.Released.Task;
                var untilLeaseEnds = current.LeaseEnds - now;
                sleep = Min(infinite ? untilLeaseEnds : Min(untilLeaseEnds, deadline - now), LongestSleep);
            }

            try
            {
                await released.WaitAsync(sleep, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Either the lease ran out or our wait did; the next round decides which.
            }
        }
    }

    private void Release(string key, Holder holder)
    {
        lock (_gate)
        {
            // After the lease ran out someone else may hold the key; only our own entry is ours to remove.
            if (_holders.TryGetValue(key, out var current) && ReferenceEquals(current, holder)) _holders.Remove(key);
        }
        holder.Released.TrySetResult();
    }

    /// <summary>Drops holders whose lease ended and that nobody asked for since (a handle that was never disposed).</summary>
    private DateTimeOffset Tick()
    {
        var now = time.GetUtcNow();
        if (now < _nextSweep) return now;
        _nextSweep = now + SweepInterval;
        foreach (var (key, holder) in _holders)
        {
            if (holder.LeaseEnds <= now) _holders.Remove(key);
        }
        return now;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed class Holder(DateTimeOffset leaseEnds)
    {
        public DateTimeOffset LeaseEnds { get; } = leaseEnds;
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Handle(InProcessDistributedLock owner, string key, Holder holder) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release(key, holder);
            return ValueTask.CompletedTask;
        }
    }
}
