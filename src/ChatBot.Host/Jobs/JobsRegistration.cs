using ChatBot.Host.Configuration;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.Redis.StackExchange;

namespace ChatBot.Host.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// Hangfire with in-memory storage by default, Redis storage when Redis is configured. Storage and job activator
    /// are registered per host in DI (Hangfire otherwise keeps them in process-wide statics, so two hosts in one
    /// process — as in integration tests — would run each other's jobs).
    /// </summary>
    public static WebApplicationBuilder AddChatBotJobs(this WebApplicationBuilder builder)
    {
        var redis = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        var services = builder.Services;
        services.AddSingleton<JobStorage>(sp =>
        {
            // Resolving the configuration first applies the serializer and log settings below.
            sp.GetRequiredService<IGlobalConfiguration>();
            return redis.Enabled
                ? new RedisStorage(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(),
                    new RedisStorageOptions { Prefix = redis.KeyPrefix + "hangfire:" })
                : new InMemoryStorage();
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new DisposalSafeLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        services.AddHangfireServer(o => o.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2));
        return builder;
    }

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        // 超级管理员 only, through the console's sign-in cookie; never "local requests" (behind a proxy every caller is local).
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new ConsoleDashboardAuthorization()] });
        return app;
    }
}

/// <summary>Lets only a signed-in 超级管理员 open the Hangfire dashboard (anonymous: 401, other roles: 403).</summary>
internal sealed class ConsoleDashboardAuthorization : Hangfire.Dashboard.IDashboardAuthorizationFilter
{
    public bool Authorize(Hangfire.Dashboard.DashboardContext context) =>
        ChatBot.Host.Admin.ConsoleAuth.IsSuperAdmin(Hangfire.Dashboard.AspNetCoreDashboardContextExtensions.GetHttpContext(context).User);
}
