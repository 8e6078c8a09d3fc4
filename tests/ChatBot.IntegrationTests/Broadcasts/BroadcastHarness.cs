using System.Net.Http.Json;
using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Admin;
using ChatBot.Host.Broadcasts;
using ChatBot.Host.Data;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Broadcasts;
using Delivery = ChatBot.Core.Domain.Delivery;


/// <summary>
/// The real host on its own SQLite file with WeChat and DingTalk switched on (fake base URLs), the scheduler and
/// group worker off (tests drive them), and a clock pinned relative to the real one: a Monday 10:00 in Shanghai at
/// least two weeks ahead, so no pinned date ever falls into the real past (Hangfire and link expiry see real time).
/// </summary>
public sealed class BroadcastHarness : IAsyncDisposable
{
    /// <summary>A 超级管理员 API key, created in the host's database at start.</summary>
    public string ApiKey { get; private set; } = "";

    private BroadcastHarness(ChatBotFactory factory, FakeTimeProvider clock)
    {
        Factory = factory;
        Clock = clock;
    }

    public ChatBotFactory Factory { get; }
    public FakeTimeProvider Clock { get; }
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;
    public Seeded Data { get; private set; } = null!;

    /// <summary>Monday 10:00 Asia/Shanghai, 14–20 days after the real now.</summary>
    public static DateTimeOffset PinnedMonday()
    {
        var local = DateTimeOffset.UtcNow.AddDays(14).ToOffset(TimeSpan.FromHours(8)).Date;
        while (local.DayOfWeek != DayOfWeek.Monday) local = local.AddDays(1);
        return new DateTimeOffset(local.Year, local.Month, local.Day, 10, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();
    }

    public static async Task<BroadcastHarness> StartAsync(IDictionary<string, string?>? settings = null, ChatBotFactory? factory = null,
        FakeTimeProvider? clock = null, bool seed = true, bool postgres = false)
    {
        clock ??= new FakeTimeProvider(PinnedMonday());
        factory ??= new ChatBotFactory();
        if (postgres) await factory.UsePostgresAsync();
        factory.TimeProvider = clock;
        factory.Settings["Broadcasts:WorkerEnabled"] = "false";
        factory.Settings["GroupChats:WorkerEnabled"] = "false";
        factory.Settings.TryAdd("Delivery:WorkerEnabled", "false");
        factory.Settings["WeChat:Token"] = "test-token";
        factory.Settings["WeChat:AppId"] = "wx-test-app";
        factory.Settings["WeChat:AppSecret"] = "wx-test-secret";
        factory.Settings.TryAdd("WeChat:ApiBaseUrl", "http://127.0.0.1:9");
        factory.Settings["DingTalk:AppKey"] = "ding-app-key";
        factory.Settings["DingTalk:AppSecret"] = "ding-app-secret";
        factory.Settings["DingTalk:RobotCode"] = "dingrobot";
        factory.Settings.TryAdd("DingTalk:ApiBaseUrl", "http://127.0.0.1:9");
        factory.Settings["MemberPages:PublicBaseUrl"] = "https://dj.example.cn";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) factory.Settings[key] = value;
        var harness = new BroadcastHarness(factory, clock);
        _ = factory.Services; // start: migrations run
        harness.ApiKey = await TestApiKeys.CreateAsync(factory.Services);
        if (seed) harness.Data = await harness.SeedAsync();
        return harness;
    }

