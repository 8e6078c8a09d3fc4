using System.Net;
using System.Text.Json.Nodes;
using ChatBot.Channels.DingTalk;
using ChatBot.IntegrationTests.GroupChats;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.DingTalk;

/// <summary>
/// DingTalk Stream mode end to end: the real host opens a socket to a fake gateway on loopback with the app's
/// credentials, receives robot messages as frames, acks them on the socket, and answers through the outbox.
/// </summary>
public sealed class DingTalkStreamTests : IAsyncLifetime
{
    private static readonly JsonNode Vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "protocol-vectors.json")))!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 21, 9, 0, 0, TimeSpan.Zero));
    private FakeRobotServer _fake = null!;
    private GroupChatTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeRobotServer.StartAsync(_clock);
        _host = new GroupChatTestHost(_fake, _clock, deliveryWorker: true, dingTalkMode: "Stream");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteFiles();
        await _fake.DisposeAsync();
    }

    /// <summary>The recorded 1:1 frame's robot message, addressed to our robot, its session valid for another hour.</summary>
    private JsonObject RobotMessage(string msgId = "msgtH7As/bwsnWfBS0olMV5tA==")
    {
        var body = Vectors["fixtures"]!["dingtalk_stream_frame_1on1_text"]!["data_decoded"]!.DeepClone().AsObject();
        body["robotCode"] = GroupChatTestHost.RobotCode;
        body["msgId"] = msgId;
        body["sessionWebhookExpiredTime"] = (_clock.GetUtcNow() + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();
        return body;
    }

    private static JsonObject RobotFrame(JsonObject message, string? messageId = null) =>
        FakeRobotServer.StreamFrame(DingTalkStreamTopics.FrameCallback, DingTalkStreamTopics.RobotMessages, message, messageId);

    private async Task<FakeStreamConnection> ConnectAsync()
    {
        _host.CreateClient().Dispose(); // starts the host, and with it the stream client
        return await _fake.NextStreamConnectionAsync();
    }

    [Fact]
    public async Task Stream_OpensWithAppCredentials_AndNoHttpCallbackIsMapped()
    {
        await ConnectAsync();

        var open = Assert.Single(_fake.StreamOpenRequests);
        Assert.Equal(FakeRobotServer.StreamClientId, (string?)open["clientId"]);
        var subscription = Assert.Single(open["subscriptions"]!.AsArray())!;
        Assert.Equal("CALLBACK", (string?)subscription["type"]);
        Assert.Equal(DingTalkStreamTopics.RobotMessages, (string?)subscription["topic"]);

        using var client = _host.CreateClient();
        using var response = await client.PostAsync(DingTalkWebhookEndpoints.Path, new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task RobotMessage_IsAckedWithItsMessageId_AndAnsweredThroughTheSessionWebhook()
    {
        var connection = await ConnectAsync();

        await connection.SendFrameAsync(RobotFrame(RobotMessage(), messageId: "frame-1"));

        var ack = await connection.NextAckAsync();
        Assert.Equal(200, (int)ack["code"]!);
        Assert.Equal("frame-1", (string?)ack["headers"]!["messageId"]);
        Assert.Equal("application/json", (string?)ack["headers"]!["contentType"]);
        Assert.True(JsonNode.Parse((string)ack["data"]!)!.AsObject().ContainsKey("response"));
        var reply = Assert.Single(await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession"));
        Assert.Equal("0b212be3320cc0f7d1700d406b4def6f", reply.Query["session"]);
        var asked = Assert.Single(_host.Engine.Calls);
        Assert.Equal("032615015535634423", asked.SenderId);
        Assert.Equal("?", asked.Text);
    }

    [Fact]
    public async Task SameMessageDeliveredTwice_IsAnsweredOnce()
    {
        var connection = await ConnectAsync();

        await connection.SendFrameAsync(RobotFrame(RobotMessage("msg-twice"), "frame-a"));
        await connection.SendFrameAsync(RobotFrame(RobotMessage("msg-twice"), "frame-b"));

        Assert.Equal(200, (int)(await connection.NextAckAsync())["code"]!);
        Assert.Equal(200, (int)(await connection.NextAckAsync())["code"]!);
        await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession");
        // A third message, sent after the repeat, is answered: once its reply is out, the repeat's would have been too.
        await connection.SendFrameAsync(RobotFrame(RobotMessage("msg-after"), "frame-c"));
        await connection.NextAckAsync();
        await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession", count: 2);
        Assert.Equal(2, _fake.Posts.Count(p => p.Path == "/robot/sendBySession"));
        Assert.Equal(["msg-after", "msg-twice"], _host.Engine.Calls.Select(c => c.DedupeKey.Replace("dt:", "")).Order().ToArray());
    }

    [Fact]
    public async Task Ping_IsEchoed()
    {
        var connection = await ConnectAsync();

        await connection.SendFrameAsync(FakeRobotServer.StreamFrame("SYSTEM", "ping", new JsonObject { ["opaque"] = "abc" }, "ping-1"));

        var ack = await connection.NextAckAsync();
        Assert.Equal(200, (int)ack["code"]!);
        Assert.Equal("ping-1", (string?)ack["headers"]!["messageId"]);
        Assert.Equal("abc", (string?)JsonNode.Parse((string)ack["data"]!)!["opaque"]);
    }

    [Fact]
    public async Task MessageForAnotherRobot_IsRefusedInTheAck_AndNeverAnswered()
    {
        var connection = await ConnectAsync();
        var other = RobotMessage("msg-other");
        other["robotCode"] = "someone-elses-robot";

        await connection.SendFrameAsync(RobotFrame(other, "frame-other"));

        var ack = await connection.NextAckAsync();
        Assert.Equal(403, (int)ack["code"]!);
        Assert.Empty(_host.Engine.Calls);
    }

    [Theory]
    [InlineData("sessionWebhook", "https://oapi.dingtalk.com/robot/send?access_token=another-robot", "sessionWebhook is not valid")]
    [InlineData("createAt", "-5", "createAt is not valid")]
    public async Task MessageWithABadField_IsRefusedNamingTheField(string field, string value, string expected)
    {
        var connection = await ConnectAsync();
        var message = RobotMessage("msg-bad");
        message[field] = field == "createAt" ? JsonValue.Create(long.Parse(value)) : JsonValue.Create(value);

        await connection.SendFrameAsync(RobotFrame(message, "frame-bad"));

        var ack = await connection.NextAckAsync();
        Assert.Equal(400, (int)ack["code"]!);
        Assert.Equal(expected, (string?)ack["message"]);
        Assert.Empty(_host.Engine.Calls);
    }

    [Fact]
    public async Task UnreadableData_IsRefused_AndTheConnectionGoesOn()
    {
        var connection = await ConnectAsync();
        var frame = RobotFrame(RobotMessage());
        frame["data"] = "not json";

        await connection.SendFrameAsync(frame);
        Assert.Equal(400, (int)(await connection.NextAckAsync())["code"]!);

        await connection.SendFrameAsync(RobotFrame(RobotMessage("msg-good"), "frame-good"));
        Assert.Equal(200, (int)(await connection.NextAckAsync())["code"]!);
        Assert.Single(await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession"));
    }

    [Fact]
    public async Task GatewayDisconnectNotice_OpensANewConnection_ThatStillWorks()
    {
        var first = await ConnectAsync();

        await first.SendFrameAsync(FakeRobotServer.StreamFrame("SYSTEM", "disconnect", new JsonObject(), "bye"));

        var second = await _fake.NextStreamConnectionAsync();
        Assert.Equal(2, _fake.StreamOpenRequests.Count);
        await second.SendFrameAsync(RobotFrame(RobotMessage("msg-second"), "frame-2"));
        Assert.Equal(200, (int)(await second.NextAckAsync())["code"]!);
        Assert.Single(await _fake.WaitForAsync(p => p.Path == "/robot/sendBySession"));
    }

    [Fact]
    public async Task DroppedSocket_IsReopened()
    {
        var first = await ConnectAsync();

        await first.AbortAsync();

        var second = await _fake.NextStreamConnectionAsync();
        await second.SendFrameAsync(FakeRobotServer.StreamFrame("SYSTEM", "ping", new JsonObject(), "ping-2"));
        Assert.Equal("ping-2", (string?)(await second.NextAckAsync())["headers"]!["messageId"]);
    }

    [Fact]
    public async Task GatewayDown_ReadinessSaysDegraded_AndTheClientRetriesAfterBackoff()
    {
        _fake.RefuseStreamOpen = true;
        using var client = _host.CreateClient();
        for (var i = 0; i < 300 && _fake.StreamOpenRequests.Count == 0; i++) await Task.Delay(20);
        Assert.NotEmpty(_fake.StreamOpenRequests);

        var ready = await client.GetStringAsync("/readyz");
        var check = JsonNode.Parse(ready)!["checks"]!["dingtalk-stream"]!;
        Assert.Equal("Degraded", (string?)check["status"]);

        _fake.RefuseStreamOpen = false;
        // The retry waits on the host's clock (1 s, doubling): step it until the client opens the socket.
        var connect = _fake.NextStreamConnectionAsync();
        for (var i = 0; i < 300 && !connect.IsCompleted; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        Assert.True(connect.IsCompleted);
        await connect;
    }
}
