namespace ChatBot.Core.Ports.InProcess;

/// <summary>Session state for a single instance (embedded mode).</summary>
public sealed class InProcessSessionStore(TimeProvider time) : ISessionStore
{
    private readonly ExpiringMap<string> _values = new(time);

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_values.TryGet(key, out var value) ? value : null);

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        _values.Set(key, value, ttl);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        _values.Remove(key);
        return Task.CompletedTask;
    }
}
