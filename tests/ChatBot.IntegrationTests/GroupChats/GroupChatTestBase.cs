using ChatBot.Core.Domain;
using ChatBot.Host.GroupChats;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.GroupChats;

/// <summary>A fresh fake platform and host per test, on a pinned clock.</summary>
public abstract class GroupChatTestBase : IAsyncLifetime
{
    public const string DingTalkSecret = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
    protected FakeRobotServer Fake { get; private set; } = null!;
    protected GroupChatTestHost Host { get; private set; } = null!;
    protected GroupPushQueue Queue => Host.Get<GroupPushQueue>();
    protected GroupChatSettingsService Settings => Host.Get<GroupChatSettingsService>();

    public virtual async Task InitializeAsync()
    {
        Fake = await FakeRobotServer.StartAsync(Clock);
        Host = new GroupChatTestHost(Fake, Clock);
        _ = Host.Server; // start the host (migrations run here)
    }

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Host.DeleteFiles();
        await Fake.DisposeAsync();
    }

    protected async Task<int> AddDingTalkChatAsync(string token, string? robotSecret = DingTalkSecret, string? enteredSecret = DingTalkSecret)
    {
        var org = await Host.AddBranchAsync();
        var webhook = Fake.AddDingTalkRobot(token, robotSecret);
        return await Settings.CreateAsync(new GroupChatSettings
        {
            OrganisationId = org, Channel = Channel.DingTalk, Name = "城南市场党员群", WebhookUrl = webhook, Secret = enteredSecret,
        });
    }

    protected async Task<int> AddWeComChatAsync(string key, bool registerRobot = true)
    {
        var org = await Host.AddBranchAsync();
        var webhook = registerRobot ? Fake.AddWeComRobot(key) : $"{Fake.BaseUrl}/cgi-bin/webhook/send?key={key}";
        return await Settings.CreateAsync(new GroupChatSettings
        {
            OrganisationId = org, Channel = Channel.WeCom, Name = "个私协会分会群", WebhookUrl = webhook,
        });
    }

    /// <summary>Runs the worker's pass and steps the clock until nothing is left or the step budget runs out.</summary>
    protected async Task DrainAsync(TimeSpan step, int maxSteps = 400)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            await Host.ProcessDueAsync();
            var pending = await Host.QueryAsync(db => Task.FromResult(db.Deliveries.Count(d => d.Status == DeliveryStatus.Pending)));
            if (pending == 0)
                return;
            Clock.Advance(step);
        }
    }

    protected static string CardTitle(RecordedPost post) =>
        post.Body.GetProperty("actionCard").GetProperty("title").GetString()!;

    /// <summary>The largest number of posts inside any half-open window [t, t + length).</summary>
    protected static int MaxInAnyWindow(IReadOnlyList<RecordedPost> posts, TimeSpan length) =>
        posts.Count == 0 ? 0 : posts.Max(p => posts.Count(q => q.At >= p.At && q.At < p.At + length));
}
