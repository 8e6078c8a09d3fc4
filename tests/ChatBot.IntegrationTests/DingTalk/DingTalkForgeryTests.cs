using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatBot.Channels.DingTalk;
using ChatBot.IntegrationTests.GroupChats;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.DingTalk;

/// <summary>
/// Hostile callbacks against the real host: a captured (timestamp, sign) pair reused for another body, a
/// sessionWebhook pointing at another robot, a callback for another robot, dates past year 9999. Each asserts the
/// engine never saw the forged message and nothing was posted where it should not be.
/// </summary>
public sealed class DingTalkForgeryTests : IAsyncLifetime
{
    private static readonly JsonNode Vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "protocol-vectors.json")))!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private FakeRobotServer _fake = null!;
    private GroupChatTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeRobotServer.StartAsync(_clock);
        _host = new GroupChatTestHost(_fake, _clock, deliveryWorker: true);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteFiles();
        await _fake.DisposeAsync();
    }

    private JsonObject GroupMessage(string msgId, string text = "你好")
    {
        var body = Vectors["fixtures"]!["dingtalk_outgoing_group_text"]!["body"]!.DeepClone().AsObject();
        body["msgId"] = msgId;
        body["text"] = new JsonObject { ["content"] = text };
        body["sessionWebhookExpiredTime"] = (_clock.GetUtcNow() + TimeSpan.FromMinutes(80)).ToUnixTimeMilliseconds();
        return body;
    }

    /// <summary>A genuine header pair, signed with the app secret at <paramref name="offset"/> from the pinned clock.</summary>
    private (string Timestamp, string Sign) Signed(TimeSpan offset = default)
    {
        var timestamp = (_clock.GetUtcNow() + offset).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return (timestamp, DingTalkSignature.ComputeSign(timestamp, GroupChatTestHost.AppSecret));
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject body, (string Timestamp, string Sign) headers)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, DingTalkWebhookEndpoints.Path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("timestamp", headers.Timestamp);
        request.Headers.Add("sign", headers.Sign);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Post_Answers401ForOtherMessageButAcceptsResend_WhenTimestampAndSignAreReused()
    {
        var captured = Signed(TimeSpan.FromSeconds(-30));

        using var genuine = await PostAsync(GroupMessage("msg-genuine", "帮助"), captured);
        using var forged = await PostAsync(GroupMessage("msg-forged", "解绑"), captured);
        using var resend = await PostAsync(GroupMessage("msg-genuine", "帮助"), captured);
        // The resend is the same message: the outbox answers it once.
        await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession");

        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        Assert.All(_host.Engine.Calls, m => Assert.Equal("dt:msg-genuine", m.DedupeKey));
        Assert.DoesNotContain(_host.Engine.Calls, m => m.Text == "解绑");
    }

    [Fact]
    public async Task Post_Answers401_WhenTimestampIsJustOutsideTheDocumentedHour()
    {
        using var response = await PostAsync(GroupMessage("msg-old"), Signed(-TimeSpan.FromMinutes(61)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Engine.Calls);
    }

    [Theory]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=victim-robot")]
    [InlineData("https://api.dingtalk.com/robot/sendBySession?session=abc")]
    [InlineData("http://oapi.dingtalk.com/robot/sendBySession?session=abc")]
    [InlineData("https://oapi.dingtalk.com/robot/sendBySession?session=abc&access_token=victim-robot")]
    public async Task Post_Answers400NamingSessionWebhookAndPostsNothing_WhenSessionWebhookIsNotDingTalksSessionEndpoint(string webhook)
    {
        var forged = GroupMessage("msg-redirect");
        forged["sessionWebhook"] = webhook;

        using var rejected = await PostAsync(forged, Signed());
        // A genuine message afterwards proves the worker runs; only its reply may be posted anywhere.
        using var genuine = await PostAsync(GroupMessage("msg-after"), Signed(TimeSpan.FromSeconds(1)));
        await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession");

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("sessionWebhook", await rejected.Content.ReadAsStringAsync());
        Assert.Equal("dt:msg-after", Assert.Single(_host.Engine.Calls).DedupeKey);
        Assert.DoesNotContain(_fake.Posts, p => p.Path == "/robot/send");
        Assert.Equal("xxxxx", Assert.Single(_fake.Posts).Query["session"]);
    }

    [Fact]
    public async Task Post_Answers403AndProcessesNothing_WhenRobotCodeIsAnotherRobots()
    {
        var other = GroupMessage("msg-other-robot");
        other["robotCode"] = "ding-someone-else";

        using var response = await PostAsync(other, Signed());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_host.Engine.Calls);
        Assert.Empty(_fake.Posts);
    }

    [Theory]
    [InlineData("createAt")]
    [InlineData("sessionWebhookExpiredTime")]
    public async Task Post_Answers400NamingField_WhenDateIsBeyondYear9999(string field)
    {
        var body = GroupMessage("msg-far-future");
        body[field] = 253402300800000L; // 10000-01-01T00:00:00Z

        using var response = await PostAsync(body, Signed());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Engine.Calls);
    }

    [Fact]
    public async Task Post_RepliesThroughGroupOpenApi_WhenSessionWebhookRefusesTheReply()
    {
        _fake.Script("xxxxx", 300001, "token is not exist");

        using var response = await PostAsync(GroupMessage("msg-refused"), Signed());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(await _fake.WaitForAsync(p => p.Path == "/v1.0/robot/groupMessages/send"));
        Assert.Equal("xxx", sent.Body.GetProperty("openConversationId").GetString());
        Assert.False(Assert.Single(_fake.Posts, p => p.Path == "/robot/sendBySession").Accepted);
    }

    [Fact]
    public async Task Reply_CarriesNoLinkOrImage_WhenItQuotesMarkdownTheMemberSent()
    {
        // The engine quotes what the member typed (as the policy search does when nothing matches).
        const string Typed = "[点我领奖](http://evil.test/x) ![](http://evil.test/t.png) <img src=http://evil.test/p>";
        _host.Engine.Reply = ChatBot.Core.Messaging.OutboundReply.FromText($"没有找到“{Typed}”相关的政策。");

        using var response = await PostAsync(GroupMessage("msg-markdown", Typed), Signed());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession"));
        var markdown = reply.Body.GetProperty("markdown").GetProperty("text").GetString()!;
        Assert.DoesNotContain("[点我领奖](", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("![](", markdown, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!\\)<img", markdown);
        Assert.Contains(@"\[点我领奖\](http://evil.test/x)", markdown, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Post_Answers401OnSecondInstance_WhenCapturedPairIsReplayedThroughAnotherInstanceSharingRedis()
    {
        var redis = ChatBot.IntegrationTests.Infrastructure.TestServices.RequireRedis();
        var prefix = $"test:{Guid.NewGuid():N}:";
        var folder = Path.Combine(Path.GetTempPath(), "chatbot-dt-replay-" + Guid.NewGuid().ToString("N"));
        await using var hostA = new GroupChatTestHost(_fake, _clock, redis, prefix, folder);
        await using var hostB = new GroupChatTestHost(_fake, _clock, redis, prefix, folder);
        try
        {
            var captured = Signed();
            using var clientA = hostA.CreateClient();
            using var clientB = hostB.CreateClient();

            using var genuine = await SendAsync(clientA, GroupMessage("msg-a", "帮助"), captured);
            using var forged = await SendAsync(clientB, GroupMessage("msg-b", "解绑"), captured);

            Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            Assert.DoesNotContain(hostB.Engine.Calls, m => m.DedupeKey == "dt:msg-b");
        }
        finally
        {
            await hostA.DisposeAsync();
            await hostB.DisposeAsync();
            hostA.DeleteFiles();
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, JsonObject body, (string Timestamp, string Sign) headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, DingTalkWebhookEndpoints.Path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("timestamp", headers.Timestamp);
        request.Headers.Add("sign", headers.Sign);
        return await client.SendAsync(request);
    }
}
