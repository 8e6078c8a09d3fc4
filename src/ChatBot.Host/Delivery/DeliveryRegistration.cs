namespace ChatBot.Host.Delivery;

public static class DeliveryRegistration
{
    /// <summary>The one delivery pipeline: the outbox every outbound message is written to.</summary>
    public static WebApplicationBuilder AddChatBotDelivery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutbox, EfOutbox>();
        return builder;
    }
}
