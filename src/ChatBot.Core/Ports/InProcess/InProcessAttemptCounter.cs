namespace ChatBot.Core.Ports.InProcess;

/// <summary>Attempt counters for a single instance (embedded mode); the window is measured on the injected clock.</summary>
public sealed class InProcessAttemptCounter(TimeProvider time) : IAttemptCounter
{
    private readonly ExpiringMap<long> _counts = new(time);

    public Task<long> IncrementAsync(string key, TimeSpan window, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(window);
        return Task.FromResult(_counts.Update(key, 1, count => count + 1, window));
    }

    public Task<long> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_counts.TryGet(key, out var count) ? count : 0);

    public Task ResetAsync(string key, CancellationToken cancellationToken = default)
    {
        _counts.Remove(key);
        return Task.CompletedTask;
    }
}
