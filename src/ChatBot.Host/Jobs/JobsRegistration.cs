using ChatBot.Host.Configuration;
using Hangfire;
using Hangfire.Redis.StackExchange;

namespace ChatBot.Host.Jobs;

public static class JobsRegistration
{
    /// <summary>Hangfire with in-memory storage by default, Redis storage when Redis is configured.</summary>
    public static WebApplicationBuilder AddChatBotJobs(this WebApplicationBuilder builder)
    {
        var redis = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        builder.Services.AddHangfire((sp, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(new DisposalSafeLogProvider(sp.GetRequiredService<ILoggerFactory>()));
            if (redis.Enabled)
                config.UseRedisStorage(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), new RedisStorageOptions { Prefix = "chatbot:hangfire:" });
            else
                config.UseInMemoryStorage();
        });
        builder.Services.AddHangfireServer(o => o.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2));
        return builder;
    }

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        // The dashboard is admin-only; until the console adds login it is reachable from loopback only (Hangfire's default).
        app.MapHangfireDashboard("/hangfire");
        return app;
    }
}
