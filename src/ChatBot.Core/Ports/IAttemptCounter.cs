namespace ChatBot.Core.Ports;

/// <summary>
/// Atomic counters of failed attempts with a fixed window that starts at the first failure (shared across instances
/// when Redis is configured). Used to limit guessing: the count only goes up, and only the window's end or an
/// explicit reset brings it back to zero.
/// </summary>
public interface IAttemptCounter
{
    /// <summary>Adds one attempt and returns the count within the current window (1 for the first).</summary>
    Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken = default);

    Task<long> GetAsync(string key, CancellationToken cancellationToken = default);

    Task ResetAsync(string key, CancellationToken cancellationToken = default);
}
