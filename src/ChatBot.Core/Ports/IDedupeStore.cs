namespace ChatBot.Core.Ports;

/// <summary>
/// Atomic first-seen check plus a place to park the answer, so a platform retry of a message that was
/// already handled gets the same reply and the engine runs once per message across instances.
/// </summary>
public interface IDedupeStore
{
    /// <summary>True for exactly one caller per key within <paramref name="ttl"/>.</summary>
    Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="owner"/> in one atomic step. Returns null when this call
    /// claimed it, else the owner that holds it (which may equal <paramref name="owner"/>: the same message again).
    /// Used to refuse a signed nonce or signature reused by a different message while letting retries through.
    /// </summary>
    Task<string?> ClaimForAsync(string key, string owner, TimeSpan ttl, CancellationToken cancellationToken = default);

    Task SetResultAsync(string key, string result, TimeSpan ttl, CancellationToken cancellationToken = default);

    Task<string?> GetResultAsync(string key, CancellationToken cancellationToken = default);
}