    public HttpClient Client()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add(AdminApiGuard.ApiKeyHeader, ApiKey);
        return client;
    }

    public T Get<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    public ChatBotDbContext Db() => Get<IChatBotDbContextFactory>().CreateDbContext();

    public async Task<T> QueryAsync<T>(Func<ChatBotDbContext, Task<T>> query)
    {
        await using var db = Db();
        return await query(db);
    }

    /// <summary>Marks rows as a sender would have settled them (the outbox sender is not part of these tests).</summary>
    public async Task SettleAsync(Func<IQueryable<Delivery>, IQueryable<Delivery>> which, DeliveryStatus status, string? error = null)
    {
        await using var db = Db();
        var now = Now;
        await which(db.Deliveries).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.SentAt, status == DeliveryStatus.Sent ? now : null));
    }

    public async Task<int> CreateAsync(object body)
    {
        var response = await Client().PostAsJsonAsync("/api/v1/broadcasts", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt32();
    }

    public async Task<JsonElement> PostAsync(string path, object? body = null, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        var response = await Client().PostAsJsonAsync(path, body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        // Confirm and resend write their rows in the background: wait until they are all written.
        await Get<BroadcastRunner>().WhenWrittenAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Client().GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public sealed record Seeded(int Committee, int BranchA, int SubBranchA1, int BranchB, Dictionary<string, int> Members, Dictionary<string, int> Chats, int LessonId);

    /// <summary>
    /// Committee ← branch A ← sub-branch A1, and branch B. Members (by key): cs (WeChat, window open), closed (window
    /// closed 72 h ago), unbound, unsubscribed, ding (DingTalk only), archived, mobile (A1, 流动党员, window open),
    /// activistB (branch B, 入党积极分子, window open). Group chats in A: dingOk, weComOk, muted, broken.
    /// </summary>
    private async Task<Seeded> SeedAsync()
    {
        await using var db = Db();
        var now = Now;
        Organisation Org(string name, Organisation? parent)
        {
            var o = new Organisation { Name = name, Kind = parent is null ? OrganisationKind.Committee : OrganisationKind.MarketBranch, CreatedAt = now, Parent = parent };
            db.Organisations.Add(o);
            return o;
        }
        var committee = Org("个体私营经济综合党委", null);
        await db.SaveChangesAsync();
        var a = Org("城南市场党支部", committee);
        var b = Org("城北商会党支部", committee);
        await db.SaveChangesAsync();
        var a1 = Org("城南市场流动党员中心支部", a);
        await db.SaveChangesAsync();
        committee.Path = OrganisationPath.Root.Child(committee.Id).Value;
        a.Path = committee.TreePath.Child(a.Id).Value;
        b.Path = committee.TreePath.Child(b.Id).Value;
        a1.Path = a.TreePath.Child(a1.Id).Value;

        var members = new Dictionary<string, Member>();
        Member M(string key, string name, Organisation org, MemberStatus status = MemberStatus.Full, bool mobile = false, bool archived = false)
        {
            var m = new Member { Name = name, Organisation = org, Status = status, IsMobile = mobile, Archived = archived, Phone = "1380013" + (members.Count + 1000), CreatedAt = now };
            db.Members.Add(m);
            members[key] = m;
            return m;
        }
        void WeChat(Member m, DateTime? lastInbound, bool subscribed = true) => db.ChannelIdentities.Add(new ChannelIdentity
        {
            Channel = Channel.WeChat, ExternalId = "o-" + m.Name, Member = m, State = BindingState.Bound, Subscribed = subscribed,
            LastInboundAt = lastInbound, BoundAt = now, CreatedAt = now,
        });
        WeChat(M("cs", "王建国", a), now.AddHours(-1));
        WeChat(M("closed", "李秀英", a), now.AddHours(-72));
        M("unbound", "张伟", a);
        WeChat(M("unsubscribed", "刘洋", a), now.AddHours(-1), subscribed: false);
        db.ChannelIdentities.Add(new ChannelIdentity { Channel = Channel.DingTalk, ExternalId = "staff-ding", Member = M("ding", "陈静", a), State = BindingState.Bound, BoundAt = now, CreatedAt = now });
        WeChat(M("archived", "赵磊", a, archived: true), now.AddHours(-1));
        WeChat(M("mobile", "孙丽", a1, mobile: true, status: MemberStatus.Probationary), now.AddHours(-2));
        WeChat(M("activistB", "周强", b, status: MemberStatus.Activist), now.AddHours(-3));

        var chats = new Dictionary<string, GroupChat>
        {
            ["dingOk"] = new() { Name = "城南市场党员群", Organisation = a, Channel = Channel.DingTalk, CreatedAt = now },
            ["weComOk"] = new() { Name = "城南个私协会群", Organisation = a, Channel = Channel.WeCom, CreatedAt = now },
            ["muted"] = new() { Name = "城南静音群", Organisation = a, Channel = Channel.DingTalk, Muted = true, CreatedAt = now },
            ["broken"] = new() { Name = "城南失效群", Organisation = a, Channel = Channel.WeCom, BrokenReason = "93000 robot removed", BrokenAt = now, CreatedAt = now },
        };
        db.GroupChats.AddRange(chats.Values);
        var lesson = new ContentItem { Kind = ContentKind.Lesson, Title = "微党课：新时代党员的责任", BodyMarkdown = "正文", Status = ContentStatus.Published, PublishedAt = now, CreatedAt = now, UpdatedAt = now };
        db.ContentItems.Add(lesson);
        await db.SaveChangesAsync();
        return new Seeded(committee.Id, a.Id, a1.Id, b.Id, members.ToDictionary(kv => kv.Key, kv => kv.Value.Id),
            chats.ToDictionary(kv => kv.Key, kv => kv.Value.Id), lesson.Id);
    }

    /// <summary>A draft to branch A and its subtree with its group chats.</summary>
    public object BranchABody(bool urgent = false, bool groupChats = true, int? contentItemId = null, string title = "党费收缴通知") => new
    {
        title, text = "**请各位党员**于本月底前完成党费缴纳。", contentItemId,
        audience = new { organisationIds = new[] { Data.BranchA }, includeSubtrees = true, groupChats },
        urgent,
    };

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
