using System.Net;
using System.Text.Json.Nodes;
using ChatBot.Channels.Robots;
using ChatBot.Channels.WeCom;
using ChatBot.UnitTests.DingTalk;

namespace ChatBot.UnitTests.WeCom;

public class WeComRobotClientTests
{
    private const string Key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
    private const string Webhook = $"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={Key}";

    private static (WeComRobotClient Client, RecordingHandler Handler, ListLogger<WeComRobotClient> Log) Create(RecordingHandler handler)
    {
        var log = new ListLogger<WeComRobotClient>();
        return (new WeComRobotClient(new HttpClient(handler), log), handler, log);
    }

    [Fact]
    public async Task SendAsync_PostsJsonToTheWebhook()
    {
        var (client, handler, _) = Create(RecordingHandler.Json("""{"errcode":0,"errmsg":"ok"}"""));

        var outcome = await client.SendAsync(Webhook, WeComMessages.Markdown("**通知**"));

        Assert.True(outcome.IsSent);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Webhook, request.Uri.ToString());
        Assert.StartsWith("application/json", request.ContentType);
        RobotVectors.AssertJsonEqual(new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = "**通知**" } }, request.Body);
    }

    [Theory]
    [InlineData(45009, RobotSendStatus.Throttled, RobotFailure.None)]
    [InlineData(93000, RobotSendStatus.PermanentFailure, RobotFailure.WebhookInvalid)]
    [InlineData(93004, RobotSendStatus.PermanentFailure, RobotFailure.RobotDisabled)]
    [InlineData(93008, RobotSendStatus.PermanentFailure, RobotFailure.RobotNotInGroup)]
    [InlineData(40008, RobotSendStatus.PermanentFailure, RobotFailure.InvalidMessageType)]
    [InlineData(45002, RobotSendStatus.PermanentFailure, RobotFailure.ContentTooLong)]
    [InlineData(44004, RobotSendStatus.PermanentFailure, RobotFailure.EmptyContent)]
    [InlineData(-1, RobotSendStatus.Transient, RobotFailure.None)]
    [InlineData(60020, RobotSendStatus.PermanentFailure, RobotFailure.Unknown)]
    public async Task SendAsync_MapsErrcode(int errcode, RobotSendStatus status, RobotFailure failure)
    {
        var (client, _, _) = Create(RecordingHandler.Json($$"""{"errcode":{{errcode}},"errmsg":"hint: [x]"}"""));

        var outcome = await client.SendAsync(Webhook, WeComMessages.Text("x"));

        Assert.Equal(status, outcome.Status);
        Assert.Equal(failure, outcome.Failure);
        Assert.Equal(errcode.ToString(), outcome.ErrorCode);
        Assert.Equal("hint: [x]", outcome.Detail);
    }

    [Fact]
    public async Task SendAsync_AsksToWaitAMinute_WhenThrottled()
    {
        var (client, _, _) = Create(RecordingHandler.Json("""{"errcode":45009,"errmsg":"api freq out of limit"}"""));

        var outcome = await client.SendAsync(Webhook, WeComMessages.Text("x"));

        Assert.Equal(TimeSpan.FromMinutes(1), outcome.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ReturnsTransient_WhenServerFails()
    {
        var (client, _, _) = Create(new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)));

        var outcome = await client.SendAsync(Webhook, WeComMessages.Text("x"));

        Assert.Equal(RobotSendStatus.Transient, outcome.Status);
    }

    [Fact]
    public async Task SendAsync_ReturnsNoAnswer_WhenRequestTimesOut()
    {
        var (client, _, _) = Create(new RecordingHandler(_ => throw new TaskCanceledException("timeout", new TimeoutException())));

        var outcome = await client.SendAsync(Webhook, WeComMessages.Text("x"));

        Assert.Equal(RobotSendStatus.NoAnswer, outcome.Status);
    }

    [Fact]
    public async Task SendAsync_LogsOnlyTheMaskedKey_WhenSendFails()
    {
        var (client, _, log) = Create(RecordingHandler.Json("""{"errcode":93000,"errmsg":"invalid webhook url"}"""));

        await client.SendAsync(Webhook, WeComMessages.Text("13800001111 的积分"));

        var line = Assert.Single(log.Lines);
        Assert.Contains("key=693a****", line);
        Assert.DoesNotContain(Key, line);
        Assert.DoesNotContain("13800001111", line);
    }
}
