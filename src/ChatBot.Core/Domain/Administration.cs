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
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
