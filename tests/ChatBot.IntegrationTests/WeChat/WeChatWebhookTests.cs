using System.Net;
using System.Text;
using ChatBot.Channels.WeChat;
using ChatBot.Core.Messaging;

namespace ChatBot.IntegrationTests.WeChat;

[Collection(WeChatHostCollection.Name)]
public sealed class WeChatWebhookTests : IAsyncLifetime
{
    private FakeWeChatApi _api = null!;
    private WeChatHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeWeChatApi.StartAsync();
        _host = new WeChatHostFactory(_api.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
    }

    public static TheoryData<string, WeChatMode, InboundKind> FixturesInEveryMode()
    {
        var data = new TheoryData<string, WeChatMode, InboundKind>();
        var fixtures = new (string Name, InboundKind Kind)[]
        {
            ("text", InboundKind.Text), ("image", InboundKind.Image), ("voice_with_recognition", InboundKind.Text),
            ("location_senparc", InboundKind.Location), ("link_senparc", InboundKind.Link),
            ("event_subscribe_plain", InboundKind.Subscribe), ("event_subscribe_with_scene", InboundKind.Subscribe),
            ("event_unsubscribe", InboundKind.Unsubscribe), ("event_SCAN", InboundKind.Scan), ("event_LOCATION", InboundKind.Other),
            ("event_CLICK", InboundKind.MenuClick), ("event_VIEW", InboundKind.MenuView),
            ("event_TEMPLATESENDJOBFINISH", InboundKind.DeliveryReport),
        };
        foreach (var (name, kind) in fixtures)
            foreach (var mode in Enum.GetValues<WeChatMode>())
                data.Add(name, mode, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(FixturesInEveryMode))]
    public async Task Post_RepliesToSenderInRequestMode_ForEveryRecordedMessage(string fixture, WeChatMode mode, InboundKind kind)
    {
        var xml = WeChatRequests.Fixture(fixture);
        var client = _host.CreateClient();

        var response = await client.SendAsync(WeChatRequests.Post(xml, mode));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_host.Engine.Received);
        Assert.Equal(kind, received.Kind);
        var request = System.Xml.Linq.XElement.Parse(xml);
        var reply = WeChatRequests.ReadReply(body, mode);
        Assert.Equal(request.Element("FromUserName")!.Value, reply.Element("ToUserName")!.Value);
        Assert.Equal(request.Element("ToUserName")!.Value, reply.Element("FromUserName")!.Value);
        Assert.Equal("text", reply.Element("MsgType")!.Value);
        Assert.Equal("收到", reply.Element("Content")!.Value);
        if (mode != WeChatMode.Plaintext)
            Assert.DoesNotContain("<Content>", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WeChatMode.Plaintext)]
    [InlineData(WeChatMode.Safe)]
    public async Task Post_RendersSingleArticleNews_WhenEngineAnswersWithArticle(WeChatMode mode)
    {
        _host.Engine.Reply = _ => OutboundReply.FromArticle(new ArticleLink("今日微党课", "五分钟学习", "https://example.org/m/lesson/1", "https://example.org/p.png"));
        var client = _host.CreateClient();

        var response = await client.SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("9001"), mode));
        var reply = WeChatRequests.ReadReply(await response.Content.ReadAsStringAsync(), mode);

        Assert.Equal("news", reply.Element("MsgType")!.Value);
        Assert.Equal("1", reply.Element("ArticleCount")!.Value);
        var item = Assert.Single(reply.Element("Articles")!.Elements("item"));
        Assert.Equal("今日微党课", item.Element("Title")!.Value);
        Assert.Equal("https://example.org/m/lesson/1", item.Element("Url")!.Value);
    }

    [Fact]
    public async Task Post_AnswersSuccess_WhenEngineHasNothingToSay()
    {
        _host.Engine.Reply = _ => OutboundReply.None;
        var response = await _host.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("9002"), WeChatMode.Safe));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_AnswersSuccessNot500_WhenEngineThrows()
    {
        _host.Engine.Throw = true;
        var response = await _host.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("9003"), WeChatMode.Plaintext));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _host.Engine.Calls);
    }

    [Fact]
    public async Task Post_CutsLongTextAtSentenceAndSendsRestAsCustomerService_WhenOver2048Bytes()
    {
        var sentence = "请按时完成本周的学习任务。";
        var text = string.Concat(Enumerable.Repeat(sentence, 100));
        _host.Engine.Reply = _ => OutboundReply.FromText(text);

        var response = await _host.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("9004"), WeChatMode.Safe));
        var head = WeChatRequests.ReadReply(await response.Content.ReadAsStringAsync(), WeChatMode.Safe).Element("Content")!.Value;

        Assert.True(Encoding.UTF8.GetByteCount(head) <= WeChatTextSplitter.MaxTextBytes);
        Assert.EndsWith("。", head, StringComparison.Ordinal);
        var pushed = await _api.WaitForCallsAsync(FakeWeChatApi.CustomerServicePath, 1);
        var call = Assert.Single(pushed);
        Assert.Equal("oUser1", call.Body!["touser"]!.GetValue<string>());
        Assert.Equal(text, head + call.Body!["text"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_EchoesEchostrAsPlainText_WhenSignatureValid()
    {
        var query = WeChatRequests.SignedPlainQuery().Replace("/wechat?", "/wechat?echostr=5837397520665436492&", StringComparison.Ordinal);
        var response = await _host.CreateClient().GetAsync(query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("5837397520665436492", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/wechat?signature=0000000000000000000000000000000000000000&timestamp=1409304348&nonce=xxxxxx&echostr=abc")]
    [InlineData("/wechat?timestamp=1409304348&nonce=xxxxxx&echostr=abc")]
    public async Task Get_Returns401WithEmptyBody_WhenSignatureForgedOrMissing(string query)
    {
        var response = await _host.CreateClient().GetAsync(query);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(WeChatMode.Plaintext)]
    [InlineData(WeChatMode.Compatible)]
    [InlineData(WeChatMode.Safe)]
    public async Task Post_Returns401WithoutEngineCall_WhenSignatureForged(WeChatMode mode)
    {
        var response = await _host.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("9005"), mode, forgeSignature: true));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _host.Engine.Calls);
    }

    [Theory]
    [InlineData(WeChatMode.Compatible)]
    [InlineData(WeChatMode.Safe)]
    public async Task Post_Returns403WithoutEngineCall_WhenMessageIsForAnotherAppId(WeChatMode mode)
    {
        var response = await _host.CreateClient().SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("9006"), mode, appId: "wxffffffffffffffff"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, _host.Engine.Calls);
    }

    [Theory]
    [InlineData(WeChatMode.Plaintext)]
    [InlineData(WeChatMode.Safe)]
    public async Task Post_Returns400WithoutFileContent_WhenPayloadDeclaresExternalEntity(WeChatMode mode)
    {
        var secretFile = Path.Combine(Path.GetTempPath(), $"xxe-{Guid.NewGuid():N}.txt");
        const string Marker = "XXE-SECRET-7f3a9c";
        await File.WriteAllTextAsync(secretFile, Marker);
        try
        {
            var xxe = $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file://{secretFile}\">]><xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[oUser1]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>&xxe;</Content><MsgId>9007</MsgId></xml>";
            _host.Engine.Reply = m => OutboundReply.FromText("echo:" + m.Text);

            var response = await _host.CreateClient().SendAsync(WeChatRequests.Post(xxe, mode));
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain(Marker, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Marker, string.Join("", response.Headers.SelectMany(h => h.Value)), StringComparison.Ordinal);
            Assert.Equal(0, _host.Engine.Calls);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public async Task Post_Returns413WithoutEngineCall_WhenBodyIsOneMegabyte()
    {
        var huge = WeChatRequests.TextMessage("9008", new string('a', 1024 * 1024));
        var response = await _host.CreateClient().SendAsync(WeChatRequests.Raw(WeChatRequests.SignedPlainQuery(), huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, _host.Engine.Calls);
    }

    [Theory]
    [InlineData(WeChatMode.Plaintext)]
    [InlineData(WeChatMode.Safe)]
    public async Task Post_Returns400WithoutEngineCall_WhenXmlIsTruncated(WeChatMode mode)
    {
        var full = WeChatRequests.TextMessage("9009");
        var response = await _host.CreateClient().SendAsync(WeChatRequests.Post(full[..(full.Length / 2)], mode));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _host.Engine.Calls);
    }

    [Fact]
    public async Task Post_Returns400_WhenSafeModeEnvelopeIsTruncated()
    {
        var query = WeChatRequests.SignedPlainQuery() + "&encrypt_type=aes&msg_signature=0000000000000000000000000000000000000000";
        var response = await _host.CreateClient().SendAsync(WeChatRequests.Raw(query, "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[abc"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _host.Engine.Calls);
    }
}

[Collection(WeChatHostCollection.Name)]
public sealed class WeChatDisabledTests
{
    [Fact]
    public async Task Post_Returns404AndHostStarts_WhenTokenIsEmpty()
    {
        await using var host = new WeChatHostFactory(apiBaseUrl: null, enabled: false);
        var client = host.CreateClient();

        var wechat = await client.SendAsync(WeChatRequests.Post(WeChatRequests.TextMessage("1"), WeChatMode.Plaintext));
        var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.NotFound, wechat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public void Start_FailsNamingTheKey_WhenTokenIsSetWithoutAppId()
    {
        using var host = new WeChatHostFactory(apiBaseUrl: null).WithWebHostBuilder(b => b.UseSetting("WeChat:AppId", ""));

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("WeChat:AppId", error.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>Host tests run one at a time: each starts a full host, and Hangfire's statics are process-wide.</summary>
[CollectionDefinition(Name)]
public sealed class WeChatHostCollection
{
    public const string Name = "WeChat host";
}
