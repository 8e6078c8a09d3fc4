using ChatBot.Channels.DingTalk;
using ChatBot.Channels.WeChat;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Delivery;

/// <summary>Late and overflow WeChat replies become outbox rows (route 客服) sent by the one sender.</summary>
internal sealed class OutboxWeChatReplyQueue(IOutbox outbox, IChatBotDbContextFactory dbs) : IWeChatAsyncReplyQueue
{
    public async Task EnqueueAsync(string openId, OutboundReply reply, string idempotencyKey, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentNullException.ThrowIfNull(reply);
        int? identityId;
        await using (var db = dbs.CreateDbContext())
        {
            // The identity, when known, lets the sender check the window and keeps this account's replies in order.
            identityId = await db.ChannelIdentities.Where(i => i.Channel == Channel.WeChat && i.ExternalId == openId)
                .Select(i => (int?)i.Id).FirstOrDefaultAsync(ct);
        }
        await outbox.EnqueueAsync([new OutboxItem
        {
            IdempotencyKey = Key(idempotencyKey),
            ChannelIdentityId = identityId,
            Route = DeliveryRoute.WeChatCustomerService,
            Payload = DeliveryJson.Serialize(new WeChatReplyPayload(openId, reply)),
        }], ct);
    }

    internal static string Key(string key) => key.Length <= EfOutbox.MaxIdempotencyKeyLength ? key : DeliveryDispatcher.ClientMessageId(key);
}

/// <summary>An accepted DingTalk @-message becomes an outbox row (route DingTalkSession) before the endpoint answers 200.</summary>
internal sealed class OutboxDingTalkAnswerQueue(IOutbox outbox) : IDingTalkAnswerQueue
{
    public async Task AcceptAsync(DingTalkReplyWork work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await outbox.EnqueueAsync([new OutboxItem
        {
            IdempotencyKey = OutboxWeChatReplyQueue.Key("dt:answer:" + work.Message.DedupeKey),
            Route = DeliveryRoute.DingTalkSession,
            Payload = DeliveryJson.Serialize(new DingTalkAnswerPayload(work.Message, work.Target)),
        }], ct);
    }
}
