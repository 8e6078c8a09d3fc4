using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.GroupChats;

public static class GroupChatEndpoints
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>
    /// <c>GET /api/group-chats/broken</c> for the dashboard. Until the admin console brings login it answers loopback
    /// callers, or others that send <c>X-Api-Key</c> equal to <c>GroupChats:AdminApiKey</c>; everyone else gets 403.
    /// </summary>
    public static IEndpointRouteBuilder MapGroupChats(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/group-chats").AddEndpointFilter(async (context, next) =>
            IsAllowed(context.HttpContext) ? await next(context) : Results.StatusCode(StatusCodes.Status403Forbidden));
        api.MapGet("/broken", async (IGroupChatHealth health, CancellationToken ct) => Results.Ok(await health.ListBrokenAsync(ct)));
        return endpoints;
    }

    private static bool IsAllowed(HttpContext http)
    {
        var key = http.RequestServices.GetRequiredService<IOptions<GroupChatsOptions>>().Value.AdminApiKey;
        if (!string.IsNullOrEmpty(key) && http.Request.Headers.TryGetValue(ApiKeyHeader, out var given)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(given.ToString())))
            return true;
        var remote = http.Connection.RemoteIpAddress;
        return remote is not null && IPAddress.IsLoopback(remote);
    }
}
