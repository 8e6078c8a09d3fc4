using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.UnitTests.SharedState;

/// <summary>Exact TTL edges and memory release of the in-process stores, which only a fake clock can pin.</summary>
public sealed class InProcessExpiryTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task DedupeTryClaimAsync_KeepsClaim_UntilTtlEndsExactly()
    {
        var dedupe = new InProcessDedupeStore(_clock);
        await dedupe.TryClaimAsync("m", TimeSpan.FromMinutes(5));

        _clock.Advance(TimeSpan.FromMinutes(5) - Tick);
        var beforeEnd = await dedupe.TryClaimAsync("m", TimeSpan.FromMinutes(5));
        _clock.Advance(Tick);
        var atEnd = await dedupe.TryClaimAsync("m", TimeSpan.FromMinutes(5));

        Assert.False(beforeEnd);
        Assert.True(atEnd);
    }

    [Fact]
    public async Task DedupeGetResultAsync_ReturnsNull_WhenResultTtlEnded()
    {
        var dedupe = new InProcessDedupeStore(_clock);
        await dedupe.SetResultAsync("m", "reply", TimeSpan.FromMinutes(5));

        _clock.Advance(TimeSpan.FromMinutes(5) - Tick);
        var beforeEnd = await dedupe.GetResultAsync("m");
        _clock.Advance(Tick);

        Assert.Equal("reply", beforeEnd);
        Assert.Null(await dedupe.GetResultAsync("m"));
    }

    [Fact]
    public async Task SessionSetAsync_RestartsTtl_WhenValueWrittenAgain()
    {
        var sessions = new InProcessSessionStore(_clock);
        await sessions.SetAsync("s", "one", TimeSpan.FromMinutes(5));
        _clock.Advance(TimeSpan.FromMinutes(4));
        await sessions.SetAsync("s", "two", TimeSpan.FromMinutes(5));

        _clock.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal("two", await sessions.GetAsync("s"));
    }

    [Fact]
    public void ExpiringMap_DropsUntouchedExpiredEntries_AFewPerAccess_WhenTheirSecondPassed()
    {
        var map = new ExpiringMap<string>(_clock);
        for (var i = 0; i < 1000; i++) map.Set($"k{i}", "v", TimeSpan.FromSeconds(10));
        map.Set("long-lived", "v", TimeSpan.FromHours(1));
        var before = map.Count;

        _clock.Advance(TimeSpan.FromSeconds(11));
        map.TryGet("unrelated", out _);
        var afterOneAccess = map.Count;
        for (var i = 0; i < 1000 / ExpiryWheel<string>.MaxPerAccess; i++) map.TryGet("unrelated", out _);

        Assert.Equal(1001, before);
        // No access pays for the whole sweep: one access drops at most a bounded few.
        Assert.Equal(1001 - ExpiryWheel<string>.MaxPerAccess, afterOneAccess);
        Assert.Equal(1, map.Count);
        Assert.True(map.TryGet("long-lived", out _));
    }

    [Fact]
    public void ExpiringMap_KeepsEntryWrittenAgain_WhenItsFirstExpiryPassed()
    {
        var map = new ExpiringMap<string>(_clock);
        map.Set("k", "first", TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromSeconds(5));
        map.Set("k", "second", TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(7));
        for (var i = 0; i < 4; i++) map.TryGet("unrelated", out _);

        Assert.True(map.TryGet("k", out var value));
        Assert.Equal("second", value);
    }

    [Fact]
    public async Task DedupeClaimForAsync_ForgetsOwnerClaims_WhenTheirTtlEnded()
    {
        var dedupe = new InProcessDedupeStore(_clock);
        for (var i = 0; i < 500; i++) await dedupe.ClaimForAsync($"wx:nonce:{i}", $"msg-{i}", TimeSpan.FromSeconds(30));
        var before = dedupe.OwnerClaimCount;

        _clock.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < 500 / ExpiryWheel<ulong>.MaxPerAccess + 1; i++) await dedupe.ClaimForAsync("wx:nonce:other", "msg-x", TimeSpan.FromSeconds(30));

        Assert.Equal(500, before);
        Assert.Equal(1, dedupe.OwnerClaimCount);
        Assert.Equal(OwnerClaim.Claimed, await dedupe.ClaimForAsync("wx:nonce:7", "msg-other", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task RateLimiter_ForgetsIdleKeys_WhenWindowAndPauseEnded()
    {
        var limiter = new InProcessRateLimiter(_clock);
        for (var i = 0; i < 100; i++) await limiter.TryAcquireAsync($"robot-{i}", 20, TimeSpan.FromSeconds(30));
        await limiter.PauseAsync("paused-robot", TimeSpan.FromHours(1));
        var before = limiter.KeyCount;

        _clock.Advance(TimeSpan.FromMinutes(2));
        await limiter.GetPauseAsync("unrelated");

        Assert.Equal(101, before);
        Assert.Equal(1, limiter.KeyCount);
        Assert.NotNull(await limiter.GetPauseAsync("paused-robot"));
    }

    [Fact]
    public async Task RateLimiter_TryAcquireAsync_Throws_WhenLimitBelowOne()
    {
        var limiter = new InProcessRateLimiter(_clock);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => limiter.TryAcquireAsync("k", 0, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task DedupeTryClaimAsync_Throws_WhenTtlNotPositive()
    {
        var dedupe = new InProcessDedupeStore(_clock);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => dedupe.TryClaimAsync("m", TimeSpan.Zero));
    }
}
