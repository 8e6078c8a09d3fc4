using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.Host.Features;
using Delivery = ChatBot.Core.Domain.Delivery;

public enum MessengerOutcome
{
    Sent,
    /// <summary>The platform says the member is out of the 48-hour window or has used its quota.</summary>
    OutOfWindow,
    /// <summary>The member blocked the account, unfollowed, or the id is invalid: do not try again.</summary>
    Unreachable,
    /// <summary>A passing fault; try again later.</summary>
    Transient,
    /// <summary>The channel has no credentials configured.</summary>
    NotConfigured,
}

public sealed record MessengerResult(MessengerOutcome Outcome, string? Detail = null, string? PlatformMessageId = null);

/// <summary>Sends a free-form text to one member account (WeChat 客服消息) and records the send against its window quota.</summary>
public interface ICustomerServiceMessenger
{
    Task<MessengerResult> SendTextAsync(string openId, string text, CancellationToken ct);
}

/// <summary>Used when WeChat is not configured: deliveries are recorded as skipped with that reason.</summary>
public sealed class UnconfiguredCustomerServiceMessenger : ICustomerServiceMessenger
{
    public Task<MessengerResult> SendTextAsync(string openId, string text, CancellationToken ct) =>
        Task.FromResult(new MessengerResult(MessengerOutcome.NotConfigured, "WeChat is not configured"));
}

/// <summary>
/// Hangfire job delivering one outbox row. Safe to run again: a row that is no longer pending is left alone, and a
/// transient failure throws so Hangfire retries with back-off.
/// </summary>
public sealed class MemberNotificationJob(IChatBotDbContextFactory contexts, ICustomerServiceMessenger messenger, TimeProvider time)
{
    public const int WindowHours = 48;
    public const int WindowQuota = 5;

    public async Task SendAsync(long deliveryId, CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var delivery = await db.Deliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is not { Status: DeliveryStatus.Pending } || delivery.ChannelIdentityId is null) return;
        var identity = await db.ChannelIdentities.SingleAsync(i => i.Id == delivery.ChannelIdentityId, ct);
        var now = time.GetUtcNow().UtcDateTime;

        if (!identity.Subscribed)
            Skip(delivery, "unsubscribed");
        else if (identity.LastInboundAt is not { } last || now - last > TimeSpan.FromHours(WindowHours)
                 || identity.CustomerServiceSendsInWindow >= WindowQuota)
            Skip(delivery, "48-hour customer-service window closed");
        else
        {
            var text = JsonDocument.Parse(delivery.Payload).RootElement.GetProperty("text").GetString() ?? "";
            delivery.Attempts++;
            var result = await messenger.SendTextAsync(identity.ExternalId, text, ct);
            switch (result.Outcome)
            {
                case MessengerOutcome.Sent:
                    delivery.Status = DeliveryStatus.Sent;
                    delivery.SentAt = now;
                    delivery.PlatformMessageId = result.PlatformMessageId;
                    break;
                case MessengerOutcome.Transient:
                    delivery.LastError = result.Detail;
                    await db.SaveChangesAsync(ct);
                    throw new InvalidOperationException($"Transient failure delivering {deliveryId}: {result.Detail}");
                case MessengerOutcome.NotConfigured:
                case MessengerOutcome.OutOfWindow:
                    Skip(delivery, result.Detail ?? result.Outcome.ToString());
                    break;
                default:
                    delivery.Status = DeliveryStatus.Failed;
                    delivery.LastError = result.Detail;
                    break;
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private static void Skip(Delivery delivery, string reason)
    {
        delivery.Status = DeliveryStatus.Skipped;
        delivery.SkipReason = reason;
    }
}
