using ChatBot.Channels.DingTalk;
using ChatBot.Core.Configuration;

namespace ChatBot.Host.Delivery;

public static class DeliveryRegistration
{
    /// <summary>
    /// The one delivery pipeline: the outbox every outbound message is written to (<see cref="IOutbox"/>), the
    /// sender and its loop, the WeChat templates for members outside the 客服 window, and the DingTalk answer queue.
    /// Needs AddChatBotData; group-chat robots are sent by AddGroupChats' processor from the same loop.
    /// </summary>
    public static WebApplicationBuilder AddChatBotDelivery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (!services.Any(s => s.ServiceType == typeof(Data.IChatBotDbContextFactory)))
            throw new InvalidOperationException("AddChatBotDelivery needs AddChatBotData first.");
        services.AddAnnotatedOptions<DeliveryOptions>(DeliveryOptions.SectionName);
        services.AddOptions<Dictionary<string, WeChatTemplateSettings>>()
            .BindConfiguration(WeChatTemplateSettings.SectionName)
            .Validate(ValidTemplates, "WeChat:Templates: every kind needs a TemplateId and fields whose source is title, text, time or =literal.")
            .ValidateOnStart();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutbox, EfOutbox>();
        services.AddSingleton<IDingTalkAnswerQueue, OutboxDingTalkAnswerQueue>();
        services.AddSingleton<OutboxSender>();
        // Transient: it resolves typed HttpClients and the scoped engine from the scope it is created in.
        services.AddTransient<DeliveryDispatcher>();
        services.AddHostedService<OutboxWorker>();
        return builder;
    }

    private static bool ValidTemplates(Dictionary<string, WeChatTemplateSettings> templates) =>
        templates.Values.All(t => !string.IsNullOrWhiteSpace(t.TemplateId)
            && t.Fields.Values.All(v => v is "title" or "text" or "time" || v.StartsWith('=')));
}
