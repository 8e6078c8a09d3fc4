using ChatBot.Host.Configuration;
using ChatBot.Host.Data.Seed;
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
            var wechat = string.IsNullOrWhiteSpace(app.Configuration["WeChat:Token"]) ? "off (set WeChat:Token, WeChat:AppId, WeChat:AppSecret)" : "POST /wechat";
            var dingTalk = string.IsNullOrWhiteSpace(app.Configuration["DingTalk:AppSecret"]) ? "off (set DingTalk:AppKey, DingTalk:AppSecret, DingTalk:RobotCode)" : "POST /dingtalk";
            logger.LogInformation(
                "ChatBot is running on {Urls}. Database: {Provider}. Shared state: {SharedState}. WeChat: {WeChat}. DingTalk: {DingTalk}. " +
                "Admin console: {Console}. Try /healthz and /readyz; policy pages at /m/policies/{{id}}; jobs dashboard /hangfire (超级管理员 only).",
                urls, db.ParsedProvider, redis.Enabled ? "Redis" : "in-process", wechat, dingTalk, ConsoleUrl(app));
            // The demo's generated passwords, once, on standard output and never through the logger (log files and
            // collectors keep what they get): they are stored only as hashes.
            var console = app.Services.GetRequiredService<DemoSecretsConsole>();
            foreach (var login in app.Services.GetRequiredService<DemoLogins>().TakeAll())
                console.WriteLine($"Demo console login ({login.Role}): user {login.UserName}, password {login.Password} — sign in at {ConsoleUrl(app)}. Shown only now.");
        });
        return app;
    }

    private static string ConsoleUrl(WebApplication app) =>
        (app.Urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) ?? app.Urls.FirstOrDefault() ?? "http://localhost:5080").TrimEnd('/') + "/admin";
}
