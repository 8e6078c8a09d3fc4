namespace ChatBot.Core.Ports;

/// <param name="Allowed">Whether the caller may proceed now (the permit is taken when true).</param>
/// <param name="RetryAfter">When not allowed, how long until a permit is likely free.</param>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static RateLimitDecision Allow { get; } = new(true, TimeSpan.Zero);
    public static RateLimitDecision Deny(TimeSpan retryAfter) => new(false, retryAfter);
}

/// <summary>
/// Rolling-window limiter keyed by target (one robot, one member). A key can also be paused for a period,
/// which every instance honours, e.g. after a platform says "send too fast".
/// </summary>
public interface IRateLimiter
{
    Task<RateLimitDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken = default);

    Task PauseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Remaining pause, or null when the key is not paused.</summary>
    Task<TimeSpan?> GetPauseAsync(string key, CancellationToken cancellationToken = default);
}
