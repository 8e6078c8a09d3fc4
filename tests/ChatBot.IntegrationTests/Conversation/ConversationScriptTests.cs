using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>Send → Expect scripts for every chat command, through the real engine on SQLite.</summary>
public sealed class ConversationScriptTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartSqliteAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Help_ShowsBindingInstructions_WhenUnbound()
    {
        var reply = await _h.SendAsync("u1", "帮助");
        Assert.Contains("1. 绑定", reply);
        Assert.DoesNotContain("学习（", reply);
    }

    [Fact]
    public async Task Help_ShowsNumberedMenu_AndBareNumberRunsEntry_WhenBound()
    {
        await _h.BindAsync("u1", _h.Data.Members[0].Id);
        var help = await _h.SendAsync("u1", "菜单");
        Assert.Contains("1. 学习", help);
        Assert.Contains("王建国", help);
        var first = await _h.SendAsync("u1", "1");
        Assert.Contains("诚信经营微党课", first);
    }

    [Fact]
    public async Task MemberCommands_AskToBind_WhenUnbound()
    {
        foreach (var command in new[] { "学习", "活动", "积分", "任务", "报名 1", "签到 123456" })
            Assert.Contains("需要先绑定", await _h.SendAsync("stranger", command));
    }

    [Fact]
    public async Task Bind_CoolsDown_AfterFiveWrongCodes()
    {
        for (var i = 0; i < 5; i++)
            Assert.Contains("绑定码不正确", await _h.SendAsync("u2", "绑定 WRONG" + i));
        var cooled = await _h.SendAsync("u2", "绑定 WRONG9");
        Assert.Contains("尝试次数过多", cooled);

        // Even a right code is refused during the cool-down, and works once the hour has passed.
        var code = await _h.WithDbAsync(async db =>
        {
            db.BindingCodes.Add(new BindingCode { Code = "GOOD01", MemberId = _h.Data.Members[1].Id, ExpiresAt = _h.Time.GetUtcNow().UtcDateTime.AddDays(2), CreatedAt = _h.Time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
            return "GOOD01";
        });
        Assert.Contains("尝试次数过多", await _h.SendAsync("u2", "绑定 " + code));
        _h.Time.Advance(TimeSpan.FromMinutes(61));
        Assert.Contains("绑定成功", await _h.SendAsync("u2", "绑定 " + code));
    }

    [Fact]
    public async Task Bind_RejectsExpiredAndUsedCodes()
    {
        await _h.WithDbAsync(async db =>
        {
            db.BindingCodes.Add(new BindingCode { Code = "OLD001", MemberId = _h.Data.Members[2].Id, ExpiresAt = _h.Time.GetUtcNow().UtcDateTime.AddMinutes(-1), CreatedAt = _h.Time.GetUtcNow().UtcDateTime.AddDays(-8) });
            db.BindingCodes.Add(new BindingCode { Code = "ONCE01", MemberId = _h.Data.Members[3].Id, ExpiresAt = _h.Time.GetUtcNow().UtcDateTime.AddDays(1), CreatedAt = _h.Time.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        Assert.Contains("已过期", await _h.SendAsync("u3", "绑定 OLD001"));
        Assert.Contains("绑定成功", await _h.SendAsync("u4", "绑定 once01"));
        Assert.Contains("已过期或已使用", await _h.SendAsync("u5", "绑定 ONCE01"));
    }

    [Fact]
    public async Task Bind_ByNameAndPhone_WaitsForSecretary()
    {
        var reply = await _h.SendAsync("u6", "绑定 刘芳 13800000003");
        Assert.Contains("支部书记确认", reply);
        Assert.Contains("等待支部书记确认", await _h.SendAsync("u6", "积分"));
        // A pair that matches nobody gets the same answer (no membership oracle), and reaches no secretary.
        Assert.Equal(reply, await _h.SendAsync("u7", "绑定 刘芳 13900000000"));
    }

    [Fact]
    public async Task Unbind_NeedsConfirmation()
    {
        await _h.BindAsync("u8", _h.Data.Members[4].Id);
        Assert.Contains("回复“确认”", await _h.SendAsync("u8", "解绑"));
        Assert.Contains("保留", await _h.SendAsync("u8", "不了"));
        Assert.Contains("积分", await _h.SendAsync("u8", "积分"));
        await _h.SendAsync("u8", "解绑");
        Assert.Contains("已解除绑定", await _h.SendAsync("u8", "确认"));
        Assert.Contains("需要先绑定", await _h.SendAsync("u8", "积分"));
    }

    [Fact]
    public async Task Lesson_GivesAssignedLessonWithWorkingSignedLink()
    {
        await _h.BindAsync("u1", _h.Data.Members[0].Id);
        var reply = await _h.SendAsync("u1", "学习");
        Assert.Contains("诚信经营微党课", reply);
        Assert.Contains("3天后截止", reply);
        var url = reply.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/m/lessons/")).Split("：").Last();
        var client = _h.CreateClient();
        var page = await client.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h2", await page.Content.ReadAsStringAsync());
        await client.GetAsync(new Uri(url).PathAndQuery);
        // Opening the link (twice) credits nothing: a link preview or a forward must not count as reading.
        var read = await _h.WithDbAsync(db => db.PointsEntries.Where(e => e.MemberId == _h.Data.Members[0].Id).ToListAsync());
        Assert.Empty(read);
        var forged = await client.GetAsync($"/m/lessons/{_h.Data.Lesson.Id}?t=forged");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("链接已失效", await forged.Content.ReadAsStringAsync());

        // The harness clock, not the machine's, decides expiry: past the 7-day lifetime the same link is refused.
        _h.Time.Advance(TimeSpan.FromDays(7));
        var expired = await client.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("链接已过期", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Quiz_PassingCompletesTaskAndCreditsPointsOnce()
    {
        await _h.BindAsync("u1", _h.Data.Members[0].Id);
        Assert.Contains("第 1/2 题", await _h.SendAsync("u1", "答题"));
        Assert.Contains("请回复 A、B、C 或 D", await _h.SendAsync("u1", "不知道"));
        Assert.Contains("第 2/2 题", await _h.SendAsync("u1", "ａ"));
        var done = await _h.SendAsync("u1", "B");
        Assert.Contains("答对 2/2", done);
        Assert.Contains("学习任务已完成", done);
        Assert.Contains("+7", done);

        await _h.SendAsync("u1", "答题");
        await _h.SendAsync("u1", "A");
        var again = await _h.SendAsync("u1", "B");
        Assert.Contains("恭喜通过", again);
        Assert.DoesNotContain("获得积分", again);
        var total = await _h.WithDbAsync(db => db.PointsEntries.Where(e => e.MemberId == _h.Data.Members[0].Id).SumAsync(e => e.Points));
        Assert.Equal(7, total);
        Assert.Contains("已完成 1/1", await _h.SendAsync("u1", "任务"));
    }

    [Fact]
    public async Task Quiz_CancelAndTimeout()
    {
        await _h.BindAsync("u1", _h.Data.Members[0].Id);
        await _h.SendAsync("u1", "答题");
        Assert.Contains("已退出答题", await _h.SendAsync("u1", "取消"));
        await _h.SendAsync("u1", "答题");
        _h.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Contains("没有进行中的答题", await _h.SendAsync("u1", "A"));
    }

    [Fact]
    public async Task Tasks_ShowsDueAndOverdue()
    {
        await _h.BindAsync("u1", _h.Data.Members[0].Id);
        Assert.Contains("3天后截止", await _h.SendAsync("u1", "我的任务"));
        _h.Time.Advance(TimeSpan.FromDays(5));
        Assert.Contains("已逾期", await _h.SendAsync("u1", "任务"));
    }

    [Fact]
    public async Task Policy_FindsByKeywordAndFreeText_AndSaysSoWhenNothingMatches()
    {
        Assert.Contains("商标注册补贴", await _h.SendAsync("anyone", "政策 商标"));
        var free = await _h.SendAsync("anyone", "个体户注册商标有补贴吗");
        Assert.Contains("/m/policies/", free);
        var open = await _h.SendAsync("anyone", "1");
        Assert.Contains("/m/policies/" + _h.Data.Policy.Id, open);
        Assert.Contains("答不上来", await _h.SendAsync("anyone", "今天天气怎么样"));
        Assert.Contains("关键词", await _h.SendAsync("anyone", "政策"));
        var page = await _h.CreateClient().GetAsync($"/m/policies/{_h.Data.Policy.Id}");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Activities_FullThenWaitlistThenPromotionOnCancel()
    {
        for (var i = 0; i < 3; i++) await _h.BindAsync($"m{i}", _h.Data.Members[i].Id);
        var list = await _h.SendAsync("m0", "活动");
        Assert.Contains("1. 主题党日", list);
        Assert.Contains("2. 党课", list);

        Assert.Contains("报名成功", await _h.SendAsync("m0", "报名 1"));
        Assert.Contains("无需重复报名", await _h.SendAsync("m0", "报名1"));
        await _h.SendAsync("m1", "活动");
        Assert.Contains("报名成功", await _h.SendAsync("m1", "报名　１"));
        await _h.SendAsync("m2", "活动");
        Assert.Contains("候补，排第 1 位", await _h.SendAsync("m2", "报名 1"));
        Assert.Contains("候补中", await _h.SendAsync("m2", "我的报名"));

        Assert.Contains("已取消", await _h.SendAsync("m0", "取消报名 1"));
        var signUp = await _h.WithDbAsync(db => db.SignUps.SingleAsync(s => s.MemberId == _h.Data.Members[2].Id));
        Assert.Equal(SignUpStatus.Registered, signUp.Status);
        var notification = await _h.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.MemberId == _h.Data.Members[2].Id));
        Assert.Contains("候补转为正式报名", notification.Payload);
    }

    [Fact]
    public async Task Register_AfterDeadline_SaysSo()
    {
        await _h.BindAsync("m0", _h.Data.Members[0].Id);
        _h.Time.Advance(TimeSpan.FromDays(1.5));
        await _h.SendAsync("m0", "活动");
        Assert.Contains("报名已于", await _h.SendAsync("m0", "报名 1"));
        Assert.Contains("没有编号为 9", await _h.SendAsync("m0", "报名 9"));
        Assert.Contains("加上活动编号", await _h.SendAsync("m0", "报名 abc"));
    }

    [Fact]
    public async Task CheckIn_OnlyInsideWindow_AndCreditsOnce()
    {
        await _h.BindAsync("m0", _h.Data.Members[0].Id);
        await _h.SendAsync("m0", "活动");
        await _h.SendAsync("m0", "报名 1");
        Assert.Contains("还没开始", await _h.SendAsync("m0", "签到 246810"));
        _h.Time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(10));
        Assert.Contains("签到码不正确", await _h.SendAsync("m0", "签到 000000"));
        Assert.Contains("积分 +3", await _h.SendAsync("m0", "签到 ２４６８１０"));
        Assert.Contains("签到过了", await _h.SendAsync("m0", "签到 246810"));
        _h.Time.Advance(TimeSpan.FromHours(1));
        await _h.BindAsync("m1", _h.Data.Members[1].Id);
        Assert.Contains("签到已结束", await _h.SendAsync("m1", "签到 246810"));
        var points = await _h.SendAsync("m0", "积分");
        Assert.Contains("累计 3 分", points);
        Assert.Contains("参加活动签到：+3", points);
    }

    [Fact]
    public async Task OddInput_GetsHelpfulReplies()
    {
        Assert.Contains("答不上来", await _h.SendAsync("odd", "🙂🙂"));
        Assert.Contains("答不上来", await _h.SendAsync("odd", new string('好', 5000)));
        Assert.Contains("编号 7 没有对应的内容", await _h.SendAsync("odd", "7"));
        Assert.Contains("当前没有需要确认", await _h.SendAsync("odd", "确认"));
        Assert.Contains("商标", await _h.SendAsync("odd", "政策 商標補貼"));
    }

    [Fact]
    public async Task Events_SubscribeWelcomes_UnsubscribeStopsPushes_MenuClickIsCommand()
    {
        var welcome = await _h.HandleAsync(Event("ev1", InboundKind.Subscribe, null));
        Assert.Contains("欢迎关注", welcome.Text);
        var gone = await _h.HandleAsync(Event("ev1", InboundKind.Unsubscribe, null));
        Assert.Equal(ReplyKind.None, gone.Kind);
        var identity = await _h.WithDbAsync(db => db.ChannelIdentities.SingleAsync(i => i.ExternalId == "ev1"));
        Assert.False(identity.Subscribed);
        var menu = await _h.HandleAsync(Event("ev2", InboundKind.MenuClick, "POLICY"));
        Assert.Contains("关键词", menu.Text);
        var voice = await _h.HandleAsync(Event("ev2", InboundKind.Voice, null));
        Assert.Contains("语音", voice.Text);
    }

    [Fact]
    public async Task Subscribe_WithBindingCodeScene_Binds()
    {
        await _h.WithDbAsync(async db =>
        {
            db.BindingCodes.Add(new BindingCode { Code = "QR1234", MemberId = _h.Data.Members[1].Id, ExpiresAt = _h.Time.GetUtcNow().UtcDateTime.AddDays(1), CreatedAt = _h.Time.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        var reply = await _h.HandleAsync(Event("qr-user", InboundKind.Subscribe, "QR1234"));
        Assert.Contains("绑定成功", reply.Text);
    }

    [Fact]
    public async Task GroupCommands_ActivitiesProgressAndPrivateOnly()
    {
        var list = await _h.SendAsync("dt-staff-1", "活动", Channel.DingTalk, "cid-test-group");
        Assert.Contains("本支部近期活动", list);
        var progress = await _h.SendAsync("dt-staff-1", "进度", Channel.DingTalk, "cid-test-group");
        Assert.Contains("0/5 已完成", progress);
        Assert.DoesNotContain("王建国", progress);
        Assert.Contains("私聊", await _h.SendAsync("dt-staff-1", "积分", Channel.DingTalk, "cid-test-group"));
        Assert.Contains("私聊我发送", await _h.SendAsync("dt-staff-1", "报名 1", Channel.DingTalk, "cid-test-group"));
        Assert.Contains("还没有关联", await _h.SendAsync("dt-staff-1", "活动", Channel.DingTalk, "cid-unknown"));
    }

    private InboundMessage Event(string sender, InboundKind kind, string? key) => new()
    {
        Channel = Channel.WeChat, SenderId = sender, Kind = kind, EventKey = key,
        DedupeKey = $"ev:{Guid.NewGuid():N}", ReceivedAt = _h.Time.GetUtcNow().UtcDateTime,
    };
}
