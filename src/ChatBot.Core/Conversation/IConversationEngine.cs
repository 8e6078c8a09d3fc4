using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation;

public interface IConversationEngine
{
    Task<OutboundReply> HandleAsync(InboundMessage message, CancellationToken cancellationToken);
}
