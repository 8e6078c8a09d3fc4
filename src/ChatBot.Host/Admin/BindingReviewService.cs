using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using ChatBot.Host.Features;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Admin;

public sealed record PendingBinding(int IdentityId, Channel Channel, int MemberId, string MemberName, string Branch, string PhoneMasked);

public enum ReviewOutcome
{
    Done,
    NotFound,
    /// <summary>The member already has a bound account on that channel.</summary>
    MemberTaken,
}

/// <summary>
/// The secretary's side of 绑定 姓名 手机号: list the requests waiting in a branch subtree, confirm or reject one.
/// A confirmed member is told through the outbox. Everything is limited to the caller's <see cref="OrganisationScope"/>:
/// an <c>organisationId</c> only narrows the list within it, and an id outside it is "not found". Confirmations and
/// rejections are audited in the same save.
/// </summary>
public sealed class BindingReviewService(
    ChatBotDbContext db, SenderCache cache, IMemberNotifier notifier, IReplyTemplates templates, TimeProvider time, AuditLog audit)
{
    public async Task<IReadOnlyList<PendingBinding>> ListPendingAsync(OrganisationScope scope, int? organisationId, CancellationToken ct)
    {
        var path = organisationId is { } id
            ? await db.Organisations.WithinScope(scope).Where(o => o.Id == id).Select(o => o.Path).SingleOrDefaultAsync(ct)
            : scope.Root.Value;
        if (path is null) return [];
        var rows = await db.ChannelIdentities.AsNoTracking().WithinScope(scope)
            .Where(i => i.State == BindingState.Pending && i.Member!.Organisation!.Path.StartsWith(path))
            .OrderBy(i => i.Id)
            .Select(i => new { i.Id, i.Channel, MemberId = i.MemberId!.Value, i.Member!.Name, Branch = i.Member.Organisation!.Name, i.Member.Phone })
            .ToListAsync(ct);
        return rows.Select(r => new PendingBinding(r.Id, r.Channel, r.MemberId, r.Name, r.Branch, PhoneMask.Mask(r.Phone))).ToList();
    }

    public async Task<ReviewOutcome> ConfirmAsync(OrganisationScope scope, int identityId, CancellationToken ct)
    {
        var identity = await db.ChannelIdentities.WithinScope(scope).SingleOrDefaultAsync(i => i.Id == identityId && i.State == BindingState.Pending, ct);
        if (identity?.MemberId is not { } memberId) return ReviewOutcome.NotFound;
        if (await db.ChannelIdentities.AnyAsync(i => i.MemberId == memberId && i.Channel == identity.Channel
                && i.State == BindingState.Bound && i.Id != identityId, ct))
            return ReviewOutcome.MemberTaken;

        var before = Snapshot(identity);
        identity.State = BindingState.Bound;
        identity.BoundAt = time.GetUtcNow().UtcDateTime;
        audit.RecordAs(scope.Actor, AuditActions.BindingConfirm, nameof(ChannelIdentity), identity.Id, await MemberPathAsync(memberId, ct), before, Snapshot(identity));
        await db.SaveChangesAsync(ct);
        cache.Evict(identity.Channel, identity.ExternalId);
        var name = await db.Members.Where(m => m.Id == memberId).Select(m => m.Name).SingleAsync(ct);
        await notifier.NotifyAsync(memberId, $"binding-confirmed:{identityId}", templates.Render("binding_confirmed", new { name }), ct);
        return ReviewOutcome.Done;
    }

    public async Task<ReviewOutcome> RejectAsync(OrganisationScope scope, int identityId, CancellationToken ct)
    {
        var identity = await db.ChannelIdentities.WithinScope(scope).SingleOrDefaultAsync(i => i.Id == identityId && i.State == BindingState.Pending, ct);
        if (identity is null) return ReviewOutcome.NotFound;
        var before = Snapshot(identity);
        var path = identity.MemberId is { } memberId ? await MemberPathAsync(memberId, ct) : scope.Root;
        identity.State = BindingState.Unbound;
        identity.MemberId = null;
        audit.RecordAs(scope.Actor, AuditActions.BindingReject, nameof(ChannelIdentity), identity.Id, path, before, Snapshot(identity));
        await db.SaveChangesAsync(ct);
        cache.Evict(identity.Channel, identity.ExternalId);
        return ReviewOutcome.Done;
    }

    private static object Snapshot(ChannelIdentity identity) =>
        new { identity.Channel, identity.State, identity.MemberId, identity.BoundAt };

    private async Task<OrganisationPath> MemberPathAsync(int memberId, CancellationToken ct) =>
        OrganisationPath.Parse(await db.Members.Where(m => m.Id == memberId).Select(m => m.Organisation!.Path).SingleOrDefaultAsync(ct));
}
