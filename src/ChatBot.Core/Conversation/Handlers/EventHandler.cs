using ChatBot.Core.Features;
using ChatBot.Core.Messaging;

namespace ChatBot.Core.Conversation.Handlers;

/// <summary>Platform events and non-text messages: follow, unfollow, QR scans, delivery reports, pictures and the like.</summary>
public sealed class EventHandler(
    IMemberDirectory directory, IDeliveryReports reports, BindingHandler binding, IReplyTemplates templates)
{
    public async Task<OutboundReply?> TryHandleAsync(ConversationContext context, CancellationToken ct)
    {
        var message = context.Message;
        switch (message.Kind)
        {
            case InboundKind.Subscribe:
                await directory.SetSubscribedAsync(message.Channel, message.SenderId, true, context.NowUtc, ct);
                return await WelcomeAsync(context, message.EventKey, ct);
            case InboundKind.Scan:
                return await WelcomeAsync(context, message.EventKey, ct);
            case InboundKind.Unsubscribe:
                await directory.SetSubscribedAsync(message.Channel, message.SenderId, false, context.NowUtc, ct);
                return OutboundReply.None;
            case InboundKind.MenuView:
                return OutboundReply.None;
            case InboundKind.DeliveryReport:
                if (message.PlatformMessageId is { Length: > 0 } id)
                    await reports.RecordAsync(message.Channel, id, message.EventKey ?? "", context.NowUtc, ct);
                return OutboundReply.None;
            case InboundKind.Voice:
                return Text("unsupported", new { kind = "voice" });
            case InboundKind.Image or InboundKind.Location or InboundKind.Link or InboundKind.Video:
                return Text("unsupported", new { kind = message.Kind.ToString().ToLowerInvariant() });
            case InboundKind.Other:
                return Text("unsupported", new { kind = "other" });
            default:
                return null;
        }
    }

    /// <summary>A parameter QR code may carry a binding code ("qrscene_BIND123" arrives as scene "BIND123").</summary>
    private async Task<OutboundReply> WelcomeAsync(ConversationContext context, string? scene, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(scene) && context.Member is null)
        {
            var bound = await binding.BindAsync(context, scene.Trim(), ct);
            return OutboundReply.FromText(templates.Render("welcome", new { bound = true }) + "\n\n" + bound.Text);
        }
        return Text("welcome", new { bound = context.Member is not null, name = context.Member?.Name });
    }

    private OutboundReply Text(string template, object model) => OutboundReply.FromText(templates.Render(template, model));
}
