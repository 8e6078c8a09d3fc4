using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;
using Delivery = ChatBot.Core.Domain.Delivery;

/// <summary>
/// Writes the notification to the outbox (one row per source key, so a retried cancellation cannot notify twice)
/// and queues its delivery. The delivery job picks the route when it runs.
/// </summary>
public sealed class OutboxMemberNotifier(ChatBotDbContext db, IBackgroundJobClient jobs, TimeProvider time) : IMemberNotifier
{
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public async Task NotifyAsync(int memberId, string sourceKey, string text, CancellationToken ct)
    {
        var identity = await db.ChannelIdentities.AsNoTracking()
            .Where(i => i.MemberId == memberId && i.State == BindingState.Bound && i.Subscribed && i.Channel == Channel.WeChat)
            .OrderByDescending(i => i.LastInboundAt)
            .FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var delivery = new Delivery
        {
            IdempotencyKey = "notify:" + sourceKey,
            MemberId = memberId,
            ChannelIdentityId = identity?.Id,
            Route = DeliveryRoute.WeChatCustomerService,
            Status = identity is null ? DeliveryStatus.Skipped : DeliveryStatus.Pending,
            SkipReason = identity is null ? "no bound WeChat account" : null,
            Payload = JsonSerializer.Serialize(new { text }, ReadableJson),
            CreatedAt = now,
        };
        db.Deliveries.Add(delivery);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(delivery).State = EntityState.Detached;
            return;
        }
        if (delivery.Status == DeliveryStatus.Pending)
            jobs.Enqueue<MemberNotificationJob>(job => job.SendAsync(delivery.Id, CancellationToken.None));
    }
}
