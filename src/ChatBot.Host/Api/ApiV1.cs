using ChatBot.Host.Admin;

namespace ChatBot.Host.Api;

/// <summary>
/// The one versioned surface for integrators: every JSON endpoint hangs off the group this returns, so one prefix and
/// one authorization policy (<see cref="ConsoleAuth.ApiPolicy"/>: a console cookie or an API key) cover them all.
/// A feature maps its endpoints with an extension on <see cref="RouteGroupBuilder"/>, e.g.
/// <c>api.MapBroadcastsApi()</c>, called from Program.cs on the group.
/// </summary>
public static class ApiV1
{
    public const string Prefix = "/api/v1";

    public static RouteGroupBuilder MapApiV1(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup(Prefix).RequireAdminApiAccess();
}
