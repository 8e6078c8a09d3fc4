namespace ChatBot.Channels.DingTalk;

/// <summary>
/// The app access token, shared by every <see cref="DingTalkApiClient"/> instance (typed HttpClients are
/// transient, so the cache must live elsewhere). DingTalk does not invalidate the previous token when a new one
/// is fetched, so one cache per process is enough even with several instances.
/// </summary>
public sealed class DingTalkAccessTokenCache(TimeProvider time)
{
    /// <summary>Refresh this long before expiry so a token never dies in flight.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile CachedToken? _current;

    /// <summary>
    /// Returns the cached token, or runs <paramref name="fetch"/> once (concurrent callers wait for that one fetch).
    /// </summary>
    public async Task<string> GetAsync(Func<CancellationToken, Task<(string Token, TimeSpan ExpiresIn)>> fetch, CancellationToken ct)
    {
        if (Fresh(_current) is { } token)
            return token;

        await _refreshGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Fresh(_current) is { } fetchedMeanwhile)
                return fetchedMeanwhile;
            var (value, expiresIn) = await fetch(ct).ConfigureAwait(false);
            // A lifetime shorter than the margin would never be "fresh"; use half of it instead.
            var usable = expiresIn > RefreshMargin * 2 ? expiresIn - RefreshMargin : expiresIn / 2;
            _current = new CachedToken(value, time.GetUtcNow() + usable);
            return value;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Drops <paramref name="token"/> if it is still the cached one (DingTalk refused it).</summary>
    public void Invalidate(string token)
    {
        var current = _current;
        if (current is not null && string.Equals(current.Value, token, StringComparison.Ordinal))
            Interlocked.CompareExchange(ref _current, null, current);
    }

    private string? Fresh(CachedToken? cached) =>
        cached is not null && time.GetUtcNow() < cached.RefreshAt ? cached.Value : null;

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);
}
