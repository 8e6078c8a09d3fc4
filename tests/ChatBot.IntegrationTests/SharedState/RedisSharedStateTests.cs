using ChatBot.Core.Ports;
using ChatBot.Host.Redis;
using ChatBot.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace ChatBot.IntegrationTests.SharedState;

/// <summary>
/// The shared-state contract for Redis, plus what only a shared server can show: two hosts (two connections)
/// share claims, budgets and locks. Every test gets its own key prefix, so tests never see each other's keys.
/// </summary>
public sealed class RedisSharedStateTests(RedisFixture redis) : SharedStateContractTests, IClassFixture<RedisFixture>
{
    private static readonly TimeSpan PollBound = TimeSpan.FromSeconds(15);

    private readonly RedisKeys _keys = new($"chatbot:test:{Guid.NewGuid():N}:");

    protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(1);

    protected override IDedupeStore CreateDedupeStore() => new RedisDedupeStore(HostA(), _keys);

    protected override ISessionStore CreateSessionStore() => new RedisSessionStore(HostA(), _keys);

    protected override IRateLimiter CreateRateLimiter() => new RedisRateLimiter(HostA(), _keys, Clock);

    protected override IAttemptCounter CreateAttemptCounter() => new RedisAttemptCounter(HostA(), _keys);

    protected override IDistributedLock CreateLock() => new RedisDistributedLock(HostA(), _keys, TimeProvider.System);

    /// <summary>Redis expires keys on its own clock: poll until the condition holds, within a generous bound.</summary>
    protected override async Task<bool> EventuallyAfterTtlAsync(TimeSpan ttl, Func<Task<bool>> condition)
    {
        var giveUp = DateTime.UtcNow + ttl + PollBound;
        while (DateTime.UtcNow < giveUp)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return false;
    }

    [SkippableFact]
    public async Task Dedupe_TryClaimAsync_GrantsExactlyOne_WhenTwoHostsClaimInParallel()
    {
        var (a, b) = Hosts();
        var hostA = new RedisDedupeStore(a, _keys);
        var hostB = new RedisDedupeStore(b, _keys);

        var claims = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => Task.Run(() => (i % 2 == 0 ? hostA : hostB).TryClaimAsync("wx:msg-1", LongTtl))));
        await hostA.SetResultAsync("wx:msg-1", "reply", LongTtl);

        Assert.Equal(1, claims.Count(c => c));
        Assert.Equal("reply", await hostB.GetResultAsync("wx:msg-1"));
    }

    [SkippableFact]
    public async Task RateLimiter_TryAcquireAsync_SharesBudget_WhenTwoHostsSendToOneRobot()
    {
        var (a, b) = Hosts();
        var hostA = new RedisRateLimiter(a, _keys, Clock);
        var hostB = new RedisRateLimiter(b, _keys, Clock);

        var allowedA = await AcquireAsync(hostA, "robot-1", 10);
        var allowedB = await AcquireAsync(hostB, "robot-1", 10);
        var deniedA = await hostA.TryAcquireAsync("robot-1", 20, Minute);
        await hostB.PauseAsync("robot-2", Minute);

        Assert.Equal(10, allowedA);
        Assert.Equal(10, allowedB);
        Assert.False(deniedA.Allowed);
        Assert.Equal(Minute, await hostA.GetPauseAsync("robot-2"));
    }

    [SkippableFact]
    public async Task Lock_TryAcquireAsync_ReturnsNull_WhenOtherHostHoldsIt()
    {
        var (a, b) = Hosts();
        var hostA = new RedisDistributedLock(a, _keys, TimeProvider.System);
        var hostB = new RedisDistributedLock(b, _keys, TimeProvider.System);

        var held = await hostA.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);
        var blocked = await hostB.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.FromMilliseconds(200));
        Assert.NotNull(held);
        await held.DisposeAsync();
        var afterRelease = await hostB.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);

        Assert.Null(blocked);
        Assert.NotNull(afterRelease);
        await afterRelease.DisposeAsync();
    }

    [SkippableFact]
    public async Task RateLimiter_TryAcquireAsync_StoresWindowUnderPrefixWithExpiry_WhenPermitTaken()
    {
        var (a, _) = Hosts();
        var limiter = new RedisRateLimiter(a, _keys, Clock);

        await limiter.TryAcquireAsync("robot-1", 20, Minute);

        // The key nobody touches again must go away by itself, or idle robots would stay in Redis forever.
        var ttl = await a.GetDatabase().KeyTimeToLiveAsync($"{_keys.Prefix}rl:{{robot-1}}");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), Minute);
    }

    private IConnectionMultiplexer HostA() => Hosts().HostA;

    private (IConnectionMultiplexer HostA, IConnectionMultiplexer HostB) Hosts()
    {
        TestServices.RequireRedis();
        return redis.ConnectAsync().GetAwaiter().GetResult();
    }
}
