using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Admin;

public sealed class AdminApiOptions
{
    public const string SectionName = "AdminApi";

    /// <summary>Key that callers other than loopback send as <c>X-Api-Key</c>; empty allows loopback only.</summary>
    public string ApiKey { get; set; } = "";
}

/// <summary>
/// Guards the machine-facing <c>/api</c> endpoints until the admin console brings login and roles: loopback callers,
/// or callers sending <c>X-Api-Key</c> equal to <c>AdminApi:ApiKey</c> (compared in fixed time); anyone else gets 403.
/// </summary>
public static class AdminApiGuard
{
    public const string ApiKeyHeader = "X-Api-Key";

    public static RouteGroupBuilder RequireAdminApiAccess(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
            IsAllowed(context.HttpContext) ? await next(context) : Results.StatusCode(StatusCodes.Status403Forbidden));

    public static bool IsAllowed(HttpContext http)
    {
        var key = http.RequestServices.GetRequiredService<IOptions<AdminApiOptions>>().Value.ApiKey;
        if (!string.IsNullOrEmpty(key) && http.Request.Headers.TryGetValue(ApiKeyHeader, out var given)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(given.ToString())))
            return true;
        var remote = http.Connection.RemoteIpAddress;
        return remote is not null && IPAddress.IsLoopback(remote);
    }
}
