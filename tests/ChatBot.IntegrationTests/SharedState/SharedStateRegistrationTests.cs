using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using ChatBot.Host.Health;
using ChatBot.Host.Redis;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ChatBot.IntegrationTests.SharedState;

public sealed class SharedStateRegistrationTests
{
    [Fact]
    public void AddChatBotSharedState_RegistersInProcessStores_WhenRedisNotConfigured()
    {
        using var services = Build(redisConfiguration: "");

        Assert.IsType<InProcessDedupeStore>(services.GetRequiredService<IDedupeStore>());
        Assert.IsType<InProcessSessionStore>(services.GetRequiredService<ISessionStore>());
        Assert.IsType<InProcessRateLimiter>(services.GetRequiredService<IRateLimiter>());
        Assert.IsType<InProcessDistributedLock>(services.GetRequiredService<IDistributedLock>());
        Assert.Same(services.GetRequiredService<IRateLimiter>(), services.GetRequiredService<IRateLimiter>());
        Assert.Null(services.GetService<IConnectionMultiplexer>());
    }

    [Fact]
    public async Task AddChatBotHealth_HasNoRedisCheck_WhenRedisNotConfigured()
    {
        using var services = Build(redisConfiguration: "");

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name != "database");

        Assert.DoesNotContain("redis", report.Entries.Keys);
    }

    [SkippableFact]
    public async Task AddChatBotSharedState_RegistersRedisStoresUnderPrefix_WhenRedisConfigured()
    {
        var configuration = TestServices.RequireRedis();
        var prefix = $"chatbot:test:{Guid.NewGuid():N}:";
        await using var services = Build(configuration, prefix);

        var dedupe = services.GetRequiredService<IDedupeStore>();
        var claimed = await dedupe.TryClaimAsync("wx:msg-1", TimeSpan.FromMinutes(1));
        var db = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

        Assert.IsType<RedisDedupeStore>(dedupe);
        Assert.IsType<RedisSessionStore>(services.GetRequiredService<ISessionStore>());
        Assert.IsType<RedisRateLimiter>(services.GetRequiredService<IRateLimiter>());
        Assert.IsType<RedisDistributedLock>(services.GetRequiredService<IDistributedLock>());
        Assert.True(claimed);
        Assert.True(await db.KeyExistsAsync($"{prefix}dedupe:wx:msg-1"));
    }

    [SkippableFact]
    public async Task RedisHealthCheck_ReportsHealthy_WhenRedisAnswers()
    {
        await using var services = Build(TestServices.RequireRedis());

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "redis");

        Assert.Equal(HealthStatus.Healthy, report.Entries["redis"].Status);
        Assert.Contains(HealthRegistration.ReadyTag, report.Entries["redis"].Tags);
    }

    [Fact]
    public async Task RedisHealthCheck_ReportsUnhealthy_WhenNothingListens()
    {
        // Port 1 on loopback is closed; short timeouts keep the failing check quick.
        await using var services = Build("127.0.0.1:1,connectTimeout=300,asyncTimeout=500,connectRetry=0");

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "redis");

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["redis"].Status);
    }

    private static ServiceProvider Build(string redisConfiguration, string keyPrefix = "chatbot:")
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redisConfiguration,
            ["Redis:KeyPrefix"] = keyPrefix,
        });
        builder.Services.AddLogging();
        builder.AddChatBotSharedState();
        builder.AddChatBotHealth();
        return builder.Services.BuildServiceProvider();
    }
}
