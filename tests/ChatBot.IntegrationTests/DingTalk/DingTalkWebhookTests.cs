using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatBot.Channels.DingTalk;
using ChatBot.Core.Domain;
using ChatBot.IntegrationTests.GroupChats;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.DingTalk;

/// <summary>POST /dingtalk end to end: signed headers, recorded payloads, the engine, and where the reply goes.</summary>
public sealed class DingTalkWebhookTests : IAsyncLifetime
{
    private static readonly JsonNode Vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "protocol-vectors.json")))!;
    private static readonly JsonNode HeaderVector = Vectors["dingtalk_sign"]!.AsArray().Single(v => (string?)v!["id"] == "DT-OUTGOING-HEADER-eryajf")!;
    private static readonly string VectorTimestamp = (string)HeaderVector["timestamp"]!;
    private static readonly string VectorSign = (string)HeaderVector["expected_sign_base64"]!;

    // The clock sits one minute after the known-answer vector's timestamp, so its sign is both right and fresh.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(VectorTimestamp)) + TimeSpan.FromMinutes(1));
    private FakeRobotServer _fake = null!;
    private GroupChatTestHost _host = null!;

    public async Task InitializeAsync()
    {
        Assert.Equal(GroupChatTestHost.AppSecret, (string)HeaderVector["secret"]!);
        _fake = await FakeRobotServer.StartAsync(_clock);
        _host = new GroupChatTestHost(_fake, _clock, deliveryWorker: true);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteFiles();
        await _fake.DisposeAsync();
    }

    private static JsonObject GroupFixture() => Vectors["fixtures"]!["dingtalk_outgoing_group_text"]!["body"]!.DeepClone().AsObject();

    private static JsonObject SingleChatFixture()
    {
        var body = Vectors["fixtures"]!["dingtalk_stream_frame_1on1_text"]!["data_decoded"]!.DeepClone().AsObject();
        // The recorded frame is another app's robot; callbacks naming a robotCode other than ours are refused.
        body["robotCode"] = GroupChatTestHost.RobotCode;
        return body;
    }

    private JsonObject WithSessionValidFor(JsonObject body, TimeSpan remaining)
    {
        body["sessionWebhookExpiredTime"] = (_clock.GetUtcNow() + remaining).ToUnixTimeMilliseconds();
        return body;
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? timestamp = null, string? sign = null)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, DingTalkWebhookEndpoints.Path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("timestamp", timestamp ?? VectorTimestamp);
        request.Headers.Add("sign", sign ?? VectorSign);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Post_RepliesThroughSessionWebhookMentioningSender_WhenGroupMessageIsSigned()
    {
        var body = WithSessionValidFor(GroupFixture(), TimeSpan.FromMinutes(89));

        using var response = await PostAsync(body.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession"));
        Assert.Equal("xxxxx", reply.Query["session"]);
        Assert.Equal("markdown", reply.MsgType);
        Assert.Contains("@user123", reply.Body.GetProperty("markdown").GetProperty("text").GetString());
        Assert.Equal("user123", reply.Body.GetProperty("at").GetProperty("atUserIds")[0].GetString());
        var asked = Assert.Single(_host.Engine.Calls);
        Assert.Equal(Channel.DingTalk, asked.Channel);
        Assert.Equal("user123", asked.SenderId);
        Assert.Equal("xxx", asked.ConversationId);
        Assert.Equal("你好", asked.Text);
        Assert.Equal("dt:msg0xxxxx", asked.DedupeKey);
    }

    [Fact]
    public async Task Post_ResendsReplyOnce_WhenSessionWebhookIsBusyFirst()
    {
        _fake.Script("xxxxx", -1, "system busy");
        var body = WithSessionValidFor(GroupFixture(), TimeSpan.FromMinutes(89));

        using var response = await PostAsync(body.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession"));
        // The worker waits on the pinned clock before resending; step it until the second post arrives.
        for (var i = 0; i < 100 && _fake.Accepted("xxxxx").Count == 0; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        var posts = _fake.Posts.Where(p => p.Path == "/robot/sendBySession").ToList();
        Assert.Equal(2, posts.Count);
        Assert.False(posts[0].Accepted);
        Assert.True(posts[1].Accepted);
        Assert.Single(_host.Engine.Calls);
    }

    [Fact]
    public async Task Post_RepliesThroughGroupOpenApi_WhenSessionWebhookExpired()
    {
        var body = WithSessionValidFor(GroupFixture(), -TimeSpan.FromMilliseconds(1));

        using var response = await PostAsync(body.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(await _fake.WaitForAsync(p => p.Path == "/v1.0/robot/groupMessages/send"));
        Assert.Equal(FakeRobotServer.AccessToken, sent.AccessToken);
        Assert.Equal("xxx", sent.Body.GetProperty("openConversationId").GetString());
        Assert.Equal("dingrobotcode", sent.Body.GetProperty("robotCode").GetString());
        Assert.Equal("sampleMarkdown", sent.Body.GetProperty("msgKey").GetString());
        Assert.DoesNotContain(_fake.Posts, p => p.Path == "/robot/sendBySession");
    }

    [Fact]
    public async Task Post_RepliesWithoutMention_WhenSingleChatSessionIsValid()
    {
        var body = WithSessionValidFor(SingleChatFixture(), TimeSpan.FromMinutes(30));

        using var response = await PostAsync(body.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession"));
        Assert.Equal("0b212be3320cc0f7d1700d406b4def6f", reply.Query["session"]);
        Assert.False(reply.Body.TryGetProperty("at", out _));
        var asked = Assert.Single(_host.Engine.Calls);
        Assert.Null(asked.ConversationId);
        Assert.Equal("032615015535634423", asked.SenderId);
        Assert.Equal("?", asked.Text);
    }

    [Fact]
    public async Task Post_RepliesThroughOneToOneOpenApi_WhenSingleChatSessionExpired()
    {
        var body = WithSessionValidFor(SingleChatFixture(), -TimeSpan.FromMinutes(1));

        using var response = await PostAsync(body.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(await _fake.WaitForAsync(p => p.Path == "/v1.0/robot/oToMessages/batchSend"));
        Assert.Equal("032615015535634423", sent.Body.GetProperty("userIds")[0].GetString());
        Assert.Equal(FakeRobotServer.AccessToken, sent.AccessToken);
    }

    [Fact]
    public async Task Post_Answers401AndProcessesNothing_WhenSignIsWrong()
    {
        var wrongSign = DingTalkSignature.ComputeSign(VectorTimestamp, (string)HeaderVector["negative_case"]!["secret"]!);

        using var rejected = await PostAsync(WithSessionValidFor(GroupFixture(), TimeSpan.FromMinutes(60)).ToJsonString(), sign: wrongSign);
        // A genuine message afterwards shows the worker runs; only it may reach the engine.
        var genuine = WithSessionValidFor(GroupFixture(), TimeSpan.FromMinutes(60));
        genuine["msgId"] = "msg-genuine";
        using var accepted = await PostAsync(genuine.ToJsonString());
        await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession");

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("dt:msg-genuine", Assert.Single(_host.Engine.Calls).DedupeKey);
    }

    [Fact]
    public async Task Post_Answers401_WhenTimestampIsTwoHoursOld()
    {
        var old = (_clock.GetUtcNow() - TimeSpan.FromHours(2)).ToUnixTimeMilliseconds().ToString();

        using var response = await PostAsync(GroupFixture().ToJsonString(), old, DingTalkSignature.ComputeSign(old, GroupChatTestHost.AppSecret));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_host.Engine.Calls);
    }

    [Fact]
    public async Task Post_Answers401_WhenHeadersAreMissing()
    {
        using var client = _host.CreateClient();

        using var response = await client.PostAsync(DingTalkWebhookEndpoints.Path, new StringContent(GroupFixture().ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_Answers400_WhenJsonIsMalformed()
    {
        using var response = await PostAsync("{\"msgtype\":\"text\",\"text\":{\"content\":");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Engine.Calls);
    }

    [Fact]
    public async Task Post_Answers413_WhenBodyExceeds64KB()
    {
        var body = GroupFixture();
        body["text"] = new JsonObject { ["content"] = new string('党', 30_000) }; // 90 000 UTF-8 bytes

        using var response = await PostAsync(body.ToJsonString());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Engine.Calls);
    }

    [Fact]
    public async Task Post_Answers404AndHostStarts_WhenAppSecretIsEmpty()
    {
        await using var disabled = new GroupChatTestHost(_fake, _clock, dingTalkEnabled: false);
        try
        {
            using var client = disabled.CreateClient();

            using var response = await client.PostAsync(DingTalkWebhookEndpoints.Path, new StringContent(GroupFixture().ToJsonString(), Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            await disabled.DisposeAsync();
            disabled.DeleteFiles();
        }
    }
}
