using ChatBot.Channels.Robots;
using ChatBot.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatBot.Channels.DingTalk;

public static class DingTalkProtocolRegistration
{
    /// <summary>Per-request limit; the delivery worker retries Transient outcomes itself.</summary>
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Options (validated at start), signature check, token cache and the two typed clients. No retry handler:
    /// a retried POST may post the message twice, so retries belong to the delivery worker's outbox.
    /// </summary>
    public static IServiceCollection AddDingTalkProtocol(this IServiceCollection services)
    {
        services.AddValidatedOptions<DingTalkOptions, DingTalkOptionsValidator>(DingTalkOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DingTalkSignature>();
        services.TryAddSingleton<DingTalkAccessTokenCache>();
        services.AddHttpClient<DingTalkRobotClient>(c => c.Timeout = RequestTimeout).ConfigurePrimaryHttpMessageHandler(RobotHttp.CreateHandler);
        services.AddHttpClient<DingTalkStreamGateway>(c => c.Timeout = RequestTimeout).ConfigurePrimaryHttpMessageHandler(RobotHttp.CreateHandler);
        services.AddHttpClient<DingTalkApiClient>(c => c.Timeout = RequestTimeout).ConfigurePrimaryHttpMessageHandler(RobotHttp.CreateHandler);
        return services;
    }
}
