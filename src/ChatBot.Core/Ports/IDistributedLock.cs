namespace ChatBot.Core.Ports;

/// <summary>Mutual exclusion across instances (in-process when no Redis is configured).</summary>
public interface IDistributedLock
{
    /// <summary>
    /// Waits up to <paramref name="wait"/> for the lock; returns a handle that releases it, or null on timeout.
    /// The lease bounds how long a crashed holder can block others.
    /// </summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default);
}
