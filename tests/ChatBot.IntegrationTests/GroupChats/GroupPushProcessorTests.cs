using ChatBot.Core.Domain;
using ChatBot.Core.Ports;
using ChatBot.Host.GroupChats;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.GroupChats;

public sealed class GroupPushProcessorTests : GroupChatTestBase
{
    private static GroupPush Notice(int n) =>
        GroupPush.Card($"通知 {n}", $"第 {n} 条支部通知", new GroupPushLink("查看详情", $"https://example.org/m/notice/{n}"));

    [Fact]
    public async Task ProcessDueAsync_PostsSignedDingTalkMessagesOfEachKind_WhenPushesAreQueued()
    {
        var chat = await AddDingTalkChatAsync("dt-kinds");
        await Queue.EnqueueAsync(chat, "k-text", GroupPush.PlainText("请大家按时参加主题党日", ["13800001111"]));
        await Queue.EnqueueAsync(chat, "k-card", GroupPush.Card("本周微党课", "**5分钟**学习", new GroupPushLink("开始学习", "https://example.org/m/lesson/1"),
            new GroupPushLink("我的任务", "https://example.org/m/tasks")));
        await Queue.EnqueueAsync(chat, "k-md", GroupPush.MarkdownText("政策速递", "个体工商户减税政策"));

        await Host.ProcessDueAsync();

        // The fake checks 加签 against the robot's secret: an accepted post had a valid timestamp and sign.
        var posts = Fake.Accepted("dt-kinds");
        Assert.Equal(["text", "actionCard", "markdown"], posts.Select(p => p.MsgType));
        Assert.All(posts, p => Assert.True(p.Query.ContainsKey("sign")));
        Assert.Contains("@13800001111", posts[0].Body.GetProperty("text").GetProperty("content").GetString());
        Assert.Equal("13800001111", posts[0].Body.GetProperty("at").GetProperty("atMobiles")[0].GetString());
        var buttons = posts[1].Body.GetProperty("actionCard").GetProperty("btns");
        Assert.Equal("https://example.org/m/lesson/1", buttons[0].GetProperty("actionURL").GetString());
        Assert.Equal(2, buttons.GetArrayLength());
        Assert.Equal("政策速递", posts[2].Body.GetProperty("markdown").GetProperty("title").GetString());
        var statuses = await Host.QueryAsync(db => db.Deliveries.Select(d => d.Status).ToListAsync());
        Assert.All(statuses, s => Assert.Equal(DeliveryStatus.Sent, s));
    }

    [Fact]
    public async Task ProcessDueAsync_RendersWeComKinds_WhenChatIsWeCom()
    {
        var chat = await AddWeComChatAsync("wc-kinds");
        await Queue.EnqueueAsync(chat, "w-text", GroupPush.PlainText("明晚七点支部大会", ["13800001111"]));
        await Queue.EnqueueAsync(chat, "w-news", GroupPush.News(new GroupPushLink("商标注册补贴", "https://example.org/m/policy/7", "申请指南", "https://example.org/p.png")));
        await Queue.EnqueueAsync(chat, "w-card", GroupPush.Card("活动报名", "光彩助农志愿服务", new GroupPushLink("报名", "https://example.org/m/activity/3")));
        await Queue.EnqueueAsync(chat, "w-md", GroupPush.MarkdownText("积分公示", "本月积分已更新"));

        await Host.ProcessDueAsync();

        var posts = Fake.Accepted("wc-kinds");
        Assert.Equal(["text", "news", "template_card", "markdown"], posts.Select(p => p.MsgType));
        Assert.Equal("13800001111", posts[0].Body.GetProperty("text").GetProperty("mentioned_mobile_list")[0].GetString());
        Assert.Equal("https://example.org/m/policy/7", posts[1].Body.GetProperty("news").GetProperty("articles")[0].GetProperty("url").GetString());
        var card = posts[2].Body.GetProperty("template_card");
        Assert.Equal("text_notice", card.GetProperty("card_type").GetString());
        Assert.Equal("https://example.org/m/activity/3", card.GetProperty("card_action").GetProperty("url").GetString());
        Assert.Contains("本月积分已更新", posts[3].Body.GetProperty("markdown").GetProperty("content").GetString());
    }

    [Fact]
    public async Task ProcessDueAsync_NeverExceeds20InAnyRollingMinute_WhenBurstOf100IsQueued()
    {
        var chat = await AddDingTalkChatAsync("dt-burst");
        for (var n = 1; n <= 100; n++)
            await Queue.EnqueueAsync(chat, $"burst-{n}", Notice(n));

        await DrainAsync(TimeSpan.FromSeconds(5));

        var posts = Fake.Accepted("dt-burst");
        Assert.Equal(Enumerable.Range(1, 100).Select(n => $"通知 {n}"), posts.Select(CardTitle));
        Assert.True(MaxInAnyWindow(posts, TimeSpan.FromMinutes(1)) <= 20, $"max per rolling minute was {MaxInAnyWindow(posts, TimeSpan.FromMinutes(1))}");
        // The budget is used, not just respected: the first minute carries the full 20.
        Assert.Equal(20, posts.Count(p => p.At < posts[0].At + TimeSpan.FromMinutes(1)));
        Assert.Equal(100, Fake.Posts.Count(p => p.Robot == "dt-burst"));
    }

