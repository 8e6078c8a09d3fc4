using System.Security.Cryptography;
using System.Text;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Admin;

public sealed record ApiKeyRow(int Id, string Name, string Prefix, int OrganisationId, string OrganisationName, AdminRole Role,
    string CreatedBy, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

public sealed record ApiKeyCreated(ApiKey Key, string Secret);

public sealed record ApiKeyResult(bool Succeeded, string? Error = null, ApiKeyCreated? Created = null)
{
    public static ApiKeyResult Fail(string error) => new(false, error);
}

/// <summary>
/// API keys for machine callers of <c>/api/v1</c>: created (the secret is returned once and never stored, only its
/// SHA-256 and a short prefix for display), listed and revoked, each within the creator's scope and role, audited.
/// Shared by the 账号 → API 密钥 page and <c>apikey create</c> on the command line.
/// </summary>
public sealed class ApiKeyService(ChatBotDbContext db, AuditLog audit, TimeProvider time, ApiKeyRevocations revocations)
{
    /// <summary>Keys start with this, so a leaked one is recognisable (secret scanners, logs).</summary>
    public const string KeyPrefix = "cbk_";
    public const int SecretBytes = 32;
    public const int DisplayPrefixLength = 12;
    public const int MaxNameLength = 100;

    public const string AuditCreate = "apikey.create";
    public const string AuditRevoke = "apikey.revoke";

    /// <summary>"cbk_" + 32 random bytes, base64url (43 characters).</summary>
    public static string NewSecret() =>
        KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lower-case hex SHA-256 of the key as sent.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// A new key for <paramref name="organisationId"/> (the creator's own organisation when null) with <paramref name="role"/>.
    /// <paramref name="creator"/> null = the command line (no limit). A secretary may create only 支部书记 keys for their subtree.
    /// </summary>
    public async Task<ApiKeyResult> CreateAsync(OrganisationScope? creator, string name, int? organisationId, AdminRole role, CancellationToken ct)
    {
        name = (name ?? "").Trim();
        if (name.Length == 0) return ApiKeyResult.Fail("请填写密钥名称。");
        if (name.Length > MaxNameLength) return ApiKeyResult.Fail($"名称不能超过 {MaxNameLength} 个字符。");
        if (!Enum.IsDefined(role)) return ApiKeyResult.Fail("角色无效。");
        if (creator is not null && !creator.IsSuperAdmin && role == AdminRole.Admin)
            return ApiKeyResult.Fail("支部书记只能创建支部书记权限的密钥。");

        Organisation? organisation;
        var orgId = organisationId ?? creator?.OrganisationId;
        if (orgId is { } id)
        {
            var query = db.Organisations.AsQueryable();
            if (creator is not null) query = query.WithinScope(creator);
            organisation = await query.SingleOrDefaultAsync(o => o.Id == id, ct);
            if (organisation is null) return ApiKeyResult.Fail($"组织 {id} 不存在或不在您的管理范围内。");
        }
        else
        {
            if (role == AdminRole.Secretary) return ApiKeyResult.Fail("支部书记权限的密钥必须指定组织。");
            organisation = await db.Organisations.Where(o => o.ParentId == null).OrderBy(o => o.Id).FirstOrDefaultAsync(ct);
            if (organisation is null) return ApiKeyResult.Fail("数据库中还没有组织。");
        }

        var secret = NewSecret();
        var key = new ApiKey
        {
            Name = name,
            KeyHash = Hash(secret),
            Prefix = secret[..DisplayPrefixLength],
            OrganisationId = organisation.Id,
            Role = role,
            CreatedBy = creator?.Actor ?? "cli",
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        audit.RecordAs(key.CreatedBy, AuditCreate, nameof(ApiKey), key.Id, organisation.TreePath, after: Snapshot(key));
        await db.SaveChangesAsync(ct);
        return new ApiKeyResult(true, Created: new ApiKeyCreated(key, secret));
    }

    /// <summary>Keys whose organisation is in the scope (a secretary sees their subtree's keys), newest first.</summary>
    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(OrganisationScope scope, CancellationToken ct)
    {
        var organisations = db.Organisations.WithinScope(scope);
        return await db.ApiKeys.AsNoTracking()
            .Where(k => organisations.Any(o => o.Id == k.OrganisationId))
            .OrderByDescending(k => k.Id)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.OrganisationId,
                db.Organisations.Where(o => o.Id == k.OrganisationId).Select(o => o.Name).FirstOrDefault() ?? "",
                k.Role, k.CreatedBy, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(ct);
    }

    /// <summary>Revokes a key in scope: refused on every instance from now on (see <see cref="ApiKeyRevocations"/>).</summary>
    public async Task<ApiKeyResult> RevokeAsync(OrganisationScope scope, int id, CancellationToken ct)
    {
        var organisations = db.Organisations.WithinScope(scope);
        var key = await db.ApiKeys.Where(k => k.Id == id && organisations.Any(o => o.Id == k.OrganisationId)).SingleOrDefaultAsync(ct);
        if (key is null) return ApiKeyResult.Fail("密钥不存在或不在您的管理范围内。");
        if (!scope.IsSuperAdmin && key.Role == AdminRole.Admin) return ApiKeyResult.Fail("密钥不存在或不在您的管理范围内。");
        if (key.RevokedAt is null)
        {
            var before = Snapshot(key);
            key.RevokedAt = time.GetUtcNow().UtcDateTime;
            var path = await db.Organisations.Where(o => o.Id == key.OrganisationId).Select(o => o.Path).SingleAsync(ct);
            audit.RecordAs(scope.Actor, AuditRevoke, nameof(ApiKey), key.Id, OrganisationPath.Parse(path), before, Snapshot(key));
            await db.SaveChangesAsync(ct);
            await revocations.RevokedAsync(key.KeyHash);
        }
        return new ApiKeyResult(true);
    }

    /// <summary>What the audit log keeps of a key: never the hash.</summary>
    public static object Snapshot(ApiKey key) => new
    {
        key.Name, key.Prefix, key.OrganisationId, Role = key.Role.ToString(), key.CreatedBy, key.RevokedAt,
    };
}
