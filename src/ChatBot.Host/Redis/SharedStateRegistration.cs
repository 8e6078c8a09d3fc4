using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using ChatBot.Host.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatBot.Host.Redis;

public static class SharedStateRegistration
{
    /// <summary>Shared-state ports: Redis when <c>Redis:Configuration</c> is set, in-process otherwise.</summary>
    public static WebApplicationBuilder AddChatBotSharedState(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);

        var redis = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (redis.Enabled) AddRedis(services);
        else AddInProcess(services);
        return builder;
    }

    private static void AddRedis(IServiceCollection services)
    {
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration);
            // Start even while Redis is down and reconnect in the background; /readyz reports the outage meanwhile.
            options.AbortOnConnectFail = false;
            options.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton(sp => new RedisKeys(sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix));
        services.AddSingleton<IDedupeStore, RedisDedupeStore>();
        services.AddSingleton<ISessionStore, RedisSessionStore>();
        services.AddSingleton<IRateLimiter, RedisRateLimiter>();
        services.AddSingleton<IAttemptCounter, RedisAttemptCounter>();
        services.AddSingleton<IDistributedLock, RedisDistributedLock>();
    }

    private static void AddInProcess(IServiceCollection services)
    {
        services.AddSingleton<IDedupeStore, InProcessDedupeStore>();
        services.AddSingleton<ISessionStore, InProcessSessionStore>();
        services.AddSingleton<IRateLimiter, InProcessRateLimiter>();
        services.AddSingleton<IAttemptCounter, InProcessAttemptCounter>();
        services.AddSingleton<IDistributedLock, InProcessDistributedLock>();
    }
}
