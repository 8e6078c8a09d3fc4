using ChatBot.Channels.WeCom;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatBot.Channels.DingTalk;

public static class DingTalkRegistration
{
    /// <summary>
    /// The DingTalk channel: protocol clients, the sender, and the WeCom robot client that group pushes share with
    /// DingTalk's. The host supplies <see cref="IDingTalkAnswerQueue"/> (its delivery outbox). Always safe to call: with
    /// an empty <c>DingTalk:AppSecret</c> nothing is mapped.
    /// </summary>
    public static WebApplicationBuilder AddDingTalk(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDingTalkProtocol();
        services.AddWeComRobot();
        services.AddTransient<DingTalkChannelSender>();
        // Stream mode: the client does nothing unless DingTalk is enabled with Mode = Stream.
        services.AddSingleton<DingTalkStreamStatus>();
        services.AddSingleton<DingTalkStreamFrameHandler>();
        services.AddHostedService<DingTalkStreamClient>();
        return builder;
    }
}
