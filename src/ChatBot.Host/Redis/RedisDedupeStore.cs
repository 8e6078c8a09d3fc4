using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using StackExchange.Redis;

namespace ChatBot.Host.Redis;

/// <summary>First-seen claim with <c>SET NX EX</c>; the parked result is a separate key so claiming stays a single command.</summary>
internal sealed class RedisDedupeStore(IConnectionMultiplexer redis, RedisKeys keys) : IDedupeStore
{
    public Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        return redis.GetDatabase().StringSetAsync(keys.DedupeClaim(key), 1, ttl, When.NotExists);
    }

    // KEYS[1] owner key; ARGV[1] owner, ARGV[2] ttl (ms). One script so claiming and reading the holder cannot
    // interleave. Answers 0 claimed, 1 held by the same owner, 2 held by another (the OwnerClaim values).
    private const string ClaimForScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder then
            if holder == ARGV[1] then return 1 end
            return 2
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 0
        """;

    public async Task<OwnerClaim> ClaimForAsync(string key, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            ClaimForScript, [keys.DedupeOwner(key)], [owner, (long)Math.Ceiling(ttl.TotalMilliseconds)]).ConfigureAwait(false);
        return (OwnerClaim)(int)result;
    }

    public Task SetResultAsync(string key, string result, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        return redis.GetDatabase().StringSetAsync(keys.DedupeResult(key), result, ttl);
    }

    public async Task<string?> GetResultAsync(string key, CancellationToken cancellationToken = default) =>
        await redis.GetDatabase().StringGetAsync(keys.DedupeResult(key)).ConfigureAwait(false);
}
