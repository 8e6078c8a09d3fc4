using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ChatBot.Core.Ports.InProcess;

/// <summary>
/// Dedupe for a single instance (embedded mode): claims and parked results live in process memory.
/// Owner claims (one per signed WeChat request, kept for the whole clock-skew window) are the bulk at full speed,
/// so they are kept as two 64-bit hashes instead of two strings: about 40 bytes per request instead of 300.
/// </summary>
public sealed class InProcessDedupeStore(TimeProvider time) : IDedupeStore
{
    private readonly ExpiringMap<bool> _claims = new(time);
    private readonly ExpiringMap<string> _results = new(time);
    private readonly HashedOwnerMap _owners = new(time);
    private readonly RecentValues _recentValues = new();

    public Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        return Task.FromResult(_claims.TryAdd(key, true, ttl));
    }

    public Task<OwnerClaim> ClaimForAsync(string key, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        return Task.FromResult(_owners.Claim(key, owner, ttl));
    }

    public Task SetResultAsync(string key, string result, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        _results.Set(key, _recentValues.Share(result), ttl);
        return Task.CompletedTask;
    }

    public Task<string?> GetResultAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_results.TryGet(key, out var result) ? result : null);

    /// <summary>Live owner claims (for the memory tests).</summary>
    internal int OwnerClaimCount => _owners.Count;

    /// <summary>
    /// Parked results repeat a lot (the help text, "not understood", the same answer to the same question): equal
    /// values share one string, so a parked record costs its key and a reference, not another copy of the reply.
    /// Bounded: forgets everything when full, which only loses sharing, never a value.
    /// </summary>
    private sealed class RecentValues
    {
        private const int Capacity = 4096;
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public string Share(string value)
        {
            lock (_gate)
            {
                if (_values.TryGetValue(value, out var shared)) return shared;
                if (_values.Count >= Capacity) _values.Clear();
                _values[value] = value;
                return value;
            }
        }
    }

    /// <summary>
    /// Key hash → (owner hash, expiry). A 64-bit collision between two keys would refuse one genuine request as a
    /// replay; at a million live keys the chance is about 1 in 10^7 per run, and a refused request is retried by WeChat
    /// with a fresh nonce.
    /// </summary>
    private sealed class HashedOwnerMap(TimeProvider time)
    {
        private readonly Dictionary<ulong, (ulong Owner, long ExpiresAtTicks)> _entries = [];
        private readonly ExpiryWheel<ulong> _expiry = new();
        private readonly Lock _gate = new();
        private long _nowTicks;

        public int Count
        {
            get { lock (_gate) return _entries.Count; }
        }

        public OwnerClaim Claim(string key, string owner, TimeSpan ttl)
        {
            var keyHash = Hash(key);
            var ownerHash = Hash(owner);
            lock (_gate)
            {
                var now = time.GetUtcNow();
                _nowTicks = now.UtcTicks;
                _expiry.Expire(now, RemoveIfExpired);
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, keyHash, out var exists);
                if (exists && slot.ExpiresAtTicks > _nowTicks)
                    return slot.Owner == ownerHash ? OwnerClaim.HeldBySameOwner : OwnerClaim.HeldByOther;
                var expiresAt = now + ttl;
                slot = (ownerHash, expiresAt.UtcTicks);
                _expiry.Add(keyHash, expiresAt);
                return OwnerClaim.Claimed;
            }
        }

        private void RemoveIfExpired(ulong key)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAtTicks <= _nowTicks) _entries.Remove(key);
        }

        private static ulong Hash(string text) => XxHash64.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
    }
}
