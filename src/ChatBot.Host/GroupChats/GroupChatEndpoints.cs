using ChatBot.Host.Admin;

namespace ChatBot.Host.GroupChats;

public static class GroupChatEndpoints
{
    /// <summary><c>GET /api/group-chats/broken</c> for the dashboard, behind <see cref="AdminApiGuard"/>.</summary>
    public static IEndpointRouteBuilder MapGroupChats(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/group-chats").RequireAdminApiAccess();
        api.MapGet("/broken", async (IGroupChatHealth health, CancellationToken ct) => Results.Ok(await health.ListBrokenAsync(ct)));
        return endpoints;
    }
}
