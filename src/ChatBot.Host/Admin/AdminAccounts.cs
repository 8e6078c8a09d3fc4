using System.Text.RegularExpressions;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Admin;

public sealed record AccountResult(bool Succeeded, string? Error = null, AdminUser? User = null)
{
    public static AccountResult Fail(string error) => new(false, error);
}

/// <summary>
/// Creates and changes console accounts — for the 账号 page, <c>admin create</c> on the command line and
/// <c>Admin:InitialUser</c> — with the same rules everywhere and every change audited in the same save.
/// </summary>
public sealed partial class AdminAccounts(ChatBotDbContext db, AuditLog audit, TimeProvider time)
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;

    private static readonly PasswordHasher<AdminUser> Hasher = new();

    public static string? ValidateUserName(string? userName) =>
        string.IsNullOrWhiteSpace(userName) || !UserNamePattern().IsMatch(userName)
            ? "用户名须为 2–64 个字母、数字或 . _ - 字符。"
            : null;

    public static string? ValidatePassword(string? password) =>
        password is null || password.Length < MinPasswordLength ? $"密码至少 {MinPasswordLength} 个字符。"
        : password.Length > MaxPasswordLength ? $"密码最多 {MaxPasswordLength} 个字符。"
        : null;

    /// <summary>
    /// A 超级管理员 without an organisation is attached to the root committee (created, named 党委, when the database
    /// has no organisation yet, so the first admin of an empty database can sign in and build the tree).
    /// </summary>
    public async Task<AccountResult> CreateAsync(string actor, string userName, string? displayName, AdminRole role, int? organisationId,
        string password, CancellationToken ct)
    {
        userName = userName.Trim();
        if (ValidateUserName(userName) is { } nameError) return AccountResult.Fail(nameError);
        if (ValidatePassword(password) is { } passwordError) return AccountResult.Fail(passwordError);
        if (await db.AdminUsers.AnyAsync(u => u.UserName == userName, ct)) return AccountResult.Fail($"用户名 {userName} 已存在。");

        var now = time.GetUtcNow().UtcDateTime;
        Organisation? organisation;
        if (organisationId is { } id)
        {
            organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, ct);
            if (organisation is null) return AccountResult.Fail($"组织 {id} 不存在。");
        }
        else if (role == AdminRole.Secretary)
        {
            return AccountResult.Fail("支部书记账号必须指定所管理的组织。");
        }
        else
        {
            organisation = await db.Organisations.Where(o => o.ParentId == null).OrderBy(o => o.Id).FirstOrDefaultAsync(ct);
            if (organisation is null)
            {
                organisation = new Organisation { Name = "党委", Kind = OrganisationKind.Committee, CreatedAt = now };
                db.Organisations.Add(organisation);
                await db.SaveChangesAsync(ct);
                organisation.Path = OrganisationPath.Root.Child(organisation.Id).Value;
            }
        }

        var user = new AdminUser
        {
            UserName = userName,
            PasswordHash = "",
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim(),
            Role = role,
            OrganisationId = organisation.Id,
            CreatedAt = now,
            SecurityStamp = NewStamp(),
        };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.AdminUsers.Add(user);
        await db.SaveChangesAsync(ct);
        audit.RecordAs(actor, AuditActions.AccountCreate, nameof(AdminUser), user.Id, organisation.TreePath, after: Snapshot(user));
        await db.SaveChangesAsync(ct);
        return new AccountResult(true, User: user);
    }

    public async Task<AccountResult> SetDisabledAsync(string actor, int userId, bool disabled, CancellationToken ct)
    {
        var user = await db.AdminUsers.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return AccountResult.Fail("账号不存在。");
        if (disabled && user.Role == AdminRole.Admin && !user.Disabled
            && !await db.AdminUsers.AnyAsync(u => u.Id != userId && u.Role == AdminRole.Admin && !u.Disabled, ct))
            return AccountResult.Fail("不能停用最后一个可用的超级管理员账号。");
        if (user.Disabled == disabled) return new AccountResult(true, User: user);
        var before = Snapshot(user);
        user.Disabled = disabled;
        user.SecurityStamp = NewStamp();
        audit.RecordAs(actor, disabled ? AuditActions.AccountDisable : AuditActions.AccountEnable, nameof(AdminUser), user.Id,
            await PathOfAsync(user.OrganisationId, ct), before, Snapshot(user));
        await db.SaveChangesAsync(ct);
        return new AccountResult(true, User: user);
    }

    /// <summary>Sets a new password, lifts a lockout and signs the user out everywhere (new security stamp).</summary>
    public async Task<AccountResult> ResetPasswordAsync(string actor, int userId, string password, CancellationToken ct)
    {
        if (ValidatePassword(password) is { } passwordError) return AccountResult.Fail(passwordError);
        var user = await db.AdminUsers.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return AccountResult.Fail("账号不存在。");
        var before = Snapshot(user);
        user.PasswordHash = Hasher.HashPassword(user, password);
        user.SecurityStamp = NewStamp();
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        audit.RecordAs(actor, AuditActions.AccountPasswordReset, nameof(AdminUser), user.Id, await PathOfAsync(user.OrganisationId, ct),
            before, Snapshot(user), detail: "password changed (not recorded)");
        await db.SaveChangesAsync(ct);
        return new AccountResult(true, User: user);
    }

    /// <summary>What the audit log keeps of an account: never the password hash or the stamp.</summary>
    public static object Snapshot(AdminUser user) => new
    {
        user.UserName, user.DisplayName, Role = user.Role.ToString(), user.OrganisationId, user.Disabled, user.LockedUntil,
    };

    private async Task<OrganisationPath> PathOfAsync(int organisationId, CancellationToken ct) =>
        OrganisationPath.Parse(await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Path).SingleOrDefaultAsync(ct));

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    [GeneratedRegex("^[A-Za-z0-9._-]{2,64}$")]
    private static partial Regex UserNamePattern();
}
