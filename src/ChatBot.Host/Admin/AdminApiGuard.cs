using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ChatBot.Core.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Admin;

public sealed class AdminApiOptions
{
    public const string SectionName = "AdminApi";

    /// <summary>
    /// Interim key for machine callers of <c>/api/*</c> (header <c>X-Api-Key</c> or <c>Authorization: Bearer</c>),
    /// with 超级管理员 scope, until per-client API keys arrive; empty: only signed-in console users may call the API.
    /// </summary>
    public string ApiKey { get; set; } = "";
}

/// <summary>
/// Guards the <c>/api</c> endpoints: a signed-in console user (cookie; scoped to their subtree through
/// <see cref="OrganisationScope"/>) or the <c>AdminApi:ApiKey</c>. Nothing is granted for the caller's address —
/// behind a reverse proxy on the same host every caller is loopback. Authorization runs before the endpoint binds
/// the body, so an unauthenticated request is answered 401 (wrong role 403) without its body being read.
/// </summary>
public static class AdminApiGuard
{
    public const string ApiKeyHeader = "X-Api-Key";
    /// <summary>Actor written to the audit log for calls made with the API key.</summary>
    public const string ApiKeyActor = "apikey";

    public static RouteGroupBuilder RequireAdminApiAccess(this RouteGroupBuilder group) =>
        group.RequireAuthorization(ConsoleAuth.ApiPolicy);
}

/// <summary>
/// Authenticates <c>X-Api-Key</c> / <c>Authorization: Bearer</c> against <c>AdminApi:ApiKey</c>. Both sides are hashed
/// first and compared in fixed time, so neither the content nor the length of the key leaks through timing.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptionsMonitor<AdminApiOptions> api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var given = PresentedKey(Request);
        if (given is null) return Task.FromResult(AuthenticateResult.NoResult());
        var key = api.CurrentValue.ApiKey;
        if (string.IsNullOrEmpty(key) || !FixedTimeEquals(key, given))
            return Task.FromResult(AuthenticateResult.Fail("invalid API key"));

        var identity = new ClaimsIdentity(
            OrganisationScope.ClaimsFor(AdminApiGuard.ApiKeyActor, AdminRole.Admin, 0, OrganisationPath.Root),
            ConsoleAuth.ApiKeyScheme, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ConsoleAuth.ApiKeyScheme)));
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(AdminApiGuard.ApiKeyHeader, out var header) && !string.IsNullOrEmpty(header.ToString()))
            return header.ToString();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private static bool FixedTimeEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}
