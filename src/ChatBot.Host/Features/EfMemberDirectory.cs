using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;

public sealed class EfMemberDirectory(ChatBotDbContext db, SenderCache cache, TimeProvider time) : IMemberDirectory, IGroupDirectory
{
    /// <summary>
    /// The inbound time is written at most this often per account. The 48-hour window is then measured from up to
    /// a minute early, which only ever closes it early, never late.
    /// </summary>
    public static readonly TimeSpan InboundWriteInterval = TimeSpan.FromMinutes(1);

    public async Task<SenderRef> RecordInboundAsync(Channel channel, string externalId, bool opensWindow, DateTime nowUtc, CancellationToken ct)
    {
        if (cache.Get(channel, externalId) is { } cached)
        {
            if (opensWindow && !(cached.LastInboundWritten > nowUtc - InboundWriteInterval))
            {
                await WriteInboundAsync(cached.Sender.IdentityId, nowUtc, ct);
                cache.Set(channel, externalId, cached.Sender, nowUtc);
            }
            return cached.Sender;
        }

        var identity = await FindOrCreateAsync(channel, externalId, nowUtc, ct);
        var written = identity.LastInboundAt;
        if (opensWindow && !(written > nowUtc - InboundWriteInterval))
        {
            await WriteInboundAsync(identity.Id, nowUtc, ct);
            written = nowUtc;
        }
        var sender = await ToSenderAsync(identity, ct);
        cache.Set(channel, externalId, sender, written);
        return sender;
    }

