using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using StackExchange.Redis;

namespace ChatBot.Host.Redis;

/// <summary>
/// Lock with <c>SET NX PX</c> and a random token; release deletes the key only if it still holds our token, so a
/// holder whose lease ran out cannot release someone else's lock. Waiting polls briefly; contention here is low
/// (a job or a send per key), so pub/sub wake-ups would be complexity without benefit.
/// </summary>
internal sealed class RedisDistributedLock(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time) : IDistributedLock
{
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private static readonly TimeSpan ShortestPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(50);

    public async Task<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(lease);
        SharedStateArguments.RequireWait(wait);
        var deadline = wait == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : time.GetUtcNow() + wait;
        var redisKey = (RedisKey)keys.Lock(key);
        var token = Guid.NewGuid().ToString("N");
        var db = redis.GetDatabase();

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await db.StringSetAsync(redisKey, token, lease, When.NotExists).ConfigureAwait(false))
                return new Handle(db, redisKey, token);

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero) return null;
            // Jitter keeps a crowd of waiters from polling in lock step.
            var poll = TimeSpan.FromMilliseconds(Random.Shared.Next((int)ShortestPoll.TotalMilliseconds, (int)LongestPoll.TotalMilliseconds));
            await Task.Delay(poll < left ? poll : left, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Handle(IDatabase db, RedisKey key, string token) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            await db.ScriptEvaluateAsync(ReleaseScript, [key], [token]).ConfigureAwait(false);
        }
    }
}
