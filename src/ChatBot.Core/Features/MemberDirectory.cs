using ChatBot.Core.Domain;

namespace ChatBot.Core.Features;

/// <summary>The bound member behind a channel identity, as much as the engine needs.</summary>
public sealed record MemberRef(int Id, string Name, int OrganisationId, string OrganisationPath, string OrganisationName);

/// <summary>Who wrote: the channel identity (always) and the member it is bound to (when bound).</summary>
public sealed record SenderRef(int IdentityId, BindingState State, MemberRef? Member)
{
    public bool IsBound => State == BindingState.Bound && Member is not null;
}

public enum BindOutcome
{
    Bound = 0,
    AlreadyBound = 1,
    CodeInvalid = 2,
    CodeExpired = 3,
    /// <summary>Name + phone matched; the secretary must confirm.</summary>
    PendingConfirmation = 4,
    NoMatch = 5,
    Unbound = 6,
    NotBound = 7,
    /// <summary>The member already has an account of this channel bound.</summary>
    MemberTaken = 8,
}

public sealed record BindResult(BindOutcome Outcome, MemberRef? Member = null);

public interface IMemberDirectory
{
    /// <summary>
    /// Finds or creates the identity, records the inbound time (which opens WeChat's 48-hour customer-service
    /// window and resets its send count) and returns who it is.
    /// </summary>
    Task<SenderRef> RecordInboundAsync(Channel channel, string externalId, bool opensWindow, DateTime nowUtc, CancellationToken ct);

    Task<BindResult> BindWithCodeAsync(int identityId, string code, DateTime nowUtc, CancellationToken ct);

    Task<BindResult> RequestBindingAsync(int identityId, string name, string phone, DateTime nowUtc, CancellationToken ct);

    Task<BindResult> UnbindAsync(int identityId, CancellationToken ct);

    /// <summary>Follow / unfollow: an unsubscribed identity receives no pushes.</summary>
    Task SetSubscribedAsync(Channel channel, string externalId, bool subscribed, DateTime nowUtc, CancellationToken ct);
}

/// <summary>The branch a group chat belongs to.</summary>
public sealed record GroupRef(int GroupChatId, int OrganisationId, string OrganisationName);

public interface IGroupDirectory
{
    Task<GroupRef?> FindByConversationAsync(Domain.Channel channel, string conversationId, CancellationToken ct);
}

/// <summary>Records platform delivery reports (WeChat TEMPLATESENDJOBFINISH) against the outbox.</summary>
public interface IDeliveryReports
{
    Task RecordAsync(Domain.Channel channel, string platformMessageId, string status, DateTime nowUtc, CancellationToken ct);
}

/// <summary>Tells a member something outside a reply (e.g. promoted from the waitlist); goes through the outbox.</summary>
public interface IMemberNotifier
{
    Task NotifyAsync(int memberId, string sourceKey, string text, CancellationToken ct);
}
