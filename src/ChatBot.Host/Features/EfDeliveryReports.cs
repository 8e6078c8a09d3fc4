using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;

/// <summary>WeChat reports a template message's fate later (TEMPLATESENDJOBFINISH); match it to the outbox row.</summary>
public sealed class EfDeliveryReports(ChatBotDbContext db, ILogger<EfDeliveryReports> logger) : IDeliveryReports
{
    public async Task RecordAsync(Channel channel, string platformMessageId, string status, DateTime nowUtc, CancellationToken ct)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.PlatformMessageId == platformMessageId
            && (d.Route == DeliveryRoute.WeChatTemplate || d.Route == DeliveryRoute.WeChatCustomerService), ct);
        if (delivery is null)
        {
            logger.LogInformation("Delivery report for unknown platform message {PlatformMessageId}", platformMessageId);
            return;
        }
        if (string.Equals(status, "success", StringComparison.OrdinalIgnoreCase))
        {
            delivery.Status = DeliveryStatus.Sent;
            delivery.SentAt ??= nowUtc;
        }
        else
        {
            delivery.Status = DeliveryStatus.Failed;
            delivery.LastError = status.Length > 200 ? status[..200] : status;
        }
        await db.SaveChangesAsync(ct);
    }
}
