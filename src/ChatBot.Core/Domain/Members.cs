namespace ChatBot.Core.Domain;

public enum MemberStatus
{
    Full = 0,          // 正式党员
    Probationary = 1,  // 预备党员
    Activist = 2,      // 入党积极分子
}

public class Member
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public required string Name { get; set; }
    public MemberStatus Status { get; set; }
    /// <summary>流动党员: moves between markets and cities; usually held by a 中心支部.</summary>
    public bool IsMobile { get; set; }
    public string? BusinessName { get; set; }
    /// <summary>Full number, visible to admins only; every other view uses <see cref="PhoneMask.Mask"/>.</summary>
    public string? Phone { get; set; }
    public bool Archived { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>
    /// Set when the member unbinds (解绑): every member-page link issued up to this instant stops working
    /// (links carry their issue time; see SignedMemberLinks). Null: nothing revoked yet.
    /// </summary>
    public DateTime? LinksRevokedAt { get; set; }
}

public static class PhoneMask
{
    /// <summary>138****1234 style: keeps the first three and last four digits.</summary>
    public static string Mask(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return "";
        var digits = phone.Trim();
        if (digits.Length < 7) return new string('*', digits.Length);
        return string.Concat(digits.AsSpan(0, 3), new string('*', digits.Length - 7), digits.AsSpan(digits.Length - 4));
    }
}

public enum Channel
{
    WeChat = 0,
    DingTalk = 1,
    WeCom = 2,
}

public enum BindingState
{
    Unbound = 0,
    /// <summary>Name + phone matched the ledger; waits for the branch secretary to confirm.</summary>
    Pending = 1,
    Bound = 2,
}

/// <summary>
/// One account on one platform (an OpenID, a DingTalk staff id). Exists before binding so the 48-hour
/// customer-service window is tracked from the first message.
/// </summary>
public class ChannelIdentity
{
    public int Id { get; set; }
    public Channel Channel { get; set; }
    public required string ExternalId { get; set; }
    public int? MemberId { get; set; }
    public Member? Member { get; set; }
    public BindingState State { get; set; }
    public DateTime? BoundAt { get; set; }
    /// <summary>False after unsubscribe: nothing is pushed to this identity until it follows again.</summary>
    public bool Subscribed { get; set; } = true;
    public DateTime? LastInboundAt { get; set; }
    /// <summary>Customer-service messages sent since <see cref="LastInboundAt"/> (WeChat allows 5 per 48 h window).</summary>
    public int CustomerServiceSendsInWindow { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A one-time code an admin issues so a member can bind an account with 绑定 &lt;码&gt;.</summary>
public class BindingCode
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public int MemberId { get; set; }
    public Member? Member { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    public int? UsedByIdentityId { get; set; }
    public DateTime CreatedAt { get; set; }

    public bool IsUsable(DateTime nowUtc) => UsedAt is null && nowUtc < ExpiresAt;
}

/// <summary>A branch group chat reached through a robot. Webhook and secret are stored encrypted.</summary>
public class GroupChat
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public Channel Channel { get; set; }
    public required string Name { get; set; }
    public string? WebhookUrlProtected { get; set; }
    public string? SecretProtected { get; set; }
    /// <summary>DingTalk conversationId, so @-messages in the group map to this branch.</summary>
    public string? ConversationId { get; set; }
    public bool Muted { get; set; }
    public string? BrokenReason { get; set; }
    public DateTime? BrokenAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
