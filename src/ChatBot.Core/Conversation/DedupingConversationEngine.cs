using ChatBot.Core.Messaging;
using ChatBot.Core.Ports;

namespace ChatBot.Core.Conversation;

/// <summary>
/// Runs the engine once per message across instances: the first delivery claims the dedupe key and parks its
/// reply; a platform retry gets that same reply, waiting for it while the first is still running.
/// </summary>
public sealed class DedupingConversationEngine(IConversationEngine inner, IDedupeStore dedupe, TimeProvider time) : IConversationEngine
{
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<OutboundReply> HandleAsync(InboundMessage message, CancellationToken ct)
    {
        var key = "msg:" + message.DedupeKey;
        if (await dedupe.TryClaimAsync(key, KeyLifetime, ct))
        {
            // The reply is parked even if the caller stops waiting, so a retry still finds it.
            var reply = await inner.HandleAsync(message, CancellationToken.None);
            await dedupe.SetResultAsync(key, OutboundReplyJson.Serialize(reply), KeyLifetime, CancellationToken.None);
            return reply;
        }

        while (true)
        {
            var parked = await dedupe.GetResultAsync(key, ct);
            if (parked is not null)
                return OutboundReplyJson.Deserialize(parked);
            await Task.Delay(PollInterval, time, ct);
        }
    }
}
