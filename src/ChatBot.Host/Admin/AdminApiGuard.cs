using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatBot.Core.Domain;
using ChatBot.Host.Configuration;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatBot.Host.Admin;

/// <summary>
/// Guards the <c>/api/v1</c> endpoints: a signed-in console user (cookie) or an API key (<see cref="ApiKey"/>), each
/// scoped to its subtree through <see cref="OrganisationScope"/>. Nothing is granted for the caller's address —
/// behind a reverse proxy on the same host every caller is loopback. Authorization runs before the endpoint binds
/// the body, so an unauthenticated request is answered 401 (wrong role 403) without its body being read.
/// </summary>
public static class AdminApiGuard
{
    public const string ApiKeyHeader = "X-Api-Key";
    /// <summary>Claim with the id of the API key a request authenticated with (absent for console users).</summary>
    public const string ApiKeyIdClaim = "chatbot:api-key-id";

    public static RouteGroupBuilder RequireAdminApiAccess(this RouteGroupBuilder group) =>
        group.RequireAuthorization(ConsoleAuth.ApiPolicy);

    /// <summary>The key a request presents: <c>Authorization: Bearer</c>, or <c>X-Api-Key</c>.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();
        return request.Headers.TryGetValue(ApiKeyHeader, out var header) && !string.IsNullOrEmpty(header.ToString()) ? header.ToString().Trim() : null;
    }
}

/// <summary>An accepted key as the handler caches it (never the secret).</summary>
internal sealed record AcceptedApiKey(int Id, string Name, AdminRole Role, int OrganisationId, string OrganisationPath);

/// <summary>
/// Accepted keys cached briefly in this process (by hash, <see cref="CacheLifetime"/>), and revocation that takes
/// effect at once on every instance: the revoking instance drops its entry, and with Redis the hash goes into a
/// shared set that every instance checks before trusting a cached entry (one SISMEMBER per request, no database).
/// Without Redis there is one instance, and dropping the local entry is enough.
/// </summary>
public sealed class ApiKeyRevocations(IServiceProvider services, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    /// <summary>Last-used times are written at most this often per key (not one write per request).</summary>
    public static readonly TimeSpan LastUsedInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (AcceptedApiKey Key, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, DateTimeOffset> lastUsedWritten = new();

    private IConnectionMultiplexer? Redis => services.GetService<IConnectionMultiplexer>();
    private RedisKey SetKey => services.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix + "apikeys:revoked";

    internal async Task<AcceptedApiKey?> CachedAsync(string hash)
    {
        if (!cache.TryGetValue(hash, out var entry)) return null;
        if (entry.Until <= time.GetUtcNow() || await IsRevokedSharedAsync(hash))
        {
            cache.TryRemove(hash, out _);
            return null;
        }
        return entry.Key;
    }

    internal void Remember(string hash, AcceptedApiKey key) => cache[hash] = (key, time.GetUtcNow() + CacheLifetime);

    /// <summary>True when this request should record the key's last use (and marks it as recorded).</summary>
    internal bool ShouldRecordUse(int keyId)
    {
        var now = time.GetUtcNow();
        if (lastUsedWritten.TryGetValue(keyId, out var last) && now - last < LastUsedInterval) return false;
        lastUsedWritten[keyId] = now;
        return true;
    }

    /// <summary>Called after a revocation is saved.</summary>
    public async Task RevokedAsync(string hash)
    {
        cache.TryRemove(hash, out _);
        if (Redis is { } redis) await redis.GetDatabase().SetAddAsync(SetKey, hash);
    }

    private async Task<bool> IsRevokedSharedAsync(string hash)
    {
        if (Redis is not { } redis) return false;
        try
        {
            return await redis.GetDatabase().SetContainsAsync(SetKey, hash);
        }
        catch (RedisException)
        {
            // Redis unreachable: do not trust the cache; the database lookup decides.
            return true;
        }
    }
}

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> / <c>X-Api-Key</c>: the key's SHA-256 is looked up among the
/// unrevoked keys (an index seek: no comparison of secrets, so no timing to measure), and the key's organisation
/// subtree and role become the request's <see cref="OrganisationScope"/> claims.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyRevocations revocations, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var given = AdminApiGuard.PresentedKey(Request);
        if (string.IsNullOrEmpty(given)) return AuthenticateResult.NoResult();
        if (given.Length > 200) return AuthenticateResult.Fail("invalid API key");
        var hash = ApiKeyService.Hash(given);

        var key = await revocations.CachedAsync(hash);
        if (key is null)
        {
            var db = Context.RequestServices.GetRequiredService<ChatBotDbContext>();
            key = await db.ApiKeys.AsNoTracking()
                .Where(k => k.KeyHash == hash && k.RevokedAt == null)
                .Select(k => new AcceptedApiKey(k.Id, k.Name, k.Role, k.OrganisationId,
                    db.Organisations.Where(o => o.Id == k.OrganisationId).Select(o => o.Path).FirstOrDefault() ?? ""))
                .SingleOrDefaultAsync(Context.RequestAborted);
            if (key is null || key.OrganisationPath.Length == 0) return AuthenticateResult.Fail("invalid API key");
            revocations.Remember(hash, key);
        }

        if (revocations.ShouldRecordUse(key.Id))
        {
            var db = Context.RequestServices.GetRequiredService<ChatBotDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        }

        var claims = OrganisationScope.ClaimsFor("apikey:" + key.Name, key.Role, key.OrganisationId, OrganisationPath.Parse(key.OrganisationPath)).ToList();
        claims.Add(new Claim(AdminApiGuard.ApiKeyIdClaim, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var identity = new ClaimsIdentity(claims, ConsoleAuth.ApiKeyScheme, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ConsoleAuth.ApiKeyScheme));
    }
}
