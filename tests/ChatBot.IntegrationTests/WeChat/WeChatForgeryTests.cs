using System.Net;
using ChatBot.Core.Messaging;
using ChatBot.IntegrationTests.Infrastructure;

namespace ChatBot.IntegrationTests.WeChat;

/// <summary>
/// Hostile callbacks against the real host: a captured plaintext URL reused for a forged body, a stale timestamp,
/// a (timestamp, nonce) pair replayed with another message — on one instance and across two sharing Redis.
/// Each asserts that the engine never saw the forged message.
/// </summary>
[Collection(WeChatHostCollection.Name)]
public sealed class WeChatForgeryTests
{
    [Fact]
    public async Task Post_Returns401WithoutEngineCall_WhenPlaintextArrivesInDefaultSafeMode()
    {
        await using var host = new WeChatHostFactory(apiBaseUrl: null, mode: null);
        var client = host.CreateClient();

        // A correctly signed plaintext post, as anyone holding one logged callback URL can build.
        var forged = await client.SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("8101", "积分", from: "oVictim"), WeChatMode.Plaintext));
        var genuine = await client.SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("8102"), WeChatMode.Safe));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("", await forged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        var received = Assert.Single(host.Engine.Received);
        Assert.Equal("oUser1", received.SenderId);
    }

    [Fact]
    public async Task Post_Returns401WithoutEngineCall_WhenCompatibleEnvelopeHasForgedMsgSignatureInSafeMode()
    {
        await using var host = new WeChatHostFactory(apiBaseUrl: null, mode: "Safe");

        var response = await host.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("8103"), WeChatMode.Compatible, forgeSignature: true));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, host.Engine.Calls);
    }

    [Theory]
    [InlineData(WeChatMode.Plaintext, -400)]
    [InlineData(WeChatMode.Safe, -400)]
    [InlineData(WeChatMode.Safe, 400)]
    public async Task Post_Returns401WithoutEngineCall_WhenTimestampIsOutsideSkewWindow(WeChatMode mode, int offsetSeconds)
    {
        await using var host = new WeChatHostFactory(apiBaseUrl: null);
        // 100 s beyond the 300 s window, so the time the request takes to arrive cannot bring it back inside.
        var stale = WeChatRequests.Unix(DateTimeOffset.UtcNow.AddSeconds(offsetSeconds));

        var response = await host.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("8104"), mode, timestamp: stale));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, host.Engine.Calls);
    }

    [Fact]
    public async Task Post_Returns401ForOtherMessageButSameReplyForRetry_WhenTimestampAndNonceReused()
    {
        await using var host = new WeChatHostFactory(apiBaseUrl: null, mode: "Plain");
        host.Engine.Reply = m => OutboundReply.FromText("回复:" + m.Text);
        var client = host.CreateClient();
        var timestamp = WeChatRequests.Now();
        const string Nonce = "captured1";
        var genuine = WeChatRequests.TextMessage("8105", "帮助");

        var first = await client.SendAsync(WeChatRequests.Post(genuine, WeChatMode.Plaintext, timestamp: timestamp, nonce: Nonce));
        var forged = await client.SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("8106", "解绑"), WeChatMode.Plaintext, timestamp: timestamp, nonce: Nonce));
        var retry = await client.SendAsync(WeChatRequests.Post(genuine, WeChatMode.Plaintext, timestamp: timestamp, nonce: Nonce));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var firstReply = WeChatRequests.ReadReply(await first.Content.ReadAsStringAsync(), WeChatMode.Plaintext).Element("Content")!.Value;
        var retryReply = WeChatRequests.ReadReply(await retry.Content.ReadAsStringAsync(), WeChatMode.Plaintext).Element("Content")!.Value;
        Assert.Equal("回复:帮助", firstReply);
        Assert.Equal(firstReply, retryReply);
        var received = Assert.Single(host.Engine.Received);
        Assert.Equal("帮助", received.Text);
    }

    [SkippableFact]
    public async Task Post_Returns401OnSecondInstance_WhenPairReusedAcrossHostsSharingRedis()
    {
        var redis = TestServices.RequireRedis();
        var prefix = $"chatbot:test:{Guid.NewGuid():N}:";
        await using var hostA = new WeChatHostFactory(apiBaseUrl: null, redis: redis, redisPrefix: prefix, mode: "Compatible");
        await using var hostB = new WeChatHostFactory(apiBaseUrl: null, redis: redis, redisPrefix: prefix, mode: "Compatible");
        var timestamp = WeChatRequests.Now();
        const string Nonce = "captured2";

        var first = await hostA.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("8107"), WeChatMode.Plaintext, timestamp: timestamp, nonce: Nonce));
        var forged = await hostB.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("8108", "积分", from: "oVictim"), WeChatMode.Plaintext, timestamp: timestamp, nonce: Nonce));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(1, hostA.Engine.Calls);
        Assert.Equal(0, hostB.Engine.Calls);
    }

    [Fact]
    public void Start_FailsNamingTheKey_WhenSafeModeHasNoEncodingAesKey()
    {
        using var host = new WeChatHostFactory(apiBaseUrl: null, mode: "Safe").WithWebHostBuilder(b => b.UseSetting("WeChat:EncodingAESKey", ""));

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("WeChat:Mode", error.ToString(), StringComparison.Ordinal);
    }
}