    [Theory]
    [InlineData(Channel.DingTalk, 130101L)]
    [InlineData(Channel.WeCom, 45009L)]
    public async Task ProcessDueAsync_PausesRobotTenMinutesThenResumesInOrder_WhenPlatformThrottles(Channel channel, long throttleCode)
    {
        var robot = $"throttle-{channel}";
        var chat = channel == Channel.DingTalk ? await AddDingTalkChatAsync(robot) : await AddWeComChatAsync(robot);
        Fake.Script(robot, 0, "ok", times: 2);
        Fake.Script(robot, throttleCode, "send too fast");
        for (var n = 1; n <= 5; n++)
            await Queue.EnqueueAsync(chat, $"t-{channel}-{n}", Notice(n));

        await Host.ProcessDueAsync();

        Assert.Equal(2, Fake.Accepted(robot).Count);
        var pause = await Host.Get<IRateLimiter>().GetPauseAsync(GroupPushProcessor.LimiterKey(chat));
        Assert.Equal(TimeSpan.FromMinutes(10), pause);

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        await Host.ProcessDueAsync();
        Assert.Equal(3, Fake.Posts.Count(p => p.Robot == robot)); // nothing tried while paused

        Clock.Advance(TimeSpan.FromSeconds(1));
        await Host.ProcessDueAsync();

        var accepted = Fake.Accepted(robot);
        Assert.Equal(["通知 1", "通知 2", "通知 3", "通知 4", "通知 5"], accepted.Select(p => channel == Channel.DingTalk
            ? CardTitle(p)
            : p.Body.GetProperty("template_card").GetProperty("main_title").GetProperty("title").GetString()));
        Assert.True(accepted[2].At >= accepted[1].At + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task ProcessDueAsync_RetriesWithBackoffAndKeepsOrder_WhenSendFailsTransiently()
    {
        var chat = await AddDingTalkChatAsync("dt-busy");
        Fake.Script("dt-busy", -1, "系统繁忙");
        for (var n = 1; n <= 3; n++)
            await Queue.EnqueueAsync(chat, $"busy-{n}", Notice(n));

        await Host.ProcessDueAsync();
        await Host.ProcessDueAsync();
        Assert.Empty(Fake.Accepted("dt-busy")); // the head backs off and the rest wait behind it

        Clock.Advance(TimeSpan.FromSeconds(30));
        await Host.ProcessDueAsync();

        Assert.Equal(["通知 1", "通知 2", "通知 3"], Fake.Accepted("dt-busy").Select(CardTitle));
        var first = await Host.QueryAsync(db => db.Deliveries.SingleAsync(d => d.IdempotencyKey == "busy-1"));
        Assert.Equal(2, first.Attempts);
        Assert.Equal(DeliveryStatus.Sent, first.Status);
    }

    [Fact]
    public async Task ProcessDueAsync_MergesQueuedTextIntoOneMarkdown_WhenSeveralArePending()
    {
        var chat = await AddDingTalkChatAsync("dt-merge");
        for (var n = 1; n <= 5; n++)
            await Queue.EnqueueAsync(chat, $"m-{n}", GroupPush.PlainText($"第{n}条：今日学习提醒"));

        await Host.ProcessDueAsync();

        var post = Assert.Single(Fake.Accepted("dt-merge"));
        Assert.Equal("markdown", post.MsgType);
        var text = post.Body.GetProperty("markdown").GetProperty("text").GetString()!;
        var positions = Enumerable.Range(1, 5).Select(n => text.IndexOf($"第{n}条", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(5, await Host.QueryAsync(db => db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Sent)));
    }

    [Fact]
    public async Task EnqueueAsync_SendsOnce_WhenSameIdempotencyKeyIsQueuedTwice()
    {
        var chat = await AddDingTalkChatAsync("dt-once");

        var first = await Queue.EnqueueAsync(chat, "once", Notice(1));
        var second = await Queue.EnqueueAsync(chat, "once", Notice(1));
        await Host.ProcessDueAsync();
        await Host.ProcessDueAsync();

        Assert.Equal(GroupPushEnqueueResult.Queued, first);
        Assert.Equal(GroupPushEnqueueResult.Duplicate, second);
        Assert.Single(Fake.Posts, p => p.Robot == "dt-once");
    }

    [Fact]
    public async Task EnqueueAsync_WritesSkipped_WhenChatIsMuted()
    {
        var chat = await AddDingTalkChatAsync("dt-muted");
        await Settings.UpdateAsync(chat, new GroupChatSettingsUpdate { Muted = true });

        var result = await Queue.EnqueueAsync(chat, "muted-1", Notice(1));
        await Host.ProcessDueAsync();

        Assert.Equal(GroupPushEnqueueResult.SkippedMuted, result);
        Assert.Empty(Fake.Posts);
        var row = await Host.QueryAsync(db => db.Deliveries.SingleAsync());
        Assert.Equal(DeliveryStatus.Skipped, row.Status);
    }
}
