namespace ChatBot.Core.Domain;

public enum AdminRole
{
    /// <summary>Committee staff: everything, including full phone numbers.</summary>
    Admin = 0,
    /// <summary>Branch secretary or 党建指导员: their own branch subtree only.</summary>
    Secretary = 1,
}

public class AdminUser
{
    public int Id { get; set; }
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }
    public string DisplayName { get; set; } = "";
    public AdminRole Role { get; set; }
    public int OrganisationId { get; set; }
    /// <summary>The admin's own member record (a secretary is usually a member of the branch): scheduled notes to the
    /// secretary (activity sign-up lists, 三会一课 cadence) go to this member's bound channel. Null: not reachable.</summary>
    public int? MemberId { get; set; }
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Wrong passwords since the last successful sign-in or lockout; 5 lock the account.</summary>
    public int FailedSignIns { get; set; }
    /// <summary>Sign-in is refused until then (UTC), even with the right password.</summary>
    public DateTime? LockedUntil { get; set; }
    public DateTime? LastSignInAt { get; set; }
    /// <summary>
    /// Changes whenever the password, role, organisation or disabled flag changes; a console cookie carrying an older
    /// stamp is refused, so such a change takes effect on the user's next request rather than when the cookie expires.
    /// </summary>
    public string SecurityStamp { get; set; } = "";

    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public bool IsLockedOut(DateTime utcNow) => LockedUntil is { } until && until > utcNow;

    /// <summary>Counts a wrong password; returns true when this failure locks the account.</summary>
    public bool RegisterFailedSignIn(DateTime utcNow)
    {
        FailedSignIns++;
        if (FailedSignIns < MaxFailedSignIns) return false;
        FailedSignIns = 0;
        LockedUntil = utcNow + LockoutDuration;
        return true;
    }

    public void RegisterSuccessfulSignIn(DateTime utcNow)
    {
        FailedSignIns = 0;
        LockedUntil = null;
        LastSignInAt = utcNow;
    }
}

public class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? Detail { get; set; }
    /// <summary>Materialised path of the organisation the changed entity belongs to, so a secretary reads only their subtree's entries.</summary>
    public string OrganisationPath { get; set; } = "/";
    /// <summary>The entity before the change, as JSON; null for a creation or an event such as a sign-in.</summary>
    public string? Before { get; set; }
    /// <summary>The entity after the change, as JSON; null for a deletion.</summary>
    public string? After { get; set; }
}

/// <summary>An API key for machine clients; only a SHA-256 hash of the key is stored.</summary>
public class ApiKey
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string KeyHash { get; set; }
    /// <summary>First characters of the key, shown in lists so admins can tell keys apart.</summary>
    public required string Prefix { get; set; }
    public int OrganisationId { get; set; }
    /// <summary>What the key may do, like a console account of that role, limited to <see cref="OrganisationId"/>'s subtree.</summary>
    public AdminRole Role { get; set; } = AdminRole.Secretary;
    /// <summary>Console user name (or "cli") that created the key.</summary>
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}

/// <summary>
/// The first answer to a side-effect request sent with an <c>Idempotency-Key</c>: a repeat with the same key and body
/// gets it replayed; the same key with another body is refused. Unique per (caller, key); expires after a day.
/// </summary>
public class IdempotencyRecord
{
    public long Id { get; set; }
    /// <summary>Who sent it: "key:{api key id}" or "user:{user name}", so two callers' keys never collide.</summary>
    public required string Caller { get; set; }
    public required string Key { get; set; }
    /// <summary>Hex SHA-256 over method, path and body.</summary>
    public required string RequestHash { get; set; }
    /// <summary>0 while the first request is still running.</summary>
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? ResponseBody { get; set; }
    public string? Location { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>A member CSV import sent through the API, run in the background; its status URL reads this row.</summary>
public class MemberImportJob
{
    public Guid Id { get; set; }
    public required string Actor { get; set; }
    public AdminRole Role { get; set; }
    public int OrganisationId { get; set; }
    public required string OrganisationPath { get; set; }
    public MemberImportState State { get; set; }
    public required byte[] Content { get; set; }
    /// <summary>JSON of the import's result (counts and per-row problems) once finished.</summary>
    public string? ResultJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

public enum MemberImportState { Queued, Running, Succeeded, Failed }
