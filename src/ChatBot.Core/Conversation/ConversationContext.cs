using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation;

/// <summary>One inbound message as the pipeline steps see it.</summary>
public sealed class ConversationContext
{
    public required InboundMessage Message { get; init; }
    /// <summary>Normalised text (menu keys already turned into their command text).</summary>
    public required string Text { get; init; }
    public required SenderRef Sender { get; init; }
    public GroupRef? Group { get; init; }
    public required DateTime NowUtc { get; init; }

    public MemberRef? Member => Sender.IsBound ? Sender.Member : null;
    public bool IsGroup => Message.IsGroup;

    /// <summary>Key for this sender's dialog and choice state; per channel so accounts do not leak into each other.</summary>
    public string SessionKey => $"{Message.Channel}:{Message.SenderId}";
}
