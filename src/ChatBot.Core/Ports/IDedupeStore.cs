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
    /// Claims <paramref name="key"/> for <paramref name="owner"/> in one atomic step, or says who holds it: the same
    /// owner (the same message again: a platform retry, or a replay of the very same request) or another one.
    /// Used to refuse a signed nonce or signature reused by a different message while letting retries through.
    /// Stores may keep only a hash of the owner, which is why the holder itself is not returned.
    /// </summary>
    Task<OwnerClaim> ClaimForAsync(string key, string owner, TimeSpan ttl, CancellationToken cancellationToken = default);

    Task SetResultAsync(string key, string result, TimeSpan ttl, CancellationToken cancellationToken = default);

    Task<string?> GetResultAsync(string key, CancellationToken cancellationToken = default);
}

public enum OwnerClaim
{
    /// <summary>This call claimed the key.</summary>
    Claimed = 0,
    /// <summary>The key was already held by the same owner.</summary>
    HeldBySameOwner = 1,
    /// <summary>The key is held by a different owner.</summary>
    HeldByOther = 2,
}
