using ChatBot.Host.Configuration;
using Microsoft.Extensions.Options;

namespace ChatBot.Host;

public static class StartupBanner
{
    /// <summary>Once the server listens, print what runs and where to go next (no secrets).</summary>
    public static WebApplication LogStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ChatBot");
            var db = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var redis = app.Services.GetRequiredService<IOptions<RedisOptions>>().Value;
            var urls = string.Join(", ", app.Urls);
            logger.LogInformation(
                "ChatBot is running on {Urls}. Database: {Provider}. Shared state: {SharedState}. " +
                "Try {Health}, {Ready}; WeChat endpoint /wechat, DingTalk endpoint /dingtalk, jobs dashboard /hangfire.",
                urls, db.ParsedProvider, redis.Enabled ? "Redis" : "in-process", "/healthz", "/readyz");
        });
        return app;
    }
}
