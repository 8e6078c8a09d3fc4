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

    /// <summary>
    /// How long a repeat delivery waits for the first one's reply. Far longer than any engine run; if the first
    /// delivery died without parking a result (a crashed instance), the repeat gives up with no reply rather than
    /// wait for the whole key lifetime or run the engine a second time.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

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

        var giveUpAt = time.GetUtcNow() + MaxWait;
        while (true)
        {
            var parked = await dedupe.GetResultAsync(key, ct);
            if (parked is not null)
                return OutboundReplyJson.Deserialize(parked);
            if (time.GetUtcNow() >= giveUpAt)
                return OutboundReply.None;
            await Task.Delay(PollInterval, time, ct);
        }
    }
}
