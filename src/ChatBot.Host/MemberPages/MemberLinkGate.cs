using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.MemberPages;

/// <summary>
/// The one door into a member page: the token's signature, page scope and expiry (<see cref="SignedMemberLinks"/>),
/// then, in the database, that the member still exists, is bound on some channel and has not unbound since the link
/// was issued. The member id a page shows data for comes from here and nowhere else (never from the URL or form).
/// </summary>
public sealed class MemberLinkGate(SignedMemberLinks links, ChatBotDbContext db)
{
    public static readonly MemberLinkClaim Revoked = new(MemberLinkStatus.Revoked);

    public async Task<MemberLinkClaim> CheckAsync(string? token, string scope, CancellationToken ct)
    {
        var claim = links.Read(token, scope);
        if (!claim.IsValid) return claim;
        var member = await db.Members.AsNoTracking()
            .Where(m => m.Id == claim.MemberId)
            .Select(m => new
            {
                m.Archived,
                m.LinksRevokedAt,
                Bound = db.ChannelIdentities.Any(i => i.MemberId == m.Id && i.State == BindingState.Bound),
            })
            .SingleOrDefaultAsync(ct);
        if (member is null || member.Archived || !member.Bound) return Revoked;
        // Issued at or before 解绑 → revoked. The issue time is whole milliseconds (truncated), so a tie revokes.
        if (member.LinksRevokedAt is { } revokedAt && claim.IssuedAtUtc <= revokedAt) return Revoked;
        return claim;
    }
}
