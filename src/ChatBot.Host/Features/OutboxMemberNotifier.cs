using ChatBot.Core.Delivery;
using ChatBot.Core.Features;
using ChatBot.Host.Delivery;

namespace ChatBot.Host.Features;
using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>
/// Writes the notice to the outbox (one row per source key, so a retried cancellation cannot notify twice). The
/// delivery sender routes it when it sends (客服 in the window, else a template for "notice", else DingTalk 1:1, else
/// Skipped with the reason).
/// </summary>
public sealed class OutboxMemberNotifier(IOutbox outbox) : IMemberNotifier
{
    public async Task NotifyAsync(int memberId, string sourceKey, string text, CancellationToken ct)
    {
        await outbox.EnqueueAsync([new OutboxItem
        {
            IdempotencyKey = "notify:" + sourceKey,
            MemberId = memberId,
            Route = Core.Domain.DeliveryRoute.WeChatCustomerService,
            Payload = new MemberMessage(MessageKinds.Notice, "", text).ToJson(),
        }], ct);
    }
}
