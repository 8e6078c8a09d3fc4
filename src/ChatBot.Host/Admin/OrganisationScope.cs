using System.Security.Claims;
using ChatBot.Core.Domain;

namespace ChatBot.Host.Admin;

/// <summary>
/// What the signed-in admin (or API key) may see and change: one organisation subtree, and whether full phone
/// numbers are shown. It is derived only from the authenticated principal's claims, never from anything the caller
/// sends in a query string or body, and every console page and API query passes through it (see <see cref="ScopeQueries"/>).
/// </summary>
public sealed class OrganisationScope
{
    /// <summary>Claim with the organisation id the principal is scoped to.</summary>
    public const string OrganisationIdClaim = "chatbot:organisation";
    /// <summary>Claim with the materialised path of that organisation ("/1/4/").</summary>
    public const string OrganisationPathClaim = "chatbot:organisation-path";

    public OrganisationScope(string actor, AdminRole role, int organisationId, OrganisationPath root)
    {
        Actor = actor;
        Role = role;
        OrganisationId = organisationId;
        // 超级管理员 sees the whole tree whatever organisation their account row names.
        Root = role == AdminRole.Admin ? OrganisationPath.Root : root;
    }

    /// <summary>User name (or "apikey:name") written to the audit log.</summary>
    public string Actor { get; }
    public AdminRole Role { get; }
    public int OrganisationId { get; }
    public OrganisationPath Root { get; }

    public bool IsSuperAdmin => Role == AdminRole.Admin;

    /// <summary>Full phone numbers are for 超级管理员 only.</summary>
    public string ShowPhone(string? phone) => IsSuperAdmin ? phone ?? "" : PhoneMask.Mask(phone);

    public bool Contains(OrganisationPath path) => Root.Contains(path);

    public bool Contains(Organisation organisation) => Root.Contains(organisation.TreePath);

    /// <summary>Reads the scope from an authenticated principal; null when the principal carries no scope claims.</summary>
    public static OrganisationScope? FromPrincipal(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return null;
        var name = user.Identity.Name;
        var roleText = user.FindFirstValue(ClaimTypes.Role);
        var idText = user.FindFirstValue(OrganisationIdClaim);
        var pathText = user.FindFirstValue(OrganisationPathClaim);
        if (string.IsNullOrEmpty(name) || !Enum.TryParse<AdminRole>(roleText, out var role)
            || !int.TryParse(idText, out var organisationId) || string.IsNullOrEmpty(pathText))
            return null;
        return new OrganisationScope(name, role, organisationId, OrganisationPath.Parse(pathText));
    }

    /// <summary>The claims a sign-in (cookie or API key) issues so that <see cref="FromPrincipal"/> can rebuild the scope.</summary>
    public static IEnumerable<Claim> ClaimsFor(string actor, AdminRole role, int organisationId, OrganisationPath path) =>
    [
        new(ClaimTypes.Name, actor),
        new(ClaimTypes.Role, role.ToString()),
        new(OrganisationIdClaim, organisationId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new(OrganisationPathClaim, path.Value),
    ];
}

/// <summary>
/// The one seam for scoping queries: every console page and API endpoint filters through these, so a secretary
/// of branch A cannot read or change branch B by passing B's id.
/// </summary>
public static class ScopeQueries
{
    public static IQueryable<Organisation> WithinScope(this IQueryable<Organisation> query, OrganisationScope scope) =>
        scope.Root == OrganisationPath.Root ? query : query.Where(o => o.Path.StartsWith(scope.Root.Value));

    public static IQueryable<Member> WithinScope(this IQueryable<Member> query, OrganisationScope scope) =>
        scope.Root == OrganisationPath.Root ? query : query.Where(m => m.Organisation!.Path.StartsWith(scope.Root.Value));

    public static IQueryable<ChannelIdentity> WithinScope(this IQueryable<ChannelIdentity> query, OrganisationScope scope) =>
        scope.Root == OrganisationPath.Root ? query : query.Where(i => i.Member!.Organisation!.Path.StartsWith(scope.Root.Value));

    public static IQueryable<GroupChat> WithinScope(this IQueryable<GroupChat> query, OrganisationScope scope) =>
        scope.Root == OrganisationPath.Root ? query : query.Where(g => g.Organisation!.Path.StartsWith(scope.Root.Value));

    public static IQueryable<Activity> WithinScope(this IQueryable<Activity> query, OrganisationScope scope) =>
        scope.Root == OrganisationPath.Root ? query : query.Where(a => a.Organisation!.Path.StartsWith(scope.Root.Value));

    public static IQueryable<AuditEntry> WithinScope(this IQueryable<AuditEntry> query, OrganisationScope scope) =>
        scope.Root == OrganisationPath.Root ? query : query.Where(a => a.OrganisationPath.StartsWith(scope.Root.Value));

    public static IQueryable<AdminUser> WithinScope(this IQueryable<AdminUser> query, OrganisationScope scope, IQueryable<Organisation> organisations) =>
        scope.Root == OrganisationPath.Root ? query
            : query.Where(u => organisations.Any(o => o.Id == u.OrganisationId && o.Path.StartsWith(scope.Root.Value)));
}

public static class OrganisationScopeRegistration
{
    /// <summary>
    /// Registers <see cref="OrganisationScope"/> per request, read from the signed-in principal. Resolving it in a
    /// request without a scoped principal throws: such endpoints must require sign-in first.
    /// </summary>
    public static IServiceCollection AddOrganisationScope(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped(sp => OrganisationScope.FromPrincipal(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User)
            ?? throw new NoScopeException());
        return services;
    }

    /// <summary>The request's scope; without a signed-in admin or API key, <see cref="NoScopeException"/> (answered 401, never root scope).</summary>
    public static OrganisationScope RequireScope(this HttpContext http) =>
        OrganisationScope.FromPrincipal(http.User) ?? throw new NoScopeException();
}

/// <summary>
/// A request reached code that needs an <see cref="OrganisationScope"/> without a signed-in admin or API key; the API
/// answers 401 (see <c>ApiErrorHandling</c>). It never falls back to a wider scope.
/// </summary>
public sealed class NoScopeException() : InvalidOperationException("No signed-in admin or API key in this request: the endpoint must require authorization before it uses OrganisationScope.");
