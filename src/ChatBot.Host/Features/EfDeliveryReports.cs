using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;

/// <summary>
/// WeChat reports a template message's fate later (TEMPLATESENDJOBFINISH, one row) and a mass send's (MASSSENDJOBFINISH,
/// every row of that job share its MsgID); match the report to the outbox rows.
/// </summary>
public sealed class EfDeliveryReports(ChatBotDbContext db, ILogger<EfDeliveryReports> logger) : IDeliveryReports
{
    public async Task RecordAsync(Channel channel, string platformMessageId, string status, DateTime nowUtc, CancellationToken ct)
    {
        var succeeded = IsSuccess(status);
        var failure = status.Length > 200 ? status[..200] : status;
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.PlatformMessageId == platformMessageId
            && (d.Route == DeliveryRoute.WeChatTemplate || d.Route == DeliveryRoute.WeChatCustomerService), ct);
        if (delivery is not null)
        {
            if (succeeded)
            {
                delivery.Status = DeliveryStatus.Sent;
                delivery.SentAt ??= nowUtc;
            }
            else
            {
                delivery.Status = DeliveryStatus.Failed;
                delivery.LastError = failure;
            }
            await db.SaveChangesAsync(ct);
            return;
        }

        // A mass job that WeChat says failed as a whole: none of its recipients got it. A job that succeeded keeps its
        // rows Sent (WeChat reports only totals, not which follower it filtered).
        var mass = db.Deliveries.Where(d => d.PlatformMessageId == platformMessageId && d.Route == DeliveryRoute.WeChatMassSend);
        var updated = succeeded
            ? await mass.CountAsync(ct)
            : await mass.Where(d => d.Status == DeliveryStatus.Sent).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Failed)
                .SetProperty(d => d.LastError, "群发任务失败: " + failure), ct);
        if (updated == 0)
            logger.LogInformation("Delivery report for unknown platform message {PlatformMessageId}", platformMessageId);
    }

    /// <summary>"success" (template), "send success" / "sendsuccess" (mass); anything else ("failed: …", "err(10001)") is a failure.</summary>
    internal static bool IsSuccess(string status) =>
        status.Replace(" ", "", StringComparison.Ordinal) is var compact
        && (compact.Equals("success", StringComparison.OrdinalIgnoreCase) || compact.Equals("sendsuccess", StringComparison.OrdinalIgnoreCase));
}
