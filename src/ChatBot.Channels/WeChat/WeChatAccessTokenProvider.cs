using System.Text.Json;
using ChatBot.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.WeChat;

/// <summary>An access token, or why there is none.</summary>
public readonly record struct WeChatAccessToken(string? Value, WeChatApiOutcome Outcome)
{
    public bool HasValue => Value is not null;
}

/// <summary>
/// The account's access token from the stable_token API, kept in the shared <see cref="ISessionStore"/> so
/// every instance uses the same one. It is refreshed ahead of expiry by one instance at a time: the refresher
/// holds an <see cref="IDistributedLock"/> and re-reads the store inside it, so instances that queued behind
/// it pick up the new token instead of calling WeChat again. The token and the secret are never logged.
/// </summary>
public sealed partial class WeChatAccessTokenProvider(
    IHttpClientFactory httpClients,
    ISessionStore store,
    IDistributedLock locks,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    ILogger<WeChatAccessTokenProvider> logger)
{
    /// <summary>The platform renews a stable token 5 minutes before it expires; ask for the new one from then on.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LockLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);

    // A local copy spares a store round trip per API call; the store stays the source of truth.
    private StoredToken? _local;

    private string StoreKey => "wechat:access-token:" + options.Value.AppId;

    /// <summary>A token valid for a while yet, fetching or refreshing one when needed.</summary>
    public async Task<WeChatAccessToken> GetTokenAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var local = Volatile.Read(ref _local);
        if (local is not null && now < local.RefreshAt)
            return Valid(local);

        var stored = await ReadAsync(ct).ConfigureAwait(false);
        if (stored is not null && now < stored.RefreshAt)
            return Remember(stored);

        return await RefreshAsync(rejected: null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// WeChat refused <paramref name="rejected"/> (40001 / 40014 / 42001). Unless another instance has
    /// already replaced it, fetch a new one with force_refresh.
    /// </summary>
    public Task<WeChatAccessToken> RefreshRejectedAsync(string rejected, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(rejected);
        var local = Volatile.Read(ref _local);
        if (local is not null && local.Value == rejected)
            Interlocked.CompareExchange(ref _local, null, local);
        return RefreshAsync(rejected, ct);
    }

    private async Task<WeChatAccessToken> RefreshAsync(string? rejected, CancellationToken ct)
    {
        await using var held = await locks.TryAcquireAsync(StoreKey, LockLease, LockWait, ct).ConfigureAwait(false);
        var current = await ReadAsync(ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (held is null)
        {
            // Another instance has been refreshing for longer than we wait; use what is stored if still valid.
            LogLockTimeout(logger);
            return current is not null && current.Value != rejected && now < current.ExpiresAt
                ? Remember(current)
                : new WeChatAccessToken(null, WeChatApiOutcome.TransientFailure("token refresh in progress elsewhere"));
        }

        // Re-read inside the lock: whoever held it before us may have refreshed already.
        if (current is not null && current.Value != rejected && now < current.RefreshAt)
            return Remember(current);

        var forceRefresh = rejected is not null;
        var settings = options.Value;
        var http = httpClients.CreateClient(WeChatHttp.ClientName);
        var (response, failure) = await WeChatHttp.PostAsync(
            http, "cgi-bin/stable_token",
            new StableTokenRequest("client_credential", settings.AppId, settings.AppSecret, forceRefresh), ct).ConfigureAwait(false);
        failure ??= response is { ErrorCode: not 0 } ? WeChatApiOutcome.FromErrorCode(response.ErrorCode, response.ErrorMessage) : null;
        if (failure is not null || string.IsNullOrEmpty(response?.AccessToken) || response.ExpiresIn <= 0)
        {
            failure ??= new WeChatApiOutcome(WeChatApiStatus.Failed, 0, "stable_token answered without a token");
            LogFetchFailed(logger, failure.Status, failure.ErrorCode);
            return new WeChatAccessToken(null, failure);
        }

        var fetchedAt = time.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(response.ExpiresIn);
        // Short lifetimes (the platform guarantees at least 300 s) are refreshed at half-life instead.
        var ahead = lifetime > RefreshAhead * 2 ? RefreshAhead : lifetime / 2;
        var token = new StoredToken(response.AccessToken, fetchedAt + lifetime, fetchedAt + lifetime - ahead);
        await store.SetAsync(StoreKey, JsonSerializer.Serialize(token), lifetime, ct).ConfigureAwait(false);
        LogRefreshed(logger, forceRefresh, response.ExpiresIn);
        return Remember(token);
    }

    private async Task<StoredToken?> ReadAsync(CancellationToken ct)
    {
        var json = await store.GetAsync(StoreKey, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize<StoredToken>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private WeChatAccessToken Remember(StoredToken token)
    {
        Volatile.Write(ref _local, token);
        return Valid(token);
    }

    private static WeChatAccessToken Valid(StoredToken token) => new(token.Value, WeChatApiOutcome.Ok());

    private sealed record StoredToken(string Value, DateTimeOffset ExpiresAt, DateTimeOffset RefreshAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat access token refreshed (force {Force}, expires in {ExpiresIn} s)")]
    private static partial void LogRefreshed(ILogger logger, bool force, int expiresIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat access token could not be fetched: {Status} (errcode {ErrorCode})")]
    private static partial void LogFetchFailed(ILogger logger, WeChatApiStatus status, int errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timed out waiting for the WeChat access-token lock")]
    private static partial void LogLockTimeout(ILogger logger);
}
