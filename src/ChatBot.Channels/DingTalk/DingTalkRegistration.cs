using ChatBot.Channels.WeCom;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Channels.DingTalk;

public static class DingTalkRegistration
{
    /// <summary>
    /// The DingTalk channel: protocol clients, the reply queue and its worker, and the WeCom robot client that group
    /// pushes share with DingTalk's. Always safe to call: with an empty <c>DingTalk:AppSecret</c> nothing is mapped
    /// and the worker simply waits on an empty queue.
    /// </summary>
    public static WebApplicationBuilder AddDingTalk(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDingTalkProtocol();
        services.AddWeComRobot();
        services.AddTransient<DingTalkChannelSender>();
        services.AddSingleton<DingTalkReplyQueue>();
        services.AddHostedService<DingTalkReplyWorker>();
        return builder;
    }
}
