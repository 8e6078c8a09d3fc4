using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Host.Delivery;
using ChatBot.IntegrationTests.WeChat;
using Microsoft.EntityFrameworkCore;

namespace ChatBot.IntegrationTests.Broadcasts;

/// <summary>Compose → confirm → the outbox sender → a fake WeChat API that answers at once → the report.</summary>
public sealed class BroadcastEndToEndTests
{
    [Fact]
    public async Task ConfirmedBroadcast_TheSenderDeliversOneMessagePerReachableMember_AndTheRunCompletes()
    {
        await using var weChat = await FakeWeChatApi.StartAsync();
        await using var h = await BroadcastHarness.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat:ApiBaseUrl"] = weChat.BaseUrl,
            // DingTalk off: the DingTalk-only member is unreachable (ChannelOff) and nothing is sent to a dead port.
            ["DingTalk:AppKey"] = "", ["DingTalk:AppSecret"] = "", ["DingTalk:RobotCode"] = "",
        });
        var id = await h.CreateAsync(h.BranchABody(groupChats: false, contentItemId: h.Data.LessonId));
        var preflight = await h.PostAsync($"/api/v1/broadcasts/{id}/preflight");
        Assert.Equal(2, preflight.GetProperty("reachable").GetInt32());
        Assert.Equal(1, preflight.GetProperty("byReason").GetProperty("ChannelOff").GetInt32());
        await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });

        var sender = h.Get<OutboxSender>();
        for (var pass = 0; pass < 20 && await sender.ProcessDueAsync() > 0; pass++) { }
        // Further passes find nothing: what was sent is never sent again.
        Assert.Equal(0, await sender.ProcessDueAsync());

        var calls = weChat.CallsTo(FakeWeChatApi.CustomerServicePath);
        Assert.Equal(2, calls.Count);
        Assert.Equal(["o-孙丽", "o-王建国"], calls.Select(c => c.Body!["touser"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
        Assert.All(calls, c =>
        {
            var content = c.Body!["text"]!["content"]!.GetValue<string>();
            Assert.Contains("党费收缴通知", content);
            Assert.Contains($"https://dj.example.cn/m/lessons/{h.Data.LessonId}?t=", content);
        });

        var report = await h.GetJsonAsync($"/api/v1/broadcasts/{id}/report");
        Assert.Equal(2, report.GetProperty("counts").GetProperty("Sent").GetInt32());
        Assert.Equal(0, report.GetProperty("counts").GetProperty("Pending").GetInt32());
        Assert.Equal(4, report.GetProperty("counts").GetProperty("Skipped").GetInt32()); // closed, unbound, unsubscribed, ding
        Assert.Equal("Completed", report.GetProperty("status").GetString());
        Assert.Equal("Completed", report.GetProperty("runStatus").GetString());
        Assert.All(report.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("status").GetString() == "Sent"),
            r => Assert.Equal(JsonValueKind.String, r.GetProperty("sentAt").ValueKind));
    }

    [Fact]
    public async Task PausedRun_TheSenderLeavesItsRows_ResumeSendsThem()
    {
        await using var weChat = await FakeWeChatApi.StartAsync();
        await using var h = await BroadcastHarness.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat:ApiBaseUrl"] = weChat.BaseUrl,
            ["DingTalk:AppKey"] = "", ["DingTalk:AppSecret"] = "", ["DingTalk:RobotCode"] = "",
        });
        var id = await h.CreateAsync(h.BranchABody(groupChats: false));
        await h.PostAsync($"/api/v1/broadcasts/{id}/confirm", new { });
        await h.PostAsync($"/api/v1/broadcasts/{id}/pause");
        var sender = h.Get<OutboxSender>();
        Assert.Equal(0, await sender.ProcessDueAsync());
        Assert.Empty(weChat.CallsTo(FakeWeChatApi.CustomerServicePath));

        await h.PostAsync($"/api/v1/broadcasts/{id}/resume");
        for (var pass = 0; pass < 20 && await sender.ProcessDueAsync() > 0; pass++) { }
        Assert.Equal(2, weChat.CallsTo(FakeWeChatApi.CustomerServicePath).Count);
        Assert.Equal(2, await h.QueryAsync(db => db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Sent)));
    }
}
