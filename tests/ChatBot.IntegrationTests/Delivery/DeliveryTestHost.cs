using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.Host.Delivery;
using ChatBot.IntegrationTests.Data;
using ChatBot.IntegrationTests.WeChat;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Delivery;

/// <summary>
/// The real host on a <see cref="TestDatabase"/> (SQLite or PostgreSQL) with WeChat pointed at a <see cref="FakeWeChatApi"/>,
/// a pinned clock (10:00 Shanghai, outside quiet hours) and the sender loop off: tests run the passes themselves.
/// </summary>
public sealed class DeliveryTestHost(TestDatabase database, FakeWeChatApi api, FakeTimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "chatbot-delivery-keys-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Clock => clock;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", database.Provider);
        builder.UseSetting("Database:ConnectionString", database.ConnectionString);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Redis:Configuration", "");
        builder.UseSetting("Delivery:WorkerEnabled", "false");
        builder.UseSetting("GroupChats:KeysDirectory", _keys);
        builder.UseSetting("WeChat:Token", WeChatHostFactory.Token);
        builder.UseSetting("WeChat:AppId", WeChatHostFactory.AppId);
        builder.UseSetting("WeChat:AppSecret", WeChatHostFactory.AppSecret);
        builder.UseSetting("WeChat:EncodingAESKey", WeChatHostFactory.EncodingAesKey);
        builder.UseSetting("WeChat:ApiBaseUrl", api.BaseUrl);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
        });
    }

    public OutboxSender Sender => Services.GetRequiredService<OutboxSender>();

    public IOutbox Outbox => Services.GetRequiredService<IOutbox>();

    public async Task<T> QueryAsync<T>(Func<ChatBotDbContext, Task<T>> query)
    {
        await using var db = Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
        return await query(db);
    }

    /// <summary>Members bound on WeChat (openid-{i}), each having written <paramref name="lastInboundAgo"/> ago.</summary>
    public async Task<List<(int MemberId, string OpenId)>> AddWeChatMembersAsync(int count, TimeSpan lastInboundAgo, string prefix = "openid")
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
        var organisation = await TestData.AddOrganisationAsync(db);
        var members = new List<(Member Member, ChannelIdentity Identity)>();
        for (var i = 0; i < count; i++)
        {
            var member = new Member { Name = $"党员{i}", OrganisationId = organisation.Id, CreatedAt = now };
            var identity = new ChannelIdentity
            {
                Channel = Channel.WeChat, ExternalId = $"{prefix}-{i}", Member = member, State = BindingState.Bound, BoundAt = now,
                Subscribed = true, LastInboundAt = now - lastInboundAgo, CreatedAt = now,
            };
            db.ChannelIdentities.Add(identity);
            members.Add((member, identity));
        }
        await db.SaveChangesAsync();
        return members.Select(m => (m.Member.Id, m.Identity.ExternalId)).ToList();
    }

    public static OutboxItem MemberItem(int memberId, string key, string kind = "broadcast", string text = "学习通知：请完成本周学习任务", string? url = null) => new()
    {
        IdempotencyKey = key,
        MemberId = memberId,
        Route = DeliveryRoute.WeChatCustomerService,
        Payload = new ChatBot.Core.Delivery.MemberMessage(kind, "学习通知", text, url).ToJson(),
    };

    /// <summary>Runs sender passes until nothing is due (bounded).</summary>
    public async Task DrainAsync(int maxPasses = 50)
    {
        for (var i = 0; i < maxPasses && await Sender.ProcessDueAsync() > 0; i++)
        {
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_keys, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
