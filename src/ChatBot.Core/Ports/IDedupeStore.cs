namespace ChatBot.Core.Ports;

/// <summary>
/// Atomic first-seen check plus a place to park the answer, so a platform retry of a message that was
/// already handled gets the same reply and the engine runs once per message across instances.
/// </summary>
public interface IDedupeStore
{
    /// <summary>True for exactly one caller per key within <paramref name="ttl"/>.</summary>
    Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default);

    Task SetResultAsync(string key, string result, TimeSpan ttl, CancellationToken cancellationToken = default);

    Task<string?> GetResultAsync(string key, CancellationToken cancellationToken = default);
}
