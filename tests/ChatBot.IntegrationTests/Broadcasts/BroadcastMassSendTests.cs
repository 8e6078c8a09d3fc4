using ChatBot.Core.Domain;
using ChatBot.Core.Features;
using ChatBot.Host.Features;
using ChatBot.Host.Delivery;
using ChatBot.IntegrationTests.WeChat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.Broadcasts;

/// <summary>群发 chosen for a broadcast: members outside the 客服 window get it as one mass/send job, the rest by 客服.</summary>
public sealed class BroadcastMassSendTests
{
    private static async Task<(FakeWeChatApi WeChat, BroadcastHarness H, int SecondClosed)> StartAsync()
    {
        var weChat = await FakeWeChatApi.StartAsync();
        var h = await BroadcastHarness.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat:ApiBaseUrl"] = weChat.BaseUrl,
            ["DingTalk:AppKey"] = "", ["DingTalk:AppSecret"] = "", ["DingTalk:RobotCode"] = "",
        });
        // A second follower whose 客服 window closed (a mass job needs two or more).
        var second = await h.QueryAsync(async db =>
        {
            var member = new Member { Name = "吴芳", OrganisationId = h.Data.BranchA, Status = MemberStatus.Full, CreatedAt = h.Now };
            db.Members.Add(member);
            db.ChannelIdentities.Add(new ChannelIdentity
            {
                Channel = Channel.WeChat, ExternalId = "o-吴芳", Member = member, State = BindingState.Bound, Subscribed = true,
                LastInboundAt = h.Now.AddDays(-10), BoundAt = h.Now, CreatedAt = h.Now,
            });
            await db.SaveChangesAsync();
            return member.Id;
        });
        return (weChat, h, second);
    }

    private static async Task SendAllAsync(BroadcastHarness h)
    {
        var sender = h.Get<OutboxSender>();
        for (var pass = 0; pass < 20 && await sender.ProcessDueAsync() > 0; pass++) { }
        Assert.Equal(0, await sender.ProcessDueAsync());
    }

    [Fact]
    public async Task MassSendBroadcast_ClosedWindowMembersGetOneJob_OpenWindowMembersGetCustomerService()
    {
        var (weChat, h, second) = await StartAsync();
        await using var _ = weChat;
        await using var __ = h;
        var id = await h.CreateAsync(new
        {
            title = "群发测试", text = "本月学习安排已发布。", massSend = true, contentItemId = h.Data.LessonId,
            audience = new { organisationIds = new[] { h.Data.BranchA }, includeSubtrees = true },
        });
        var preflight = await h.PostAsync($"/api/v1/broadcasts/{id}/preflight");
        Assert.Equal(2, preflight.GetProperty("byRoute").GetProperty("WeChatMassSend").GetInt32());
        await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });

        await SendAllAsync(h);

        var job = Assert.Single(weChat.CallsTo(FakeWeChatApi.MassSendPath));
        Assert.Equal(["o-吴芳", "o-李秀英"], job.Body!["touser"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("text", job.Body!["msgtype"]!.GetValue<string>());
        var content = job.Body!["text"]!["content"]!.GetValue<string>();
        Assert.Contains("本月学习安排已发布。", content);
        Assert.DoesNotContain("?t=", content); // one text for everyone: no member's signed link
        Assert.StartsWith($"b", job.Body!["clientmsgid"]!.GetValue<string>());
        // The members inside the window were not part of the job: 客服, each with their own link.
        var cs = weChat.CallsTo(FakeWeChatApi.CustomerServicePath);
        Assert.Equal(["o-孙丽", "o-王建国"], cs.Select(c => c.Body!["touser"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());

        var rows = await h.QueryAsync(db => db.Deliveries.AsNoTracking().Where(d => d.Route == DeliveryRoute.WeChatMassSend).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(DeliveryStatus.Sent, r.Status);
            Assert.Equal(FakeWeChatApi.MassJobId.ToString(), r.PlatformMessageId);
        });
        Assert.Contains(rows, r => r.MemberId == second);
    }

    [Fact]
    public async Task MassJobReportedFailed_MarksItsRowsFailed()
    {
        var (weChat, h, _) = await StartAsync();
        await using var w = weChat;
        await using var hh = h;
        var id = await h.CreateAsync(new
        {
            title = "群发测试", text = "本月学习安排。", massSend = true,
            audience = new { organisationIds = new[] { h.Data.BranchA }, includeSubtrees = true },
        });
        await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        await SendAllAsync(h);

        await using (var scope = h.Factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IDeliveryReports>()
                .RecordAsync(Channel.WeChat, FakeWeChatApi.MassJobId.ToString(), "err(30003)", h.Now, CancellationToken.None);

        var rows = await h.QueryAsync(db => db.Deliveries.AsNoTracking().Where(d => d.Route == DeliveryRoute.WeChatMassSend).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(DeliveryStatus.Failed, r.Status);
            Assert.Contains("err(30003)", r.LastError);
        });
        // The 客服 rows of the same broadcast are untouched by the mass job's report.
        Assert.Equal(2, await h.QueryAsync(db => db.Deliveries.CountAsync(d => d.Route == DeliveryRoute.WeChatCustomerService && d.Status == DeliveryStatus.Sent)));
    }

    [Fact]
    public async Task MassSendQuotaUsedThisMonth_MemberIsNotInTheJob()
    {
        var (weChat, h, second) = await StartAsync();
        await using var w = weChat;
        await using var hh = h;
        // 吴芳 already had the month's four mass messages.
        await h.QueryAsync(async db =>
        {
            for (var i = 0; i < 4; i++)
                db.Deliveries.Add(new Core.Domain.Delivery
                {
                    IdempotencyKey = $"earlier-mass-{i}", MemberId = second, Route = DeliveryRoute.WeChatMassSend, Status = DeliveryStatus.Sent,
                    CreatedAt = h.Now.AddHours(-1 - i), SentAt = h.Now.AddHours(-1 - i), Payload = "{}",
                });
            return await db.SaveChangesAsync();
        });
        var third = await h.QueryAsync(async db =>
        {
            var member = new Member { Name = "郑敏", OrganisationId = h.Data.BranchA, Status = MemberStatus.Full, CreatedAt = h.Now };
            db.Members.Add(member);
            db.ChannelIdentities.Add(new ChannelIdentity
            {
                Channel = Channel.WeChat, ExternalId = "o-郑敏", Member = member, State = BindingState.Bound, Subscribed = true,
                LastInboundAt = h.Now.AddDays(-5), BoundAt = h.Now, CreatedAt = h.Now,
            });
            await db.SaveChangesAsync();
            return member.Id;
        });
        var id = await h.CreateAsync(new
        {
            title = "群发测试", text = "本月学习安排。", massSend = true,
            audience = new { organisationIds = new[] { h.Data.BranchA }, includeSubtrees = true },
        });
        await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        await SendAllAsync(h);

        var job = Assert.Single(weChat.CallsTo(FakeWeChatApi.MassSendPath));
        var to = job.Body!["touser"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.DoesNotContain("o-吴芳", to);
        Assert.Contains("o-郑敏", to);
        var row = await h.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.MemberId == second && d.BroadcastRunId != null));
        Assert.Equal(DeliveryStatus.Skipped, row.Status);
        Assert.Equal("massQuotaUsed", row.SkipReason);
    }
}

public sealed class DeliveryReportStatusTests
{
    [Theory]
    [InlineData("success", true)]
    [InlineData("send success", true)]
    [InlineData("sendsuccess", true)]
    [InlineData("failed:user block", false)]
    [InlineData("send fail", false)]
    [InlineData("err(10001)", false)]
    public void IsSuccess_ReadsTemplateAndMassStatuses(string status, bool expected) =>
        Assert.Equal(expected, EfDeliveryReports.IsSuccess(status));
}
