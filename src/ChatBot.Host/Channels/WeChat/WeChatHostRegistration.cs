using ChatBot.Channels.WeChat;

namespace ChatBot.Host.Channels.WeChat;

public static class WeChatHostRegistration
{
    /// <summary>
    /// The WeChat official-account channel (off when WeChat:Token is empty), with late replies written to the
    /// delivery outbox and customer-service sends counted on the member's channel identity.
    /// </summary>
    public static WebApplicationBuilder AddWeChat(this WebApplicationBuilder builder)
    {
        if (!WeChatRegistration.IsWeChatConfigured(builder.Configuration))
            return builder;
        if (!builder.Services.Any(s => s.ServiceType == typeof(ChatBot.Host.Delivery.IOutbox)))
            throw new InvalidOperationException("AddWeChat needs AddChatBotDelivery first: late replies go through the delivery outbox.");
        builder.Services.AddSingleton<IWeChatAsyncReplyQueue, ChatBot.Host.Delivery.OutboxWeChatReplyQueue>();
        builder.Services.AddSingleton<ICustomerServiceSendRecorder, ChannelIdentitySendRecorder>();
        builder.Services.AddWeChatChannel(builder.Configuration);
        return builder;
    }
}
