using System.Collections.Concurrent;
using ChatBot.Channels.DingTalk;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using ChatBot.Host.Data;
using ChatBot.Host.GroupChats;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.GroupChats;

/// <summary>Replaces the conversation engine: records what it was asked and answers a fixed reply.</summary>
public sealed class RecordingEngine : IConversationEngine
{
    public ConcurrentQueue<InboundMessage> Calls { get; } = new();
    public OutboundReply Reply { get; set; } = OutboundReply.FromText("您好，这是测试回复。\n回复 1 查看学习任务");

    public Task<OutboundReply> HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        Calls.Enqueue(message);
        return Task.FromResult(Reply);
    }
}

/// <summary>Sends requests for DingTalk's own hosts (the sessionWebhook in a recorded payload) to the fake server.</summary>
internal sealed class RedirectDingTalkHandler(string fakeBaseUrl) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && uri.Host.EndsWith("dingtalk.com", StringComparison.OrdinalIgnoreCase))
            request.RequestUri = new Uri(new Uri(fakeBaseUrl), uri.PathAndQuery);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// The real host (Program) on a private SQLite file and key ring, with a pinned clock, the recording engine and
/// DingTalk's API pointed at <see cref="FakeRobotServer"/>. The push worker is off: tests call
/// <see cref="ProcessDueAsync"/> and move <see cref="Clock"/> themselves.
/// </summary>
public sealed class GroupChatTestHost : WebApplicationFactory<Program>
{
    public const string AppSecret = "client-secret-for-test";
    public const string RobotCode = "dingrobotcode";
    private readonly string _directory;
    private readonly string _databaseFile;
    private readonly string? _redis;
    private readonly string _redisPrefix;
    private readonly List<string> _webhookBaseUrls;
    private readonly bool _deliveryWorker;
    private readonly string _dingTalkMode;

    public GroupChatTestHost(FakeRobotServer fake, FakeTimeProvider clock, string? redis = null, string? redisPrefix = null,
        string? sharedDirectory = null, bool dingTalkEnabled = true, IReadOnlyList<string>? extraWebhookBaseUrls = null, bool deliveryWorker = false, string dingTalkMode = "Http")
    {
        _webhookBaseUrls = [$"{fake.BaseUrl}/robot/send", $"{fake.BaseUrl}/cgi-bin/webhook/send", .. extraWebhookBaseUrls ?? []];
        _deliveryWorker = deliveryWorker;
        _dingTalkMode = dingTalkMode;
        Fake = fake;
        Clock = clock;
        _redis = redis;
        _redisPrefix = redisPrefix ?? $"test:{Guid.NewGuid():N}:";
        _directory = sharedDirectory ?? Path.Combine(Path.GetTempPath(), "chatbot-groupchats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _databaseFile = Path.Combine(_directory, "chatbot.db");
        DingTalkEnabled = dingTalkEnabled;
    }

    public FakeRobotServer Fake { get; }
    public FakeTimeProvider Clock { get; }
    public RecordingEngine Engine { get; } = new();
    public bool DingTalkEnabled { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", $"Data Source={_databaseFile}");
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Redis:Configuration", _redis ?? "");
        builder.UseSetting("Redis:KeyPrefix", _redisPrefix);
        // DingTalk answers go through the outbox: the callback tests let the worker send them, push tests drive it.
        builder.UseSetting("Delivery:WorkerEnabled", _deliveryWorker ? "true" : "false");
        builder.UseSetting("GroupChats:KeysDirectory", Path.Combine(_directory, "keys"));
        // The fake robots listen on http://127.0.0.1:port; only these exact bases are allowed besides the real ones.
        for (var i = 0; i < _webhookBaseUrls.Count; i++)
            builder.UseSetting($"GroupChats:AllowedWebhookBaseUrls:{i}", _webhookBaseUrls[i]);
        builder.UseSetting("DingTalk:AppKey", DingTalkEnabled ? "ding-app-key" : "");
        builder.UseSetting("DingTalk:AppSecret", DingTalkEnabled ? AppSecret : "");
        builder.UseSetting("DingTalk:RobotCode", DingTalkEnabled ? RobotCode : "");
        builder.UseSetting("DingTalk:ApiBaseUrl", Fake.BaseUrl);
        builder.UseSetting("DingTalk:Mode", _dingTalkMode);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.RemoveAll<IConversationEngine>();
            services.AddSingleton<IConversationEngine>(Engine);
            services.AddHttpClient<DingTalkApiClient>().AddHttpMessageHandler(() => new RedirectDingTalkHandler(Fake.BaseUrl));
        });
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    private string? _adminKey;

    /// <summary>A 超级管理员 API key in this host's database, created on first use.</summary>
    public string AdminKey => _adminKey ??= ChatBot.IntegrationTests.Infrastructure.TestApiKeys.CreateAsync(Services).GetAwaiter().GetResult();

    public async Task<GroupPushRunResult> ProcessDueAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GroupPushProcessor>().ProcessDueAsync();
    }

    /// <summary>One pass of the delivery sender over member rows, replies and DingTalk answers.</summary>
    public Task<int> SendDueAsync() => Services.GetRequiredService<ChatBot.Host.Delivery.OutboxSender>().ProcessDueAsync();

    public async Task<int> AddBranchAsync(string name = "城南市场党支部")
    {
        await using var db = Get<IChatBotDbContextFactory>().CreateDbContext();
        var org = new Organisation { Name = name, Kind = OrganisationKind.MarketBranch, CreatedAt = Clock.GetUtcNow().UtcDateTime };
        db.Organisations.Add(org);
        await db.SaveChangesAsync();
        return org.Id;
    }

    public async Task<T> QueryAsync<T>(Func<ChatBotDbContext, Task<T>> query)
    {
        await using var db = Get<IChatBotDbContextFactory>().CreateDbContext();
        return await query(db);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void DeleteFiles()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does no harm.
        }
    }
}
