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

    public Task SetResultAsync(string key, string result, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        return redis.GetDatabase().StringSetAsync(keys.DedupeResult(key), result, ttl);
    }

    public async Task<string?> GetResultAsync(string key, CancellationToken cancellationToken = default) =>
        await redis.GetDatabase().StringGetAsync(keys.DedupeResult(key)).ConfigureAwait(false);
}
