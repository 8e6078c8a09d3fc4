using ChatBot.Channels.WeChat;
using ChatBot.Core.Messaging;
using ChatBot.Core.Ports;
using ChatBot.Core.Ports.InProcess;
using ChatBot.Host.Redis;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ChatBot.IntegrationTests.WeChat;

/// <summary>The API client and shared token against <see cref="FakeWeChatApi"/>; each "instance" is its own service provider.</summary>
public sealed class WeChatApiClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private FakeWeChatApi _api = null!;
    private readonly List<ServiceProvider> _instances = [];

    public async Task InitializeAsync() => _api = await FakeWeChatApi.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task GetTokenAsync_RefreshesOnceAtExpiry_WhenTwoInstancesShareTheStore()
    {
        var store = new InProcessSessionStore(_time);
        var locks = new InProcessDistributedLock(TimeProvider.System);
        await AssertOneRefreshAtExpiryAsync(Instance(store, locks), Instance(store, locks));
    }

    [SkippableFact]
    public async Task GetTokenAsync_RefreshesOnceAtExpiry_WhenTwoInstancesShareRedis()
    {
        var configuration = TestServices.RequireRedis();
        var keys = new RedisKeys($"chatbot:test:{Guid.NewGuid():N}:");
        await using var connectionA = await ConnectionMultiplexer.ConnectAsync(configuration);
        await using var connectionB = await ConnectionMultiplexer.ConnectAsync(configuration);
        var a = Instance(new RedisSessionStore(connectionA, keys), new RedisDistributedLock(connectionA, keys, TimeProvider.System));
        var b = Instance(new RedisSessionStore(connectionB, keys), new RedisDistributedLock(connectionB, keys, TimeProvider.System));
        await AssertOneRefreshAtExpiryAsync(a, b);
    }

    private async Task AssertOneRefreshAtExpiryAsync(IServiceProvider a, IServiceProvider b)
    {
        var tokensA = a.GetRequiredService<WeChatAccessTokenProvider>();
        var tokensB = b.GetRequiredService<WeChatAccessTokenProvider>();

        var first = await tokensA.GetTokenAsync(default);
        var shared = await tokensB.GetTokenAsync(default);
        Assert.Equal(first.Value, shared.Value);
        Assert.Single(_api.CallsTo(FakeWeChatApi.TokenPath));

        _time.Advance(TimeSpan.FromSeconds(7200) - WeChatAccessTokenProvider.RefreshAhead + TimeSpan.FromSeconds(1));
        var racing = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? tokensA : tokensB).GetTokenAsync(default)));

        Assert.Equal(2, _api.CallsTo(FakeWeChatApi.TokenPath).Count);
        Assert.All(racing, t => Assert.True(t.HasValue));
        Assert.Single(racing.Select(t => t.Value).Distinct());
    }

    [Fact]
    public async Task SendCustomerServiceTextAsync_RefreshesOnceAndRetriesOnce_WhenTokenIsRejected()
    {
        var api = Instance().GetRequiredService<WeChatApiClient>();
        Assert.True((await api.SendCustomerServiceTextAsync("oUser1", "第一条", default)).IsSuccess);
        _api.RevokeToken();

        var outcome = await api.SendCustomerServiceTextAsync("oUser1", "第二条", default);

        Assert.True(outcome.IsSuccess);
        var tokenCalls = _api.CallsTo(FakeWeChatApi.TokenPath);
        Assert.Equal(2, tokenCalls.Count);
        Assert.True(tokenCalls[1].Body!["force_refresh"]!.GetValue<bool>());
        var sends = _api.CallsTo(FakeWeChatApi.CustomerServicePath);
        Assert.Equal(3, sends.Count);
        Assert.Equal(["第一条", "第二条", "第二条"], sends.Select(s => s.Body!["text"]!["content"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SendCustomerServiceTextAsync_GivesUpAfterOneRefresh_WhenTokenIsRejectedTwice()
    {
        var api = Instance().GetRequiredService<WeChatApiClient>();
        _api.FailNext(FakeWeChatApi.CustomerServicePath, 40001, times: 5);

        var outcome = await api.SendCustomerServiceTextAsync("oUser1", "你好", default);

        Assert.Equal(WeChatApiStatus.InvalidCredential, outcome.Status);
        Assert.Equal(2, _api.CallsTo(FakeWeChatApi.CustomerServicePath).Count);
        Assert.Equal(2, _api.CallsTo(FakeWeChatApi.TokenPath).Count);
    }

    [Theory]
    [InlineData(45015, WeChatApiStatus.OutOfWindow)]
    [InlineData(45009, WeChatApiStatus.QuotaExceeded)]
    [InlineData(45047, WeChatApiStatus.QuotaExceeded)]
    [InlineData(45028, WeChatApiStatus.QuotaExceeded)]
    [InlineData(43004, WeChatApiStatus.UserUnavailable)]
    [InlineData(40003, WeChatApiStatus.InvalidOpenId)]
    [InlineData(40037, WeChatApiStatus.InvalidTemplate)]
    [InlineData(40164, WeChatApiStatus.IpNotWhitelisted)]
    [InlineData(48001, WeChatApiStatus.Failed)]
    public async Task SendTemplateAsync_MapsErrorCodeWithoutRetrying_WhenWeChatRefuses(int errorCode, WeChatApiStatus expected)
    {
        var api = Instance().GetRequiredService<WeChatApiClient>();
        _api.FailNext(FakeWeChatApi.TemplatePath, errorCode);

        var outcome = await api.SendTemplateAsync(new WeChatTemplateMessage("oUser1", "TPL", new Dictionary<string, string> { ["thing1"] = "主题党日" }), default);

        Assert.Equal(expected, outcome.Status);
        Assert.Equal(errorCode, outcome.ErrorCode);
        Assert.Single(_api.CallsTo(FakeWeChatApi.TemplatePath));
    }

    [Fact]
    public async Task SendCustomerServiceNewsAsync_RetriesWithBackoff_WhenWeChatIsBusy()
    {
        var api = Instance(realClock: true).GetRequiredService<WeChatApiClient>();
        _api.FailNext(FakeWeChatApi.CustomerServicePath, -1);

        var outcome = await api.SendCustomerServiceNewsAsync("oUser1", new ArticleLink("标题", "摘要", "https://example.org/a"), default);

        Assert.True(outcome.IsSuccess);
        var calls = _api.CallsTo(FakeWeChatApi.CustomerServicePath);
        Assert.Equal(2, calls.Count);
        Assert.Equal("news", calls[1].Body!["msgtype"]!.GetValue<string>());
        Assert.Single(calls[1].Body!["news"]!["articles"]!.AsArray());
    }

    [Fact]
    public async Task SendCustomerServiceTextAsync_ReportsTransient_WhenWeChatStaysBusy()
    {
        var api = Instance(realClock: true).GetRequiredService<WeChatApiClient>();
        _api.FailNext(FakeWeChatApi.CustomerServicePath, -1, times: 10);

        var outcome = await api.SendCustomerServiceTextAsync("oUser1", "你好", default);

        Assert.Equal(WeChatApiStatus.Transient, outcome.Status);
        Assert.Equal(3, _api.CallsTo(FakeWeChatApi.CustomerServicePath).Count);
    }

    [Fact]
    public async Task SendTemplateAsync_TrimsLongValuesAndSendsUrl()
    {
        var api = Instance().GetRequiredService<WeChatApiClient>();
        var fields = new Dictionary<string, string> { ["thing2"] = "关于开展二〇二六年第一季度主题党日暨志愿服务活动的通知", ["time3"] = "2026-03-01 09:00" };

        var outcome = await api.SendTemplateAsync(new WeChatTemplateMessage("oUser1", "TPL-1", fields, "https://example.org/m/a/1"), default);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(200163836, outcome.MessageId);
        var body = Assert.Single(_api.CallsTo(FakeWeChatApi.TemplatePath)).Body!;
        Assert.Equal("关于开展二〇二六年第一季度主题党日暨志…", body["data"]!["thing2"]!["value"]!.GetValue<string>());
        Assert.Equal("2026-03-01 09:00", body["data"]!["time3"]!["value"]!.GetValue<string>());
        Assert.Equal("https://example.org/m/a/1", body["url"]!.GetValue<string>());
        Assert.Equal("TPL-1", body["template_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateMenuAsync_SendsTheTemplateMenu()
    {
        var api = Instance().GetRequiredService<WeChatApiClient>();
        var menu = await WeChatMenu.LoadAsync(Path.Combine(AppContext.BaseDirectory, "templates", "menu.json"), default);

        var outcome = await api.CreateMenuAsync(menu, default);

        Assert.True(outcome.IsSuccess);
        var body = Assert.Single(_api.CallsTo(FakeWeChatApi.MenuPath)).Body!;
        Assert.Equal(["学习", "活动", "我的"], body["button"]!.AsArray().Select(b => b!["name"]!.GetValue<string>()));
        Assert.Equal("LESSON_TODAY", body["button"]![0]!["sub_button"]![0]!["key"]!.GetValue<string>());
        Assert.Null(body["button"]![0]!["type"]);
    }

    private ServiceProvider Instance(ISessionStore? store = null, IDistributedLock? locks = null, bool realClock = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeChat:Token"] = WeChatHostFactory.Token,
            ["WeChat:AppId"] = WeChatHostFactory.AppId,
            ["WeChat:AppSecret"] = WeChatHostFactory.AppSecret,
            ["WeChat:ApiBaseUrl"] = _api.BaseUrl,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        // The resilience handler waits out its backoff on the DI clock, so retry tests need a real one.
        services.AddSingleton(realClock ? TimeProvider.System : _time);
        services.AddSingleton(store ?? new InProcessSessionStore(_time));
        services.AddSingleton(locks ?? new InProcessDistributedLock(TimeProvider.System));
        services.AddWeChatChannel(configuration);
        var provider = services.BuildServiceProvider();
        _instances.Add(provider);
        return provider;
    }
}
