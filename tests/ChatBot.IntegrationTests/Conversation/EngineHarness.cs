using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using ChatBot.Host.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>
/// The Send → Expect test channel: the real host (engine, EF services, templates, search) on a database of the
/// given provider, with pinned time and a small known organisation instead of the demo seed.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly string? _sqliteFile;
    private readonly string? _postgresDatabase;
    private int _messageId;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero)); // 10:00 Shanghai
    public TestOrganisation Data { get; private set; } = null!;

    private EngineHarness(string provider, string connectionString, string? sqliteFile, string? postgresDatabase,
        IReadOnlyDictionary<string, string?>? settings = null, bool realServer = false)
    {
        _sqliteFile = sqliteFile;
        _postgresDatabase = postgresDatabase;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Database:Provider", provider);
            b.UseSetting("Database:ConnectionString", connectionString);
            b.UseSetting("Demo:Seed", "false");
            b.UseSetting("WeChat:Token", "");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                b.UseSetting(key, value);
            b.ConfigureServices(s =>
            {
                s.RemoveAll<TimeProvider>();
                s.AddSingleton<TimeProvider>(Time);
            });
        });
        if (realServer)
        {
            // A real Kestrel socket on a free loopback port, for a browser to reach.
            _factory.UseKestrel(0);
            _factory.StartServer();
        }
    }

    /// <summary>Base address of the real server (only with <c>realServer</c>).</summary>
    public Uri ServerAddress => new(_factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    public static async Task<EngineHarness> StartSqliteAsync(IReadOnlyDictionary<string, string?>? settings = null, bool realServer = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"chatbot-engine-{Guid.NewGuid():N}.db");
        var harness = new EngineHarness("Sqlite", $"Data Source={file}", file, null, settings, realServer);
        await harness.InitialiseAsync();
        return harness;
    }

    public static async Task<EngineHarness> StartPostgresAsync(string serverConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = $"chatbot_engine_{Guid.NewGuid():N}";
        var harness = new EngineHarness("Postgres", $"{serverConnectionString};Database={database}", null, database, settings);
        harness._serverConnectionString = serverConnectionString;
        await harness.InitialiseAsync();
        return harness;
    }

    private string? _serverConnectionString;

    private async Task InitialiseAsync()
    {
        _ = _factory.Services; // starts the host: migrations run
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatBotDbContext>();
        Data = await TestOrganisation.CreateAsync(db, Time.GetUtcNow().UtcDateTime);
        await scope.ServiceProvider.GetRequiredService<ChatBot.Host.Features.PolicyIndexRefresher>().RefreshAsync(default);
    }

    public IServiceProvider Services => _factory.Services;

    public HttpClient CreateClient() => _factory.CreateClient();

    public async Task<string> SendAsync(string sender, string text, Channel channel = Channel.WeChat, string? conversationId = null)
    {
        var reply = await HandleAsync(new InboundMessage
        {
            Channel = channel,
            SenderId = sender,
            ConversationId = conversationId,
            Kind = InboundKind.Text,
            Text = text,
            DedupeKey = $"test:{Interlocked.Increment(ref _messageId)}",
            ReceivedAt = Time.GetUtcNow().UtcDateTime,
        });
        return reply.Kind == ReplyKind.Article ? reply.Article!.Title + "\n" + reply.Article.Url : reply.Text;
    }

    /// <summary>Settings that switch the WeChat channel on in plaintext mode, for <see cref="PostWeChatAsync"/>.</summary>
    public static IReadOnlyDictionary<string, string?> WeChatPlain { get; } = new Dictionary<string, string?>
    {
        ["WeChat:Token"] = WeChat.WeChatHostFactory.Token,
        ["WeChat:AppId"] = WeChat.WeChatHostFactory.AppId,
        ["WeChat:AppSecret"] = WeChat.WeChatHostFactory.AppSecret,
        ["WeChat:Mode"] = "Plain",
        ["WeChat:ApiBaseUrl"] = "http://127.0.0.1:9",
    };

    /// <summary>
    /// Sends <paramref name="text"/> from <paramref name="openId"/> as a signed plaintext POST /wechat — the real
    /// request path, black box — and returns the status and the passive reply's Content ("" when none).
    /// The harness must have been started with <see cref="WeChatPlain"/>; timestamps come from the pinned clock.
    /// </summary>
    public async Task<(System.Net.HttpStatusCode Status, string Reply)> PostWeChatAsync(string openId, string text, HttpClient? client = null)
    {
        var id = Interlocked.Increment(ref _messageId);
        var xml = WeChat.WeChatRequests.TextMessage((900_000_000 + id).ToString(System.Globalization.CultureInfo.InvariantCulture), text, openId);
        var request = WeChat.WeChatRequests.Post(xml, WeChat.WeChatMode.Plaintext, timestamp: WeChat.WeChatRequests.Unix(Time.GetUtcNow()));
        var response = await (client ?? CreateClient()).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body is "" or "success")
            return (response.StatusCode, "");
        var reply = System.Xml.Linq.XElement.Parse(body);
        return (response.StatusCode, reply.Element("Content")?.Value ?? reply.Element("Articles")?.Value ?? "");
    }

    public async Task<OutboundReply> HandleAsync(InboundMessage message)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IConversationEngine>().HandleAsync(message, CancellationToken.None);
    }

    public async Task<T> WithDbAsync<T>(Func<ChatBotDbContext, Task<T>> work)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ChatBotDbContext>());
    }

    /// <summary>Binds a sender to a member with a fresh one-time code, through the real 绑定 command.</summary>
    public async Task BindAsync(string sender, int memberId)
    {
        var code = await WithDbAsync(async db =>
        {
            var c = new BindingCode { Code = "C" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant(), MemberId = memberId,
                ExpiresAt = Time.GetUtcNow().UtcDateTime.AddDays(1), CreatedAt = Time.GetUtcNow().UtcDateTime };
            db.BindingCodes.Add(c);
            await db.SaveChangesAsync();
            return c.Code;
        });
        var reply = await SendAsync(sender, "绑定 " + code);
        Assert.Contains("绑定成功", reply);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (_sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
                if (File.Exists(f)) File.Delete(f);
        }
        if (_postgresDatabase is not null && _serverConnectionString is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var conn = new Npgsql.NpgsqlConnection(_serverConnectionString);
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
