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

    public static RouteGroupBuilder MapApiV1(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).RequireAdminApiAccess().RequireRateLimiting(RateLimits.RateLimitsRegistration.ApiPolicy);
        // Every v1 endpoint can answer these; the OpenAPI document lists them for each.
        group.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        return group;
    }
}
