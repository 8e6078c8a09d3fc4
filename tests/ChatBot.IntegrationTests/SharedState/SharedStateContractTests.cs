using ChatBot.Core.Ports;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.SharedState;

/// <summary>
/// The behaviour every shared-state implementation must show. Each implementation derives once and supplies the
/// stores; the in-process one runs everywhere, the Redis one against the server scripts/test.sh starts.
/// Rate-limiter time comes from <see cref="Clock"/> in both; TTL expiry of dedupe claims and sessions is the
/// implementation's own business (<see cref="EventuallyAfterTtlAsync"/>); locks wait on real time with short bounds.
/// </summary>
public abstract class SharedStateContractTests
{
    protected static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    protected static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(10);

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.Zero));

    protected abstract IDedupeStore CreateDedupeStore();

    protected abstract ISessionStore CreateSessionStore();

    protected abstract IRateLimiter CreateRateLimiter();

    protected abstract IDistributedLock CreateLock();

    protected abstract IAttemptCounter CreateAttemptCounter();

    /// <summary>A TTL short enough for <see cref="EventuallyAfterTtlAsync"/> to see it pass.</summary>
    protected abstract TimeSpan ShortTtl { get; }

    /// <summary>Lets <paramref name="ttl"/> pass and reports whether <paramref name="condition"/> then holds (polling within a bound where time is real).</summary>
    protected abstract Task<bool> EventuallyAfterTtlAsync(TimeSpan ttl, Func<Task<bool>> condition);

    [SkippableFact]
    public async Task Dedupe_TryClaimAsync_ReturnsTrueOnlyFirstTime_WhenClaimedTwice()
    {
        var dedupe = CreateDedupeStore();

        Assert.True(await dedupe.TryClaimAsync("wx:msg-1", LongTtl));
        Assert.False(await dedupe.TryClaimAsync("wx:msg-1", LongTtl));
        Assert.True(await dedupe.TryClaimAsync("wx:msg-2", LongTtl));
    }

    [SkippableFact]
    public async Task Dedupe_TryClaimAsync_GrantsExactlyOne_WhenFiftyClaimInParallel()
    {
        var dedupe = CreateDedupeStore();

        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => dedupe.TryClaimAsync("wx:retry-storm", LongTtl))));

        Assert.Equal(1, claims.Count(c => c));
    }

    [SkippableFact]
    public async Task Dedupe_ClaimForAsync_TellsSameOwnerFromAnother_WhenClaimedAgain()
    {
        var dedupe = CreateDedupeStore();

        Assert.Equal(OwnerClaim.Claimed, await dedupe.ClaimForAsync("wx:nonce:1", "msg-a", LongTtl));
        Assert.Equal(OwnerClaim.HeldByOther, await dedupe.ClaimForAsync("wx:nonce:1", "msg-b", LongTtl));
        Assert.Equal(OwnerClaim.HeldBySameOwner, await dedupe.ClaimForAsync("wx:nonce:1", "msg-a", LongTtl));
        Assert.Equal(OwnerClaim.Claimed, await dedupe.ClaimForAsync("wx:nonce:2", "msg-b", LongTtl));
    }

    [SkippableFact]
    public async Task Dedupe_ClaimForAsync_GrantsExactlyOneOwner_WhenTwentyClaimInParallel()
    {
        var dedupe = CreateDedupeStore();

        var holders = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => dedupe.ClaimForAsync("wx:nonce:storm", $"msg-{i}", LongTtl))));

        Assert.Single(holders, h => h == OwnerClaim.Claimed);
        Assert.Equal(19, holders.Count(h => h == OwnerClaim.HeldByOther));
    }

    [SkippableFact]
    public async Task Attempts_IncrementAsync_CountsUpUntilReset_WhenCalledRepeatedly()
    {
        var attempts = CreateAttemptCounter();

        Assert.Equal(0, await attempts.GetAsync("bind:u1"));
        Assert.Equal(1, await attempts.IncrementAsync("bind:u1", LongTtl));
        Assert.Equal(2, await attempts.IncrementAsync("bind:u1", LongTtl));
        Assert.Equal(1, await attempts.IncrementAsync("bind:u2", LongTtl));
        Assert.Equal(2, await attempts.GetAsync("bind:u1"));
        await attempts.ResetAsync("bind:u1");
        Assert.Equal(0, await attempts.GetAsync("bind:u1"));
        Assert.Equal(1, await attempts.GetAsync("bind:u2"));
    }

    [SkippableFact]
    public async Task Attempts_IncrementAsync_LosesNoIncrement_WhenFiftyRunInParallel()
    {
        var attempts = CreateAttemptCounter();

        var counts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => attempts.IncrementAsync("bind:storm", LongTtl))));

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), counts.OrderBy(c => c));
        Assert.Equal(50, await attempts.GetAsync("bind:storm"));
    }

    [SkippableFact]
    public async Task Attempts_GetAsync_ReturnsZero_WhenWindowFromFirstIncrementPassed()
    {
        var attempts = CreateAttemptCounter();
        await attempts.IncrementAsync("bind:u1", ShortTtl);

        Assert.True(await EventuallyAfterTtlAsync(ShortTtl, async () => await attempts.GetAsync("bind:u1") == 0));
        Assert.Equal(1, await attempts.IncrementAsync("bind:u1", LongTtl));
    }

    [SkippableFact]
    public async Task Dedupe_GetResultAsync_ReturnsParkedResult_WhenSet()
    {
        var dedupe = CreateDedupeStore();

        Assert.Null(await dedupe.GetResultAsync("wx:msg-1"));
        await dedupe.SetResultAsync("wx:msg-1", "<xml>已收到，谢谢</xml>", LongTtl);

        Assert.Equal("<xml>已收到，谢谢</xml>", await dedupe.GetResultAsync("wx:msg-1"));
        Assert.Null(await dedupe.GetResultAsync("wx:msg-2"));
    }

    [SkippableFact]
    public async Task Dedupe_TryClaimAsync_ReturnsTrueAgain_WhenTtlPassed()
    {
        var dedupe = CreateDedupeStore();
        Assert.True(await dedupe.TryClaimAsync("wx:msg-1", ShortTtl));
        Assert.False(await dedupe.TryClaimAsync("wx:msg-1", ShortTtl));

        // The successful claim inside the condition is the one under test: it re-claims once the first expired.
        Assert.True(await EventuallyAfterTtlAsync(ShortTtl, () => dedupe.TryClaimAsync("wx:msg-1", LongTtl)));
        Assert.False(await dedupe.TryClaimAsync("wx:msg-1", LongTtl));
    }

    [SkippableFact]
    public async Task Session_GetAsync_ReturnsLastValue_WhenSetTwice()
    {
        var sessions = CreateSessionStore();

        Assert.Null(await sessions.GetAsync("dialog:o-member-1"));
        await sessions.SetAsync("dialog:o-member-1", "quiz:q1", LongTtl);
        await sessions.SetAsync("dialog:o-member-1", "quiz:q2 第二题", LongTtl);

        Assert.Equal("quiz:q2 第二题", await sessions.GetAsync("dialog:o-member-1"));
        Assert.Null(await sessions.GetAsync("dialog:o-member-2"));
    }

    [SkippableFact]
    public async Task Session_RemoveAsync_DeletesValue_WhenPresent()
    {
        var sessions = CreateSessionStore();
        await sessions.SetAsync("dialog:o-member-1", "quiz:q1", LongTtl);
        await sessions.SetAsync("dialog:o-member-2", "quiz:q1", LongTtl);

        await sessions.RemoveAsync("dialog:o-member-1");
        await sessions.RemoveAsync("dialog:never-set");

        Assert.Null(await sessions.GetAsync("dialog:o-member-1"));
        Assert.Equal("quiz:q1", await sessions.GetAsync("dialog:o-member-2"));
    }

    [SkippableFact]
    public async Task Session_GetAsync_ReturnsNull_WhenTtlPassed()
    {
        var sessions = CreateSessionStore();
        await sessions.SetAsync("dialog:o-member-1", "quiz:q1", ShortTtl);
        Assert.Equal("quiz:q1", await sessions.GetAsync("dialog:o-member-1"));

        Assert.True(await EventuallyAfterTtlAsync(ShortTtl, async () => await sessions.GetAsync("dialog:o-member-1") is null));
    }

    [SkippableFact]
    public async Task RateLimiter_TryAcquireAsync_DeniesWithRetryAfter_WhenLimitReached()
    {
        var limiter = CreateRateLimiter();

        for (var i = 0; i < 20; i++)
            Assert.True((await limiter.TryAcquireAsync("robot-1", 20, Minute)).Allowed, $"permit {i + 1} of 20");
        var denied = await limiter.TryAcquireAsync("robot-1", 20, Minute);

        Assert.False(denied.Allowed);
        Assert.True(denied.RetryAfter > TimeSpan.Zero);
        Assert.Equal(Minute, denied.RetryAfter);
    }

    [SkippableFact]
    public async Task RateLimiter_TryAcquireAsync_AllowsAgain_WhenWindowPassed()
    {
        var limiter = CreateRateLimiter();
        await AcquireAsync(limiter, "robot-1", 20);

        Clock.Advance(Minute - TimeSpan.FromMilliseconds(1));
        var justBefore = await limiter.TryAcquireAsync("robot-1", 20, Minute);
        Clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(justBefore.Allowed);
        Assert.Equal(TimeSpan.FromMilliseconds(1), justBefore.RetryAfter);
        Assert.Equal(20, await AcquireAsync(limiter, "robot-1", 20));
    }

    [SkippableFact]
    public async Task RateLimiter_TryAcquireAsync_CountsRollingWindow_WhenPermitsSpreadOverTime()
    {
        var limiter = CreateRateLimiter();
        Assert.Equal(10, await AcquireAsync(limiter, "robot-1", 10));
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(10, await AcquireAsync(limiter, "robot-1", 10));
        var atThirty = await limiter.TryAcquireAsync("robot-1", 20, Minute);

        Clock.Advance(TimeSpan.FromSeconds(31));
        // At 61 s the permits from 0 s have left the window, those from 30 s have not: a fixed window would free all 20.
        var allowedAtSixtyOne = await AcquireAsync(limiter, "robot-1", 20);
        var afterThat = await limiter.TryAcquireAsync("robot-1", 20, Minute);

        Assert.Equal(TimeSpan.FromSeconds(30), atThirty.RetryAfter);
        Assert.Equal(10, allowedAtSixtyOne);
        Assert.False(afterThat.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(29), afterThat.RetryAfter);
    }

    [SkippableFact]
    public async Task RateLimiter_TryAcquireAsync_DeniesWithRemainingPause_WhenPaused()
    {
        var limiter = CreateRateLimiter();
        await limiter.PauseAsync("robot-1", TimeSpan.FromMinutes(5));

        var whilePaused = await limiter.TryAcquireAsync("robot-1", 1, Minute);
        Clock.Advance(TimeSpan.FromMinutes(2));
        var pauseLeft = await limiter.GetPauseAsync("robot-1");
        Clock.Advance(TimeSpan.FromMinutes(3));
        var pauseAfter = await limiter.GetPauseAsync("robot-1");
        // Limit 1: denials during the pause must not have used up the budget.
        var afterPause = await limiter.TryAcquireAsync("robot-1", 1, Minute);

        Assert.False(whilePaused.Allowed);
        Assert.Equal(TimeSpan.FromMinutes(5), whilePaused.RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(3), pauseLeft);
        Assert.Null(pauseAfter);
        Assert.True(afterPause.Allowed);
    }

    [SkippableFact]
    public async Task RateLimiter_PauseAsync_KeepsLongerPause_WhenShorterOneFollows()
    {
        var limiter = CreateRateLimiter();

        await limiter.PauseAsync("robot-1", TimeSpan.FromMinutes(10));
        await limiter.PauseAsync("robot-1", TimeSpan.FromMinutes(1));
        var afterShorter = await limiter.GetPauseAsync("robot-1");
        await limiter.PauseAsync("robot-1", TimeSpan.FromMinutes(20));

        Assert.Equal(TimeSpan.FromMinutes(10), afterShorter);
        Assert.Equal(TimeSpan.FromMinutes(20), await limiter.GetPauseAsync("robot-1"));
    }

    [SkippableFact]
    public async Task RateLimiter_TryAcquireAsync_KeepsKeysApart_WhenOneIsExhaustedOrPaused()
    {
        var limiter = CreateRateLimiter();
        await AcquireAsync(limiter, "robot-1", 20);
        await limiter.PauseAsync("robot-2", Minute);

        Assert.False((await limiter.TryAcquireAsync("robot-1", 20, Minute)).Allowed);
        Assert.False((await limiter.TryAcquireAsync("robot-2", 20, Minute)).Allowed);
        Assert.True((await limiter.TryAcquireAsync("robot-3", 20, Minute)).Allowed);
        Assert.Null(await limiter.GetPauseAsync("robot-1"));
        Assert.Equal(Minute, await limiter.GetPauseAsync("robot-2"));
    }

    [SkippableFact]
    public async Task RateLimiter_TryAcquireAsync_AllowsExactlyLimit_WhenCalledInParallel()
    {
        var limiter = CreateRateLimiter();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(() => limiter.TryAcquireAsync("robot-1", 20, Minute))));

        Assert.Equal(20, decisions.Count(d => d.Allowed));
    }

    [SkippableFact]
    public async Task Lock_TryAcquireAsync_ReturnsNull_WhenHeldAndWaitRunsOut()
    {
        var locks = CreateLock();
        await using var held = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);

        var second = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.FromMilliseconds(200));
        var otherKey = await locks.TryAcquireAsync("broadcast-8", LongTtl, TimeSpan.Zero);

        Assert.NotNull(held);
        Assert.Null(second);
        Assert.NotNull(otherKey);
        await otherKey.DisposeAsync();
    }

    [SkippableFact]
    public async Task Lock_TryAcquireAsync_Succeeds_WhenHolderReleased()
    {
        var locks = CreateLock();
        var first = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);
        Assert.NotNull(first);

        await first.DisposeAsync();
        var second = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);

        Assert.NotNull(second);
        await second.DisposeAsync();
    }

    [SkippableFact]
    public async Task Lock_TryAcquireAsync_WakesWaiter_WhenHolderReleasesDuringWait()
    {
        var locks = CreateLock();
        var first = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);
        Assert.NotNull(first);

        var waiting = locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.FromSeconds(30));
        await first.DisposeAsync();
        var second = await waiting;

        Assert.NotNull(second);
        await second.DisposeAsync();
    }

    [SkippableFact]
    public async Task Lock_DisposeAsync_LeavesNextHolderAlone_WhenCalledAgain()
    {
        var locks = CreateLock();
        var first = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);
        Assert.NotNull(first);
        await first.DisposeAsync();
        var second = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);
        Assert.NotNull(second);

        await first.DisposeAsync();
        var third = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);

        Assert.Null(third);
        await second.DisposeAsync();
    }

    [SkippableFact]
    public async Task Lock_TryAcquireAsync_Succeeds_WhenAbandonedLeaseEnds()
    {
        var locks = CreateLock();
        var abandoned = await locks.TryAcquireAsync("broadcast-7", TimeSpan.FromMilliseconds(300), TimeSpan.Zero);
        Assert.NotNull(abandoned);

        var next = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.FromSeconds(30));
        Assert.NotNull(next);
        // The stale handle must not release the lock that now belongs to someone else.
        await abandoned.DisposeAsync();
        var third = await locks.TryAcquireAsync("broadcast-7", LongTtl, TimeSpan.Zero);

        Assert.Null(third);
        await next.DisposeAsync();
    }

    [SkippableFact]
    public async Task Lock_TryAcquireAsync_NeverOverlaps_WhenTwentySectionsRunInParallel()
    {
        var locks = CreateLock();
        var inside = 0;
        var maxInside = 0;
        var completed = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var handle = await locks.TryAcquireAsync("points-ledger", LongTtl, TimeSpan.FromSeconds(60))
                ?? throw new InvalidOperationException("lock not acquired within the bound");
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref inside);
            Interlocked.Increment(ref completed);
        })));

        Assert.Equal(20, completed);
        Assert.Equal(1, maxInside);
    }

    protected async Task<int> AcquireAsync(IRateLimiter limiter, string key, int attempts, int limit = 20)
    {
        var allowed = 0;
        for (var i = 0; i < attempts; i++)
            if ((await limiter.TryAcquireAsync(key, limit, Minute)).Allowed) allowed++;
        return allowed;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
