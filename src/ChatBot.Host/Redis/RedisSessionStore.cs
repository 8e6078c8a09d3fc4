using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using StackExchange.Redis;

namespace ChatBot.Host.Redis;

/// <summary>Session values as plain Redis strings; Redis expires them itself.</summary>
internal sealed class RedisSessionStore(IConnectionMultiplexer redis, RedisKeys keys) : ISessionStore
{
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await redis.GetDatabase().StringGetAsync(keys.Session(key)).ConfigureAwait(false);

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        return redis.GetDatabase().StringSetAsync(keys.Session(key), value, ttl);
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        redis.GetDatabase().KeyDeleteAsync(keys.Session(key));
}
