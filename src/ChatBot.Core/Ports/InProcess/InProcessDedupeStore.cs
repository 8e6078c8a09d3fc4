namespace ChatBot.Core.Ports.InProcess;

/// <summary>Dedupe for a single instance (embedded mode): claims and parked results live in process memory.</summary>
public sealed class InProcessDedupeStore(TimeProvider time) : IDedupeStore
{
    private readonly ExpiringMap<bool> _claims = new(time);
    private readonly ExpiringMap<string> _results = new(time);
    private readonly ExpiringMap<string> _owners = new(time);

    public Task<bool> TryClaimAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        return Task.FromResult(_claims.TryAdd(key, true, ttl));
    }

    public Task<string?> ClaimForAsync(string key, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        return Task.FromResult(_owners.TryAdd(key, owner, ttl, out var holder) ? null : holder);
    }

    public Task SetResultAsync(string key, string result, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        SharedStateArguments.RequirePositive(ttl);
        _results.Set(key, result, ttl);
        return Task.CompletedTask;
    }

    public Task<string?> GetResultAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_results.TryGet(key, out var result) ? result : null);
}
