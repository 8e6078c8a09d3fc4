using ChatBot.Core.Messaging;

namespace ChatBot.Channels.DingTalk;

/// <summary>One accepted @-message waiting for the engine and its reply.</summary>
public sealed record DingTalkReplyWork(InboundMessage Message, DingTalkReplyTarget Target);

/// <summary>
/// Where the endpoint (which answers 200 at once) hands an accepted callback. The host writes it durably (an outbox
/// row holding the message and where to answer) before answering, because DingTalk does not send a callback we
/// accepted again: an answer kept only in memory would be lost by a restart.
/// </summary>
public interface IDingTalkAnswerQueue
{
    /// <summary>Stores the work; a repeat of the same message (same dedupe key) is accepted and answered once.</summary>
    Task AcceptAsync(DingTalkReplyWork work, CancellationToken ct);
}
