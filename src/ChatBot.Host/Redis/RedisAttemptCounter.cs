using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using StackExchange.Redis;

namespace ChatBot.Host.Redis;

/// <summary>INCR plus an expiry set only by the first increment, in one script: a fixed window shared by all instances.</summary>
internal sealed class RedisAttemptCounter(IConnectionMultiplexer redis, RedisKeys keys) : IAttemptCounter
{
    // KEYS[1] counter; ARGV[1] window (ms).
    private const string IncrementScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return n
        """;

    public async Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(window);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            IncrementScript, [keys.Attempts(key)], [(long)Math.Ceiling(window.TotalMilliseconds)]).ConfigureAwait(false);
        return (long)result;
    }

    public async Task<long> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var value = await redis.GetDatabase().StringGetAsync(keys.Attempts(key)).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    public Task ResetAsync(string key, CancellationToken cancellationToken = default) =>
        redis.GetDatabase().KeyDeleteAsync(keys.Attempts(key));
}
