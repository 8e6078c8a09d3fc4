using ChatBot.Core.Ports.InProcess;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.UnitTests.SharedState;

public sealed class InProcessDistributedLockTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task TryAcquireAsync_ReturnsNull_WhenFakeClockPassesWait()
    {
        var locks = new InProcessDistributedLock(_clock);
        await using var held = await locks.TryAcquireAsync("k", Hour, TimeSpan.Zero);

        var waiting = locks.TryAcquireAsync("k", Hour, TimeSpan.FromSeconds(5));
        _clock.Advance(TimeSpan.FromSeconds(4));
        var stillWaiting = !waiting.IsCompleted;
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(held);
        Assert.True(stillWaiting);
        Assert.Null(await waiting);
    }

    [Fact]
    public async Task TryAcquireAsync_Succeeds_WhenHolderLeaseEndsOnFakeClock()
    {
        var locks = new InProcessDistributedLock(_clock);
        var abandoned = await locks.TryAcquireAsync("k", TimeSpan.FromMinutes(1), TimeSpan.Zero);

        var waiting = locks.TryAcquireAsync("k", Hour, Hour);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var next = await waiting;

        Assert.NotNull(abandoned);
        Assert.NotNull(next);
        await abandoned.DisposeAsync();
        Assert.Null(await locks.TryAcquireAsync("k", Hour, TimeSpan.Zero));
    }

    [Fact]
    public async Task TryAcquireAsync_ThrowsOperationCanceled_WhenCancelledWhileWaiting()
    {
        var locks = new InProcessDistributedLock(_clock);
        await using var held = await locks.TryAcquireAsync("k", Hour, TimeSpan.Zero);
        using var cancel = new CancellationTokenSource();

        var waiting = locks.TryAcquireAsync("k", Hour, Hour, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task DisposeAsync_ForgetsKey_WhenReleased()
    {
        var locks = new InProcessDistributedLock(_clock);
        var first = await locks.TryAcquireAsync("a", Hour, TimeSpan.Zero);
        var second = await locks.TryAcquireAsync("b", Hour, TimeSpan.Zero);
        var heldBefore = locks.HeldCount;

        await first!.DisposeAsync();
        await second!.DisposeAsync();

        Assert.Equal(2, heldBefore);
        Assert.Equal(0, locks.HeldCount);
    }

    [Fact]
    public async Task TryAcquireAsync_SweepsAbandonedHolders_WhenTheirLeaseEnded()
    {
        var locks = new InProcessDistributedLock(_clock);
        for (var i = 0; i < 100; i++)
            Assert.NotNull(await locks.TryAcquireAsync($"never-released-{i}", TimeSpan.FromSeconds(30), TimeSpan.Zero));

        _clock.Advance(TimeSpan.FromMinutes(2));
        await using var other = await locks.TryAcquireAsync("other", Hour, TimeSpan.Zero);

        Assert.Equal(1, locks.HeldCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task TryAcquireAsync_Throws_WhenLeaseNotPositive(int leaseSeconds)
    {
        var locks = new InProcessDistributedLock(_clock);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => locks.TryAcquireAsync("k", TimeSpan.FromSeconds(leaseSeconds), TimeSpan.Zero));
    }
}
