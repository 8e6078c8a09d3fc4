using System.Net;
using ChatBot.Core.Domain;
using ChatBot.Host.Data;
using ChatBot.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.IntegrationTests.WeChat;

[Collection(WeChatHostCollection.Name)]
public sealed class WeChatDedupeAndBudgetTests
{
    [Fact]
    public async Task Post_RunsEngineOnceAndGivesAllTheSameReply_WhenThreeIdenticalPostsArriveAtOnce()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var host = new WeChatHostFactory(api.BaseUrl);
        host.Engine.Delay = TimeSpan.FromMilliseconds(300);
        host.Engine.Reply = _ => Core.Messaging.OutboundReply.FromText($"第{Guid.NewGuid():N}号回复");
        var client = host.CreateClient();
        var xml = WeChatRequests.TextMessage("7001");

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.SendAsync(WeChatRequests.Post(xml, WeChatMode.Plaintext))));
        var contents = await Task.WhenAll(responses.Select(async r => WeChatRequests.ReadReply(await r.Content.ReadAsStringAsync(), WeChatMode.Plaintext).Element("Content")!.Value));

        Assert.Equal(1, host.Engine.Calls);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(contents.Distinct());
        Assert.StartsWith("第", contents[0], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Post_RunsEngineOnceAcrossInstances_WhenTwoHostsShareRedis()
    {
        var redis = TestServices.RequireRedis();
        var prefix = $"chatbot:test:{Guid.NewGuid():N}:";
        await using var api = await FakeWeChatApi.StartAsync();
        await using var hostA = new WeChatHostFactory(api.BaseUrl, redis: redis, redisPrefix: prefix);
        await using var hostB = new WeChatHostFactory(api.BaseUrl, redis: redis, redisPrefix: prefix);
        foreach (var host in new[] { hostA, hostB })
        {
            host.Engine.Delay = TimeSpan.FromMilliseconds(300);
            host.Engine.Reply = _ => Core.Messaging.OutboundReply.FromText($"回复-{Guid.NewGuid():N}");
        }
        var clients = new[] { hostA.CreateClient(), hostB.CreateClient(), hostA.CreateClient() };
        var xml = WeChatRequests.TextMessage("7002");

        var responses = await Task.WhenAll(clients.Select(c => c.SendAsync(WeChatRequests.Post(xml, WeChatMode.Safe))));
        var contents = await Task.WhenAll(responses.Select(async r => WeChatRequests.ReadReply(await r.Content.ReadAsStringAsync(), WeChatMode.Safe).Element("Content")!.Value));

        Assert.Equal(1, hostA.Engine.Calls + hostB.Engine.Calls);
        Assert.Single(contents.Distinct());
    }

    [Fact]
    public async Task Post_AnswersSuccessThenSendsExactlyOneCustomerServiceMessage_WhenEngineExceedsBudget()
    {
        await using var api = await FakeWeChatApi.StartAsync();
        await using var host = new WeChatHostFactory(api.BaseUrl, replyBudgetMs: 500);
        host.Engine.Delay = TimeSpan.FromMilliseconds(1500);
        host.Engine.Reply = _ => Core.Messaging.OutboundReply.FromText("这是稍后送达的回复");
        var client = host.CreateClient();
        await SeedIdentityAsync(host, "oUser1");
        var xml = WeChatRequests.TextMessage("7003");

        var first = await client.SendAsync(WeChatRequests.Post(xml, WeChatMode.Safe));
        var firstBody = await first.Content.ReadAsStringAsync();
        // WeChat's retry arrives after the budget ran out, while the engine may still be working.
        var retry = await client.SendAsync(WeChatRequests.Post(xml, WeChatMode.Safe));
        var retryBody = await retry.Content.ReadAsStringAsync();
        var sent = await api.WaitForCallsAsync(FakeWeChatApi.CustomerServicePath, 1);
        var lateRetry = await client.SendAsync(WeChatRequests.Post(xml, WeChatMode.Safe));
        var lateRetryBody = await lateRetry.Content.ReadAsStringAsync();
        await Task.Delay(500);

        Assert.Equal("success", firstBody);
        Assert.Equal("success", retryBody);
        Assert.Equal("success", lateRetryBody);
        var call = Assert.Single(api.CallsTo(FakeWeChatApi.CustomerServicePath));
        Assert.Same(sent[0], call);
        Assert.Equal("oUser1", call.Body!["touser"]!.GetValue<string>());
        Assert.Equal("这是稍后送达的回复", call.Body!["text"]!["content"]!.GetValue<string>());
        Assert.Equal(1, host.Engine.Calls);
        Assert.Equal(1, await SendsInWindowAsync(host, "oUser1"));
    }

    private static async Task SeedIdentityAsync(WeChatHostFactory host, string openId)
    {
        // This host runs on the system clock (no FakeTimeProvider), so the window is opened on the same clock.
        await using var db = host.Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
        db.ChannelIdentities.Add(new ChannelIdentity { Channel = Channel.WeChat, ExternalId = openId, LastInboundAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    private static async Task<int> SendsInWindowAsync(WeChatHostFactory host, string openId)
    {
        // The counter is written right after the send; give the job a moment to finish.
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        int sends;
        do
        {
            await using var db = host.Services.GetRequiredService<IChatBotDbContextFactory>().CreateDbContext();
            sends = db.ChannelIdentities.Single(c => c.ExternalId == openId).CustomerServiceSendsInWindow;
            if (sends > 0) break;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < giveUp);
        return sends;
    }
}
