using ChatBot.Core.Conversation;
using ChatBot.Core.Ports;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatBot.IntegrationTests.WeChat;

/// <summary>
/// The real host with the WeChat channel pointed at a <see cref="FakeWeChatApi"/>, a temporary SQLite file and
/// <see cref="TestConversationEngine"/> behind Core's deduping engine (as the host wires the real one).
/// Hangfire's storage and job activator are pinned to this host: Hangfire keeps both in process-wide statics,
/// and two hosts in one test process would otherwise run each other's jobs.
/// </summary>
public sealed class WeChatHostFactory : WebApplicationFactory<Program>
{
    public const string Token = "testtoken";
    public const string AppId = "wx0123456789abcdef";
    public const string EncodingAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    public const string AppSecret = "test-secret";

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"chatbot-wx-{Guid.NewGuid():N}.db");
    private readonly Dictionary<string, string?> _settings;

    public WeChatHostFactory(string? apiBaseUrl, int replyBudgetMs = 4000, string? redis = null, string? redisPrefix = null, bool enabled = true, string? mode = "Compatible")
    {
        _settings = new()
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={_databasePath}",
            ["Demo:Seed"] = "false",
            ["Redis:Configuration"] = redis ?? "",
            ["Redis:KeyPrefix"] = redisPrefix ?? "chatbot:",
        };
        if (enabled)
        {
            _settings["WeChat:Token"] = Token;
            _settings["WeChat:AppId"] = AppId;
            _settings["WeChat:AppSecret"] = AppSecret;
            _settings["WeChat:EncodingAESKey"] = EncodingAesKey;
            // Compatible accepts all three request modes, which most tests exercise; Safe (the default) has its own tests.
            if (mode is not null)
                _settings["WeChat:Mode"] = mode;
            _settings["WeChat:ApiBaseUrl"] = apiBaseUrl ?? "http://127.0.0.1:9";
            _settings["WeChat:ReplyBudgetMs"] = replyBudgetMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public TestConversationEngine Engine { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IConversationEngine>();
            services.AddScoped<IConversationEngine>(sp => new DedupingConversationEngine(
                Engine, sp.GetRequiredService<IDedupeStore>(), sp.GetRequiredService<TimeProvider>()));
            services.RemoveAllKeyed<IConversationEngine>(ConversationEngines.WithoutDedupe);
            services.AddKeyedScoped<IConversationEngine>(ConversationEngines.WithoutDedupe, (_, _) => Engine);
            services.AddSingleton<JobStorage>(sp =>
            {
                // Resolving the configuration first points Hangfire's (static) log provider at this host.
                sp.GetRequiredService<IGlobalConfiguration>();
                return new InMemoryStorage();
            });
            services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
        {
            try { File.Delete(file); } catch (IOException) { }
        }
    }
}
