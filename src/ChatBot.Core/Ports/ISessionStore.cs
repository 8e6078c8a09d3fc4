namespace ChatBot.Core.Ports;

/// <summary>Short-lived shared state with a TTL: dialog state, numbered-choice context, cached tokens.</summary>
public interface ISessionStore
{
    Task<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default);

    Task RemoveAsync(string key, CancellationToken cancellationToken = default);
}
