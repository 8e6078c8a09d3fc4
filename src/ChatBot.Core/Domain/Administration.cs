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
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; set; }
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
