using System.Collections.Concurrent;
using ChatBot.Core.Conversation;
using ChatBot.Core.Messaging;

namespace ChatBot.IntegrationTests.WeChat;

/// <summary>Stands in for the real engine: a configurable reply after a configurable delay; counts and keeps what it was asked.</summary>
public sealed class TestConversationEngine : IConversationEngine
{
    private int _calls;

    public Func<InboundMessage, OutboundReply> Reply { get; set; } = _ => OutboundReply.FromText("收到");

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public bool Throw { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<InboundMessage> Received { get; } = new();

    public async Task<OutboundReply> HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Received.Enqueue(message);
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, cancellationToken);
        if (Throw)
            throw new InvalidOperationException("engine failure for the test");
        return Reply(message);
    }
}
