using System.Net;
using System.Text.Json.Nodes;
using ChatBot.Channels.DingTalk;
using ChatBot.Channels.Robots;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.UnitTests.DingTalk;

public class DingTalkApiClientTests
{
    private const string ApiBase = "https://dingtalk.fake";
    private const string SessionWebhook = "https://oapi.dingtalk.com/robot/sendBySession?session=0b212be3320cc0f7";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly DingTalkOptions _options = new()
    {
        AppKey = "dingappkey", AppSecret = "app-secret", RobotCode = "dingrobot", ApiBaseUrl = ApiBase + "/",
    };
    private int _tokensIssued;
    private Func<HttpRequestMessage, HttpResponseMessage> _sendAnswer = _ => RecordingHandler.JsonResponse("""{"processQueryKey":"q1"}""");
    private HttpStatusCode _tokenStatus = HttpStatusCode.OK;

    private (DingTalkApiClient Client, RecordingHandler Handler) Create(DingTalkAccessTokenCache? cache = null)
    {
        var handler = new RecordingHandler(request => request.RequestUri!.AbsolutePath == "/v1.0/oauth2/accessToken"
            ? _tokenStatus == HttpStatusCode.OK
                ? RecordingHandler.JsonResponse($$"""{"accessToken":"token-{{++_tokensIssued}}","expireIn":7200}""")
                : RecordingHandler.JsonResponse("""{"code":"invalidClientIdOrSecret","message":"无效的clientId或者clientSecret"}""", _tokenStatus)
            : _sendAnswer(request));
        var client = new DingTalkApiClient(new HttpClient(handler), Options.Create(_options),
            cache ?? new DingTalkAccessTokenCache(_time), new ListLogger<DingTalkApiClient>());
        return (client, handler);
    }

    private static List<RecordedRequest> TokenCalls(RecordingHandler h) =>
        h.Requests.Where(r => r.Uri.AbsolutePath == "/v1.0/oauth2/accessToken").ToList();

    [Fact]
    public async Task SendGroupMessageAsync_PostsBodyWithTokenHeader()
    {
        var (client, handler) = Create();

        var outcome = await client.SendGroupMessageAsync("cidGroup==", DingTalkTemplateMessage.SampleText("开会通知"));

        Assert.True(outcome.IsSent);
        Assert.Equal(2, handler.Requests.Count);
        var token = handler.Requests[0];
        Assert.Equal($"{ApiBase}/v1.0/oauth2/accessToken", token.Uri.ToString());
        RobotVectors.AssertJsonEqual(new JsonObject { ["appKey"] = "dingappkey", ["appSecret"] = "app-secret" }, token.Body);

        var send = handler.Requests[1];
        Assert.Equal(HttpMethod.Post, send.Method);
        Assert.Equal($"{ApiBase}/v1.0/robot/groupMessages/send", send.Uri.ToString());
        Assert.Equal("token-1", send.Headers["x-acs-dingtalk-access-token"]);
        RobotVectors.AssertJsonEqual(new JsonObject
        {
            ["msgParam"] = """{"content":"开会通知"}""",
            ["msgKey"] = "sampleText",
            ["openConversationId"] = "cidGroup==",
            ["robotCode"] = "dingrobot",
        }, send.Body);
    }

    [Fact]
    public async Task SendGroupMessageAsync_FetchesTokenOnce_ForTwoSends()
    {
        var (client, handler) = Create();

        await client.SendGroupMessageAsync("cid", "sampleText", """{"content":"1"}""");
        await client.SendGroupMessageAsync("cid", "sampleText", """{"content":"2"}""");

        Assert.Single(TokenCalls(handler));
        Assert.All(handler.Requests.Skip(1), r => Assert.Equal("token-1", r.Headers["x-acs-dingtalk-access-token"]));
    }

