using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using StackExchange.Redis;

namespace ChatBot.Host.Redis;

/// <summary>
/// Rolling-window limiter shared by all instances: a sorted set of permit times per key, trimmed, counted and added
/// to in one Lua script so two instances can never both take the last permit.
/// <para>
/// "Now" is the injected <see cref="TimeProvider"/>'s time passed to the script, not Redis's own clock. That keeps
/// the limiter testable with a fake clock and identical to the in-process one; the cost is that instances' clocks
/// must agree to within what the limit tolerates (NTP does this easily for per-minute limits). The same holds for
/// pauses, whose key stores the end time; Redis TTLs only remove keys nobody uses any more.
/// </para>
/// </summary>
internal sealed class RedisRateLimiter(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time) : IRateLimiter
{
    // KEYS[1] window set, KEYS[2] pause key; ARGV[1] now (ms), ARGV[2] window (ms), ARGV[3] limit, ARGV[4] unique member.
    // Returns {1, 0} when the permit was taken, else {0, retry-after ms}.
    private const string AcquireScript = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        local paused_until = tonumber(redis.call('GET', KEYS[2]) or '0')
        if paused_until > now then
          return {0, paused_until - now}
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        if count < limit then
          redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {1, 0}
        end
        local frees = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
        return {0, tonumber(frees[2]) + window - now}
        """;

    // KEYS[1] pause key; ARGV[1] pause end (ms), ARGV[2] duration (ms). A shorter pause never shortens a longer one.
    private const string PauseScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tonumber(ARGV[1]) > current then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        end
        return 0
        """;

    public async Task<RateLimitDecision> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequireLimit(limit);
        SharedStateArguments.RequirePositive(window);
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            AcquireScript,
            [keys.RateWindow(key), keys.RatePause(key)],
            [NowMs(), WholeMs(window), limit, Guid.NewGuid().ToString("N")]).ConfigureAwait(false))!;
        return (int)result[0] == 1
            ? RateLimitDecision.Allow
            : RateLimitDecision.Deny(TimeSpan.FromMilliseconds((long)result[1]));
    }

    public Task PauseAsync(string key, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(duration);
        var durationMs = WholeMs(duration);
        return redis.GetDatabase().ScriptEvaluateAsync(PauseScript, [keys.RatePause(key)], [NowMs() + durationMs, durationMs]);
    }

    public async Task<TimeSpan?> GetPauseAsync(string key, CancellationToken cancellationToken = default)
    {
        var value = await redis.GetDatabase().StringGetAsync(keys.RatePause(key)).ConfigureAwait(false);
        if (value.IsNull) return null;
        var remaining = (long)value - NowMs();
        return remaining > 0 ? TimeSpan.FromMilliseconds(remaining) : null;
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Redis counts in whole milliseconds; round up so a window is never shorter than asked.</summary>
    private static long WholeMs(TimeSpan span) => (long)Math.Ceiling(span.TotalMilliseconds);
}
