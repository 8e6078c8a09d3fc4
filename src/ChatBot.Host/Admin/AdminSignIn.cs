using System.Security.Claims;
using ChatBot.Core.Domain;
using ChatBot.Core.Ports;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Admin;

public enum SignInStatus
{
    Succeeded,
    /// <summary>Unknown user, wrong password, disabled or locked: one answer, so the page never tells which.</summary>
    Failed,
    /// <summary>Too many attempts from this client address.</summary>
    RateLimited,
}

public sealed record SignInOutcome(SignInStatus Status, string? Message = null);

/// <summary>
/// Password sign-in for the console: per-address rate limit (shared across instances through
/// <see cref="IRateLimiter"/>), lockout after <see cref="AdminUser.MaxFailedSignIns"/> wrong passwords for
/// <see cref="AdminUser.LockoutDuration"/>, disabled users refused, every attempt audited.
/// </summary>
public sealed class AdminSignIn(ChatBotDbContext db, IRateLimiter limiter, AuditLog audit, TimeProvider time, ILogger<AdminSignIn> logger)
{
    public const int AttemptsPerAddress = 20;
    public static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(15);

    public const string FailedMessage = "登录失败：用户名或密码错误，或账号已停用、已锁定。连续输错 5 次密码，账号将锁定 15 分钟。";

    private static readonly PasswordHasher<AdminUser> Hasher = new();
    // Verified when the user does not exist, so an unknown name takes as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new AdminUser { UserName = "-", PasswordHash = "" }, Guid.NewGuid().ToString());

    public async Task<SignInOutcome> PasswordSignInAsync(HttpContext http, string userName, string password, CancellationToken ct)
    {
        userName = userName.Trim();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var decision = await limiter.TryAcquireAsync("console-signin:" + address, AttemptsPerAddress, AttemptWindow, ct);
        if (!decision.Allowed)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalMinutes));
            return new SignInOutcome(SignInStatus.RateLimited, $"登录尝试过于频繁，请 {minutes} 分钟后再试。");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = await db.AdminUsers.SingleOrDefaultAsync(u => u.UserName == userName, ct);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(new AdminUser { UserName = userName, PasswordHash = DummyHash }, DummyHash, password);
            audit.RecordAs(userName, AuditActions.SignInFailed, nameof(AdminUser), null, OrganisationPath.Root, detail: $"unknown user, from {address}");
            await db.SaveChangesAsync(ct);
            return new SignInOutcome(SignInStatus.Failed, FailedMessage);
        }

        var path = await OrganisationPathOfAsync(user.OrganisationId, ct);
        var verified = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (user.Disabled || user.IsLockedOut(now))
        {
            audit.RecordAs(user.UserName, AuditActions.SignInFailed, nameof(AdminUser), user.Id, path,
                detail: (user.Disabled ? "disabled" : $"locked until {user.LockedUntil:u}") + $", from {address}");
            await db.SaveChangesAsync(ct);
            return new SignInOutcome(SignInStatus.Failed, FailedMessage);
        }
        if (verified == PasswordVerificationResult.Failed)
        {
            var locked = user.RegisterFailedSignIn(now);
            audit.RecordAs(user.UserName, AuditActions.SignInFailed, nameof(AdminUser), user.Id, path, detail: $"wrong password, from {address}");
            if (locked)
            {
                audit.RecordAs(user.UserName, AuditActions.SignInLockout, nameof(AdminUser), user.Id, path,
                    detail: $"locked until {user.LockedUntil:u} after {AdminUser.MaxFailedSignIns} wrong passwords");
                logger.LogWarning("Console user {UserName} locked until {LockedUntil:u} after {Count} wrong passwords",
                    user.UserName, user.LockedUntil, AdminUser.MaxFailedSignIns);
            }
            await db.SaveChangesAsync(ct);
            return new SignInOutcome(SignInStatus.Failed, FailedMessage);
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = Hasher.HashPassword(user, password);
        if (string.IsNullOrEmpty(user.SecurityStamp)) user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.RegisterSuccessfulSignIn(now);
        audit.RecordAs(user.UserName, AuditActions.SignIn, nameof(AdminUser), user.Id, path, detail: $"from {address}");
        await db.SaveChangesAsync(ct);

        await http.SignInAsync(ConsoleAuth.CookieScheme, PrincipalFor(user, path),
            new AuthenticationProperties { IsPersistent = false, IssuedUtc = time.GetUtcNow() });
        return new SignInOutcome(SignInStatus.Succeeded);
    }

    public async Task SignOutAsync(HttpContext http, CancellationToken ct)
    {
        if (OrganisationScope.FromPrincipal(http.User) is { } scope)
        {
            var id = await db.AdminUsers.Where(u => u.UserName == scope.Actor).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct);
            audit.RecordAs(scope.Actor, AuditActions.SignOut, nameof(AdminUser), id, scope.Root);
            await db.SaveChangesAsync(ct);
        }
        await http.SignOutAsync(ConsoleAuth.CookieScheme);
    }

    public static ClaimsPrincipal PrincipalFor(AdminUser user, OrganisationPath path)
    {
        var claims = OrganisationScope.ClaimsFor(user.UserName, user.Role, user.OrganisationId, path).ToList();
        claims.Add(new Claim(ConsoleAuth.SecurityStampClaim, user.SecurityStamp));
        claims.Add(new Claim(ConsoleAuth.DisplayNameClaim, string.IsNullOrWhiteSpace(user.DisplayName) ? user.UserName : user.DisplayName));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ConsoleAuth.CookieScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>
    /// Runs on every console request: a cookie of a user who was disabled, deleted or whose password, role or
    /// organisation changed since (new security stamp) is refused; a moved organisation refreshes the path claim.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var db = context.HttpContext.RequestServices.GetRequiredService<ChatBotDbContext>();
        var name = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirstValue(ConsoleAuth.SecurityStampClaim);
        var user = name is null ? null : await db.AdminUsers.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == name, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled || string.IsNullOrEmpty(stamp) || user.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(ConsoleAuth.CookieScheme);
            return;
        }
        var path = await db.Organisations.AsNoTracking().Where(o => o.Id == user.OrganisationId).Select(o => o.Path)
            .SingleOrDefaultAsync(context.HttpContext.RequestAborted) ?? "/";
        if (context.Principal!.FindFirstValue(OrganisationScope.OrganisationPathClaim) != path)
        {
            context.ReplacePrincipal(PrincipalFor(user, OrganisationPath.Parse(path)));
            context.ShouldRenew = true;
        }
    }

    private async Task<OrganisationPath> OrganisationPathOfAsync(int organisationId, CancellationToken ct) =>
        OrganisationPath.Parse(await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Path).SingleOrDefaultAsync(ct));
}