    [Fact]
    public async Task SendGroupMessageAsync_RefreshesToken_FiveMinutesBeforeExpiry()
    {
        var (client, handler) = Create();
        await client.SendGroupMessageAsync("cid", "sampleText", "{}");

        _time.Advance(TimeSpan.FromSeconds(7200) - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await client.SendGroupMessageAsync("cid", "sampleText", "{}");
        Assert.Single(TokenCalls(handler));

        _time.Advance(TimeSpan.FromSeconds(2));
        await client.SendGroupMessageAsync("cid", "sampleText", "{}");

        Assert.Equal(2, TokenCalls(handler).Count);
        Assert.Equal("token-2", handler.Requests[^1].Headers["x-acs-dingtalk-access-token"]);
    }

    [Fact]
    public async Task GetAccessTokenAsync_FetchesOnce_WhenCalledConcurrently()
    {
        var (client, handler) = Create();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => client.GetAccessTokenAsync())));

        Assert.Single(TokenCalls(handler));
        Assert.All(tokens, t => Assert.Equal("token-1", t));
    }

    [Fact]
    public async Task GetAccessTokenAsync_SharesTheCache_AcrossClientInstances()
    {
        var cache = new DingTalkAccessTokenCache(_time);
        var (first, firstHandler) = Create(cache);
        var (second, secondHandler) = Create(cache);

        await first.GetAccessTokenAsync();
        await second.GetAccessTokenAsync();

        Assert.Single(TokenCalls(firstHandler));
        Assert.Empty(TokenCalls(secondHandler));
    }

    [Fact]
    public async Task SendGroupMessageAsync_ReturnsCredentialsRejected_WhenTokenRequestIsRefused()
    {
        _tokenStatus = HttpStatusCode.BadRequest;
        var (client, handler) = Create();

        var outcome = await client.SendGroupMessageAsync("cid", "sampleText", "{}");

        Assert.Equal(RobotSendStatus.PermanentFailure, outcome.Status);
        Assert.Equal(RobotFailure.CredentialsRejected, outcome.Failure);
        Assert.Equal("invalidClientIdOrSecret", outcome.ErrorCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task SendGroupMessageAsync_ReturnsTransient_WhenTokenEndpointFails()
    {
        _tokenStatus = HttpStatusCode.ServiceUnavailable;
        var (client, _) = Create();

        var outcome = await client.SendGroupMessageAsync("cid", "sampleText", "{}");

        Assert.Equal(RobotSendStatus.Transient, outcome.Status);
    }

    [Fact]
    public async Task SendGroupMessageAsync_DropsTokenAndReturnsTransient_WhenTokenIsRejected()
    {
        var rejectOnce = true;
        _sendAnswer = _ =>
        {
            if (!rejectOnce)
                return RecordingHandler.JsonResponse("""{"processQueryKey":"q"}""");
            rejectOnce = false;
            return RecordingHandler.JsonResponse("""{"code":"InvalidAuthentication","message":"不合法的access_token"}""", HttpStatusCode.Unauthorized);
        };
        var (client, handler) = Create();

        var first = await client.SendGroupMessageAsync("cid", "sampleText", "{}");
        var second = await client.SendGroupMessageAsync("cid", "sampleText", "{}");

        Assert.Equal(RobotSendStatus.Transient, first.Status);
        Assert.Equal("InvalidAuthentication", first.ErrorCode);
        Assert.True(second.IsSent);
        Assert.Equal(2, TokenCalls(handler).Count);
        Assert.Equal("token-2", handler.Requests[^1].Headers["x-acs-dingtalk-access-token"]);
    }

    [Fact]
    public async Task SendGroupMessageAsync_ReturnsThrottled_WhenQpsLimitIsHit()
    {
        _sendAnswer = _ => RecordingHandler.JsonResponse(
            """{"code":"Forbidden.AccessDenied.QpsLimitForApi","message":"qps limit"}""", HttpStatusCode.Forbidden);
        var (client, _) = Create();

        var outcome = await client.SendGroupMessageAsync("cid", "sampleText", "{}");

        Assert.Equal(RobotSendStatus.Throttled, outcome.Status);
        Assert.Equal("Forbidden.AccessDenied.QpsLimitForApi", outcome.ErrorCode);
    }

    [Fact]
    public async Task SendGroupMessageAsync_ReturnsPermanent_WhenParametersAreRejected()
    {
        _sendAnswer = _ => RecordingHandler.JsonResponse("""{"code":"InvalidParameter","message":"openConversationId invalid"}""", HttpStatusCode.BadRequest);
        var (client, _) = Create();

        var outcome = await client.SendGroupMessageAsync("cid", "sampleText", "{}");

        Assert.Equal(RobotSendStatus.PermanentFailure, outcome.Status);
        Assert.Equal(RobotFailure.RequestRejected, outcome.Failure);
        Assert.Equal("openConversationId invalid", outcome.Detail);
    }

    [Fact]
    public async Task SendGroupMessageAsync_ReturnsTransient_WhenServerFails()
    {
        _sendAnswer = _ => new HttpResponseMessage(HttpStatusCode.BadGateway);
        var (client, _) = Create();

        var outcome = await client.SendGroupMessageAsync("cid", "sampleText", "{}");

        Assert.Equal(RobotSendStatus.Transient, outcome.Status);
    }

    [Fact]
    public async Task SendToUsersAsync_PostsBatchBody_AndReportsFlowControl()
    {
        _sendAnswer = _ => RecordingHandler.JsonResponse("""{"processQueryKey":"q","flowControlledStaffIdList":["u2"]}""");
        var (client, handler) = Create();

        var outcome = await client.SendToUsersAsync(["u1", "u2"], DingTalkTemplateMessage.SampleText("hi"));

        Assert.Equal(RobotSendStatus.Throttled, outcome.Status);
        var send = handler.Requests[^1];
        Assert.Equal($"{ApiBase}/v1.0/robot/oToMessages/batchSend", send.Uri.ToString());
        RobotVectors.AssertJsonEqual(new JsonObject
        {
            ["robotCode"] = "dingrobot",
            ["userIds"] = new JsonArray("u1", "u2"),
            ["msgKey"] = "sampleText",
            ["msgParam"] = """{"content":"hi"}""",
        }, send.Body);
    }

    [Fact]
    public async Task ReplyBySessionWebhookAsync_PostsRobotBodyWithoutToken()
    {
        _sendAnswer = _ => RecordingHandler.JsonResponse("""{"errcode":0,"errmsg":"ok"}""");
        var (client, handler) = Create();
        var body = DingTalkMessageMapper.ToRobotMessage(Core.Messaging.OutboundReply.FromText("你好"), "user123", "查看")!;

        var outcome = await client.ReplyBySessionWebhookAsync(SessionWebhook, body);

        Assert.True(outcome.IsSent);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(SessionWebhook, request.Uri.ToString());
        Assert.False(request.Headers.ContainsKey("x-acs-dingtalk-access-token"));
        RobotVectors.AssertJsonEqual(new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["title"] = "你好", ["text"] = "@user123  \n  你好" },
            ["at"] = new JsonObject { ["atUserIds"] = new JsonArray("user123"), ["isAtAll"] = false },
        }, request.Body);
    }

    [Fact]
    public async Task ReplyBySessionWebhookAsync_MapsRobotErrcode()
    {
        _sendAnswer = _ => RecordingHandler.JsonResponse("""{"errcode":130101,"errmsg":"send too fast"}""");
        var (client, _) = Create();

        var outcome = await client.ReplyBySessionWebhookAsync(SessionWebhook, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(RobotSendStatus.Throttled, outcome.Status);
    }

    [Theory]
    [InlineData("http://oapi.dingtalk.com/robot/sendBySession?session=x")]
    [InlineData("https://evil.test/robot/sendBySession?session=x")]
    [InlineData("https://oapi.dingtalk.com.evil.test/x")]
    [InlineData("https://user@oapi.dingtalk.com/x")]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=another-robot")]
    [InlineData("https://api.dingtalk.com/robot/sendBySession?session=x")]
    [InlineData("https://oapi.dingtalk.com:8443/robot/sendBySession?session=x")]
    [InlineData("https://oapi.dingtalk.com/robot/sendBySession?session=x&access_token=y")]
    [InlineData("https://oapi.dingtalk.com/robot/sendBySession")]
    [InlineData("/robot/sendBySession")]
    [InlineData("")]
    public async Task ReplyBySessionWebhookAsync_RefusesAnythingButOapiSendBySession(string url)
    {
        var (client, handler) = Create();

        var outcome = await client.ReplyBySessionWebhookAsync(url, DingTalkRobotMessage.ForText("x"));

        Assert.Equal(RobotFailure.UntrustedUrl, outcome.Failure);
        Assert.Empty(handler.Requests);
    }
}
