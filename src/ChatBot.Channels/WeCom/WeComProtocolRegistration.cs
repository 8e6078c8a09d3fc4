using ChatBot.Channels.Robots;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Channels.WeCom;

public static class WeComProtocolRegistration
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The typed webhook client; no retry handler, the delivery worker's outbox retries.</summary>
    public static IServiceCollection AddWeComRobot(this IServiceCollection services)
    {
        services.AddHttpClient<WeComRobotClient>(c => c.Timeout = RequestTimeout).ConfigurePrimaryHttpMessageHandler(RobotHttp.CreateHandler);
        return services;
    }
}