    /// <summary>A member's own message opens WeChat's 48-hour customer-service window and resets its quota.</summary>
    private Task<int> WriteInboundAsync(int identityId, DateTime nowUtc, CancellationToken ct) =>
        db.ChannelIdentities.Where(i => i.Id == identityId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LastInboundAt, nowUtc).SetProperty(i => i.CustomerServiceSendsInWindow, 0), ct);

    public async Task<BindResult> BindWithCodeAsync(int identityId, string code, DateTime nowUtc, CancellationToken ct)
    {
        var identity = await db.ChannelIdentities.SingleAsync(i => i.Id == identityId, ct);
        if (identity.State == BindingState.Bound && identity.MemberId is { } boundId)
            return new BindResult(BindOutcome.AlreadyBound, await MemberRefAsync(boundId, ct));

        var bindingCode = await db.BindingCodes.SingleOrDefaultAsync(c => c.Code == code, ct);
        if (bindingCode is null) return new BindResult(BindOutcome.CodeInvalid);
        if (!bindingCode.IsUsable(nowUtc)) return new BindResult(BindOutcome.CodeExpired);
        if (await db.ChannelIdentities.AnyAsync(i => i.MemberId == bindingCode.MemberId && i.Channel == identity.Channel
                && i.State == BindingState.Bound && i.Id != identity.Id, ct))
            return new BindResult(BindOutcome.MemberTaken);

        // One transaction: if the bind loses a race (the unique index on bound member + channel), the code is not spent.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Mark the code used with a conditional update so two senders racing for one code cannot both bind.
        var claimed = await db.BindingCodes
            .Where(c => c.Id == bindingCode.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, nowUtc).SetProperty(c => c.UsedByIdentityId, identityId), ct);
        if (claimed == 0) return new BindResult(BindOutcome.CodeExpired);

        identity.MemberId = bindingCode.MemberId;
        identity.State = BindingState.Bound;
        identity.BoundAt = nowUtc;
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another account of this channel was bound to the member in the meantime.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return new BindResult(BindOutcome.MemberTaken);
        }
        cache.Evict(identity.Channel, identity.ExternalId);
        return new BindResult(BindOutcome.Bound, await MemberRefAsync(bindingCode.MemberId, ct));
    }

    public async Task<BindResult> RequestBindingAsync(int identityId, string name, string phone, DateTime nowUtc, CancellationToken ct)
    {
        var identity = await db.ChannelIdentities.SingleAsync(i => i.Id == identityId, ct);
        if (identity.State == BindingState.Bound && identity.MemberId is { } boundId)
            return new BindResult(BindOutcome.AlreadyBound, await MemberRefAsync(boundId, ct));

        var member = await db.Members.FirstOrDefaultAsync(m => m.Name == name && m.Phone == phone && !m.Archived, ct);

        // Pending either way, so the sender cannot tell from any later reply whether the pair matched a member.
        // Without a member the request reaches no secretary's list and simply waits for a 绑定码.
        identity.MemberId = member?.Id;
        identity.State = BindingState.Pending;
        await db.SaveChangesAsync(ct);
        cache.Evict(identity.Channel, identity.ExternalId);
        return member is null
            ? new BindResult(BindOutcome.NoMatch)
            : new BindResult(BindOutcome.PendingConfirmation, await MemberRefAsync(member.Id, ct));
    }

    public async Task<BindResult> UnbindAsync(int identityId, CancellationToken ct)
    {
        var identity = await db.ChannelIdentities.SingleAsync(i => i.Id == identityId, ct);
        if (identity.State == BindingState.Unbound) return new BindResult(BindOutcome.NotBound);
        if (identity.State == BindingState.Bound && identity.MemberId is { } memberId)
        {
            // 解绑 revokes the member's page links (all of them: a forwarded or leaked link dies with the binding).
            var member = await db.Members.SingleAsync(m => m.Id == memberId, ct);
            member.LinksRevokedAt = time.GetUtcNow().UtcDateTime;
        }
        identity.State = BindingState.Unbound;
        identity.MemberId = null;
        identity.BoundAt = null;
        await db.SaveChangesAsync(ct);
        cache.Evict(identity.Channel, identity.ExternalId);
        return new BindResult(BindOutcome.Unbound);
    }

    public async Task SetSubscribedAsync(Channel channel, string externalId, bool subscribed, DateTime nowUtc, CancellationToken ct)
    {
        var identity = await FindOrCreateAsync(channel, externalId, nowUtc, ct);
        identity.Subscribed = subscribed;
        await db.SaveChangesAsync(ct);
    }

    public async Task<GroupRef?> FindByConversationAsync(Channel channel, string conversationId, CancellationToken ct) =>
        await db.GroupChats.Where(g => g.Channel == channel && g.ConversationId == conversationId)
            .Select(g => new GroupRef(g.Id, g.OrganisationId, g.Organisation!.Name))
            .FirstOrDefaultAsync(ct);

    private async Task<ChannelIdentity> FindOrCreateAsync(Channel channel, string externalId, DateTime nowUtc, CancellationToken ct)
    {
        var identity = await db.ChannelIdentities.SingleOrDefaultAsync(i => i.Channel == channel && i.ExternalId == externalId, ct);
        if (identity is not null) return identity;

        identity = new ChannelIdentity { Channel = channel, ExternalId = externalId, CreatedAt = nowUtc };
        db.ChannelIdentities.Add(identity);
        try
        {
            await db.SaveChangesAsync(ct);
            return identity;
        }
        catch (DbUpdateException)
        {
            // Another instance created it first (unique channel + external id): use that row.
            db.Entry(identity).State = EntityState.Detached;
            return await db.ChannelIdentities.SingleAsync(i => i.Channel == channel && i.ExternalId == externalId, ct);
        }
    }

    private async Task<SenderRef> ToSenderAsync(ChannelIdentity identity, CancellationToken ct) =>
        new(identity.Id, identity.State, identity.MemberId is { } id ? await MemberRefAsync(id, ct) : null);

    private Task<MemberRef?> MemberRefAsync(int memberId, CancellationToken ct) =>
        db.Members.Where(m => m.Id == memberId)
            .Select(m => new MemberRef(m.Id, m.Name, m.OrganisationId, m.Organisation!.Path, m.Organisation.Name))
            .FirstOrDefaultAsync(ct);
}
