using ChatBot.Channels.WeChat;

namespace ChatBot.Host.Channels.WeChat;

public static class WeChatHostRegistration
{
    /// <summary>
    /// The WeChat official-account channel (off when WeChat:Token is empty), with late replies queued as
    /// Hangfire jobs and customer-service sends counted on the member's channel identity.
    /// </summary>
    public static WebApplicationBuilder AddWeChat(this WebApplicationBuilder builder)
    {
        if (!WeChatRegistration.IsWeChatConfigured(builder.Configuration))
            return builder;
        builder.Services.AddSingleton<IWeChatAsyncReplyQueue, HangfireAsyncReplyQueue>();
        builder.Services.AddSingleton<ICustomerServiceSendRecorder, ChannelIdentitySendRecorder>();
        builder.Services.AddTransient<WeChatCustomerServiceJob>();
        builder.Services.AddTransient<ChatBot.Host.Features.ICustomerServiceMessenger, WeChatCustomerServiceMessenger>();
        builder.Services.AddWeChatChannel(builder.Configuration);
        return builder;
    }
}
