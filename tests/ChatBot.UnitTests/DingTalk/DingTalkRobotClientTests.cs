using System.Net;
using System.Text.Json.Nodes;
using ChatBot.Channels.DingTalk;
using ChatBot.Channels.Robots;

namespace ChatBot.UnitTests.DingTalk;

public class DingTalkRobotClientTests
{
    private const string Token = "ab12cd34ef56secret";
    private static readonly string SignedUrl = DingTalkSignature.SignWebhookUrl(
        $"https://oapi.dingtalk.com/robot/send?access_token={Token}", "SECtest", 1577262236757);

    private static (DingTalkRobotClient Client, RecordingHandler Handler, ListLogger<DingTalkRobotClient> Log) Create(RecordingHandler handler)
    {
        var log = new ListLogger<DingTalkRobotClient>();
        return (new DingTalkRobotClient(new HttpClient(handler), log), handler, log);
    }

    [Fact]
    public async Task SendAsync_PostsJsonBodyToTheSignedUrl()
    {
        var (client, handler, _) = Create(RecordingHandler.Json("""{"errcode":0,"errmsg":"ok"}"""));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("通知"));

        Assert.True(outcome.IsSent);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(SignedUrl, request.Uri.OriginalString);
        Assert.Contains("&timestamp=1577262236757&sign=", request.Uri.Query);
        Assert.StartsWith("application/json", request.ContentType);
        RobotVectors.AssertJsonEqual(new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = "通知" } }, request.Body);
    }

    [Theory]
    [InlineData("""{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}""", RobotSendStatus.Throttled, RobotFailure.None)]
    [InlineData("""{"errcode":660026,"errmsg":"send too fast"}""", RobotSendStatus.Throttled, RobotFailure.None)]
    [InlineData("""{"errcode":310000,"errmsg":"keywords not in content"}""", RobotSendStatus.PermanentFailure, RobotFailure.KeywordMissing)]
    [InlineData("""{"errcode":310000,"errmsg":"invalid timestamp"}""", RobotSendStatus.PermanentFailure, RobotFailure.InvalidTimestamp)]
    [InlineData("""{"errcode":310000,"errmsg":"sign not match"}""", RobotSendStatus.PermanentFailure, RobotFailure.SignatureMismatch)]
    [InlineData("""{"errcode":310000,"errmsg":"ip 1.2.3.4 not in whitelist"}""", RobotSendStatus.PermanentFailure, RobotFailure.IpNotWhitelisted)]
    [InlineData("""{"errcode":300001,"errmsg":"token is not exist"}""", RobotSendStatus.PermanentFailure, RobotFailure.WebhookInvalid)]
    [InlineData("""{"errcode":-1,"errmsg":"system busy"}""", RobotSendStatus.Transient, RobotFailure.None)]
    [InlineData("""{"errcode":400101,"errmsg":"something new"}""", RobotSendStatus.PermanentFailure, RobotFailure.Unknown)]
    [InlineData("""{"errcode":"130101","errmsg":"as text"}""", RobotSendStatus.Throttled, RobotFailure.None)]
    public async Task SendAsync_MapsErrcode(string answer, RobotSendStatus status, RobotFailure failure)
    {
        var (client, _, _) = Create(RecordingHandler.Json(answer));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(status, outcome.Status);
        Assert.Equal(failure, outcome.Failure);
        Assert.Equal((string)JsonNode.Parse(answer)!["errcode"]!.ToString(), outcome.ErrorCode);
        Assert.Equal((string?)JsonNode.Parse(answer)!["errmsg"], outcome.Detail);
    }

    [Fact]
    public async Task SendAsync_AsksToWaitTenMinutes_WhenThrottled()
    {
        var (client, _, _) = Create(RecordingHandler.Json("""{"errcode":130101,"errmsg":"send too fast"}"""));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(TimeSpan.FromMinutes(10), outcome.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task SendAsync_ReturnsTransient_WhenServerFails(HttpStatusCode status)
    {
        var (client, _, _) = Create(new RecordingHandler(_ => new HttpResponseMessage(status)));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(RobotSendStatus.Transient, outcome.Status);
        Assert.Equal(((int)status).ToString(), outcome.ErrorCode);
    }

    [Fact]
    public async Task SendAsync_ReturnsThrottled_WhenHttp429WithRetryAfter()
    {
        var (client, _, _) = Create(new RecordingHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(42));
            return response;
        }));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(RobotSendStatus.Throttled, outcome.Status);
        Assert.Equal(TimeSpan.FromSeconds(42), outcome.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ReturnsTransient_WhenNetworkFails()
    {
        var (client, _, _) = Create(new RecordingHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, $"cannot reach {SignedUrl}")));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(RobotSendStatus.Transient, outcome.Status);
        Assert.DoesNotContain(Token, outcome.Detail);
    }

    [Fact]
    public async Task SendAsync_ReturnsNoAnswer_WhenRequestTimesOut()
    {
        var (client, _, _) = Create(new RecordingHandler(_ => throw new TaskCanceledException("timeout", new TimeoutException())));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        // Sent, no answer: the outbox marks it Unknown and never posts it again.
        Assert.Equal(RobotSendStatus.NoAnswer, outcome.Status);
        Assert.Equal("timeout waiting for the answer", outcome.Detail);
    }

    [Fact]
    public async Task SendAsync_ReturnsTransient_WhenConnectionIsRefusedBeforeSending()
    {
        var (client, _, _) = Create(new RecordingHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused")));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(RobotSendStatus.Transient, outcome.Status);
    }

    [Fact]
    public async Task SendAsync_ReturnsNoAnswer_WhenConnectionDropsAfterSending()
    {
        var (client, _, _) = Create(new RecordingHandler(_ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "ended")));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(RobotSendStatus.NoAnswer, outcome.Status);
    }

    [Fact]
    public async Task SendAsync_Throws_WhenCallerCancels()
    {
        var (client, _, _) = Create(RecordingHandler.Json("""{"errcode":0}"""));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"), cts.Token));
    }

    [Fact]
    public async Task SendAsync_ReturnsNoAnswer_WhenAnswerIsNotErrcodeJson()
    {
        var (client, _, _) = Create(new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>") }));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        // We cannot tell whether it was posted, so it must not be posted again automatically.
        Assert.Equal(RobotSendStatus.NoAnswer, outcome.Status);
    }

    [Fact]
    public async Task SendAsync_ReturnsPermanent_WhenHttp404WithoutJson()
    {
        var (client, _, _) = Create(new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound)));

        var outcome = await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(RobotSendStatus.PermanentFailure, outcome.Status);
        Assert.Equal("404", outcome.ErrorCode);
    }

    [Fact]
    public async Task SendAsync_LogsOnlyTheMaskedUrl_WhenSendFails()
    {
        var (client, _, log) = Create(RecordingHandler.Json("""{"errcode":310000,"errmsg":"sign not match"}"""));

        await client.SendAsync(SignedUrl, DingTalkRobotMessage.ForText("机密内容"));

        var line = Assert.Single(log.Lines);
        Assert.Contains("access_token=ab12****", line);
        Assert.DoesNotContain(Token, line);
        Assert.DoesNotContain("sign=", line.Replace("sign not match", "", StringComparison.Ordinal));
        Assert.DoesNotContain("机密内容", line);
    }
}
