using System.Security.Claims;
using ChatBot.Core.Domain;

namespace ChatBot.Host.Admin;

/// <summary>Names shared by the console's authentication and authorization setup.</summary>
public static class ConsoleAuth
{
    /// <summary>Cookie scheme of signed-in console users (the default scheme).</summary>
    public const string CookieScheme = "ChatBot.Console";
    /// <summary>Scheme of machine callers sending an API key (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>).</summary>
    public const string ApiKeyScheme = "ChatBot.ApiKey";

    /// <summary>Every console page: a signed-in 超级管理员 or 支部书记 (cookie).</summary>
    public const string ConsolePolicy = "console";
    /// <summary>Pages only a 超级管理员 may open (账号, /hangfire).</summary>
    public const string SuperAdminPolicy = "console-super-admin";
    /// <summary><c>/api/v1</c>: a signed-in console user or an API key.</summary>
    public const string ApiPolicy = "admin-api";

    public const string LoginPath = "/admin/login";
    public const string LogoutPath = "/admin/logout";

    /// <summary>Claim carrying <see cref="AdminUser.SecurityStamp"/>, checked on every request.</summary>
    public const string SecurityStampClaim = "chatbot:stamp";
    public const string DisplayNameClaim = "chatbot:display-name";

    public static string RoleLabel(AdminRole role) => role switch
    {
        AdminRole.Admin => "超级管理员",
        AdminRole.Secretary => "支部书记",
        _ => role.ToString(),
    };

    public static bool IsSuperAdmin(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.IsInRole(nameof(AdminRole.Admin));

    /// <summary>Requests for machines (JSON API, job dashboard) get status codes instead of a redirect to the sign-in page.</summary>
    public static bool IsMachineRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hangfire");
}
