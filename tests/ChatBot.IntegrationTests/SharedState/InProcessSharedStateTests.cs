using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;

namespace ChatBot.IntegrationTests.SharedState;

/// <summary>The shared-state contract for the embedded (single instance) implementations.</summary>
public sealed class InProcessSharedStateTests : SharedStateContractTests
{
    protected override TimeSpan ShortTtl => TimeSpan.FromMinutes(1);

    protected override IDedupeStore CreateDedupeStore() => new InProcessDedupeStore(Clock);

    protected override ISessionStore CreateSessionStore() => new InProcessSessionStore(Clock);

    protected override IRateLimiter CreateRateLimiter() => new InProcessRateLimiter(Clock);

    protected override IAttemptCounter CreateAttemptCounter() => new InProcessAttemptCounter(Clock);

    // Lock tests wait on real time (bounded, never asserted); fake-clock waits are covered by the unit tests.
    protected override IDistributedLock CreateLock() => new InProcessDistributedLock(TimeProvider.System);

    protected override async Task<bool> EventuallyAfterTtlAsync(TimeSpan ttl, Func<Task<bool>> condition)
    {
        Clock.Advance(ttl);
        return await condition();
    }
}
