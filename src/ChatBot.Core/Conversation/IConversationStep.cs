using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation;

/// <summary>One stage of the pipeline; returns a reply to stop, or null to let the next stage try.</summary>
public interface IConversationStep
{
    Task<OutboundReply?> TryHandleAsync(ConversationContext context, CancellationToken ct);
}
