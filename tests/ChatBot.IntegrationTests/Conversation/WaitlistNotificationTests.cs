using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;
using ChatBot.IntegrationTests.WeChat;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>A waitlist promotion reaches the member as one WeChat 客服消息 through the outbox and the delivery sender.</summary>
public sealed class WaitlistNotificationTests
{
    [Fact]
    public async Task Cancel_PromotedMemberGetsOneCustomerServiceMessage_WhenWindowOpen()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var h = await EngineHarness.StartSqliteAsync(new Dictionary<string, string?>
        {
            ["WeChat:Token"] = WeChatHostFactory.Token,
            ["WeChat:AppId"] = WeChatHostFactory.AppId,
            ["WeChat:AppSecret"] = WeChatHostFactory.AppSecret,
            ["WeChat:EncodingAESKey"] = WeChatHostFactory.EncodingAesKey,
            ["WeChat:ApiBaseUrl"] = api.BaseUrl,
        });
        for (var i = 0; i < 3; i++) await h.BindAsync($"openid-{i}", h.Data.Members[i].Id);
        foreach (var sender in new[] { "openid-0", "openid-1", "openid-2" })
        {
            await h.SendAsync(sender, "活动");
            await h.SendAsync(sender, "报名 1");
        }

        await h.SendAsync("openid-0", "取消报名 1");
        await h.SendAsync("openid-0", "取消报名 1"); // a repeat must not notify twice

        var calls = await api.WaitForCallsAsync(FakeWeChatApi.CustomerServicePath, 1);
        var call = Assert.Single(calls);
        Assert.Equal("openid-2", call.Body!["touser"]!.GetValue<string>());
        Assert.Contains("候补转为正式报名", call.Body["text"]!["content"]!.GetValue<string>());
        var delivery = await h.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.MemberId == h.Data.Members[2].Id));
        for (var i = 0; i < 50 && delivery.Status is DeliveryStatus.Pending or DeliveryStatus.Sending; i++)
        {
            await Task.Delay(100);
            delivery = await h.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.MemberId == h.Data.Members[2].Id));
        }
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        var identity = await h.WithDbAsync(db => db.ChannelIdentities.SingleAsync(i => i.ExternalId == "openid-2"));
        Assert.Equal(1, identity.CustomerServiceSendsInWindow);
    }

    [Fact]
    public async Task Cancel_PromotionIsRecordedAsSkipped_WhenWindowClosed()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var h = await EngineHarness.StartSqliteAsync(new Dictionary<string, string?>
        {
            ["WeChat:Token"] = WeChatHostFactory.Token,
            ["WeChat:AppId"] = WeChatHostFactory.AppId,
            ["WeChat:AppSecret"] = WeChatHostFactory.AppSecret,
            ["WeChat:EncodingAESKey"] = WeChatHostFactory.EncodingAesKey,
            ["WeChat:ApiBaseUrl"] = api.BaseUrl,
        });
        for (var i = 0; i < 3; i++) await h.BindAsync($"openid-{i}", h.Data.Members[i].Id);
        foreach (var sender in new[] { "openid-0", "openid-1", "openid-2" })
        {
            await h.SendAsync(sender, "活动");
            await h.SendAsync(sender, "报名 1");
        }
        h.Time.Advance(TimeSpan.FromHours(20));
        await h.WithDbAsync(db => db.ChannelIdentities.Where(i => i.ExternalId == "openid-2")
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LastInboundAt, h.Time.GetUtcNow().UtcDateTime.AddHours(-49))));
        await h.SendAsync("openid-0", "取消报名 1");

        var delivery = await h.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.MemberId == h.Data.Members[2].Id));
        for (var i = 0; i < 50 && delivery.Status is DeliveryStatus.Pending or DeliveryStatus.Sending; i++)
        {
            await Task.Delay(100);
            delivery = await h.WithDbAsync(db => db.Deliveries.SingleAsync(d => d.MemberId == h.Data.Members[2].Id));
        }
        Assert.Equal(DeliveryStatus.Skipped, delivery.Status);
        // Routed at send time: the window closed and no template is configured for notices.
        Assert.Equal(UnreachableReason.WindowClosedNoTemplate.Code(), delivery.SkipReason);
        Assert.Empty(api.CallsTo(FakeWeChatApi.CustomerServicePath));
    }
}
