using ChatBot.Channels.WeChat;
using ChatBot.UnitTests.Shared;

namespace ChatBot.UnitTests.WeChat;

public sealed class WeChatXmlParserTests
{
    public static TheoryData<string> IncomingFixtures
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var p in ProtocolVectors.Fixtures("wechat_oa_incoming_xml").EnumerateObject())
            {
                if (p.Value.ValueKind == System.Text.Json.JsonValueKind.String && p.Value.GetString()!.StartsWith("<xml>", StringComparison.Ordinal))
                    data.Add(p.Name);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(IncomingFixtures))]
    public void ParseMessage_Succeeds_ForEveryIncomingFixture(string name)
    {
        var result = WeChatXmlParser.ParseMessage(ProtocolVectors.WeChatIncoming(name));

        Assert.True(result.IsSuccess, result.Error.ToString());
        Assert.False(string.IsNullOrEmpty(result.Value!.ToUserName));
        Assert.False(string.IsNullOrEmpty(result.Value.FromUserName));
        Assert.False(string.IsNullOrEmpty(result.Value.MsgType));
        Assert.True(result.Value.CreateTime > 0);
    }

    [Fact]
    public void ParseMessage_ReadsTextFields()
    {
        var p = WeChatXmlParser.ParseMessage(ProtocolVectors.WeChatIncoming("text")).Value!;

        Assert.Equal("toUser", p.ToUserName);
        Assert.Equal("fromUser", p.FromUserName);
        Assert.Equal(1348831860, p.CreateTime);
        Assert.Equal("text", p.MsgType);
        Assert.Equal("this is a test", p.Content);
        Assert.Equal("1234567890123456", p.MsgId);
        Assert.Null(p.Event);
    }

    [Fact]
    public void ParseMessage_ReadsLocationAndLink()
    {
        var location = WeChatXmlParser.ParseMessage(ProtocolVectors.WeChatIncoming("location_senparc")).Value!;
        var link = WeChatXmlParser.ParseMessage(ProtocolVectors.WeChatIncoming("link_senparc")).Value!;

        Assert.Equal("31.285774", location.LocationX);
        Assert.Equal("120.597610", location.LocationY);
        Assert.Equal("19", location.Scale);
        Assert.Equal("中国江苏省苏州市沧浪区桐泾南路251号-309号", location.Label);
        Assert.Equal("5832828233808572154", location.MsgId);
        Assert.Equal("公众平台官网链接", link.Title);
        Assert.Equal("Senparc.Weixin.MP SDK公众平台官网链接", link.Description);
        Assert.Equal("https://sdk.weixin.senparc.com", link.Url);
    }

    [Fact]
    public void ParseMessage_ReadsTemplateFinishMsgIdWithCapitalD()
    {
        var p = WeChatXmlParser.ParseMessage(ProtocolVectors.WeChatIncoming("event_TEMPLATESENDJOBFINISH")).Value!;

        Assert.Equal("200163836", p.MsgID);
        Assert.Null(p.MsgId);
        Assert.Equal("success", p.Status);
    }

    [Fact]
    public void ParseMessage_ReadsScanEventTicketAndLocationEvent()
    {
        var scan = WeChatXmlParser.ParseMessage(ProtocolVectors.WeChatIncoming("event_subscribe_with_scene")).Value!;
        var location = WeChatXmlParser.ParseMessage(ProtocolVectors.WeChatIncoming("event_LOCATION")).Value!;
        var expected = ProtocolVectors.Fixtures("wechat_oa_incoming_xml").GetProperty("event_subscribe_with_scene_expected");

        Assert.Equal("qrscene_123123", scan.EventKey);
        Assert.Equal(expected.Str("ticket"), scan.Ticket);
        Assert.Equal("23.137466", location.Latitude);
        Assert.Equal("113.352425", location.Longitude);
        Assert.Equal("119.385040", location.Precision);
    }

    [Fact]
    public void ParseMessage_KeepsNewlinesInContent_AndToleratesWhitespaceBetweenElements()
    {
        const string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xml>\n  <ToUserName><![CDATA[gh_1]]></ToUserName>\n  <FromUserName>o1</FromUserName>\n  <CreateTime> 1700000000 </CreateTime>\n  <MsgType>text</MsgType>\n  <Content><![CDATA[第一行\n第二行 ]]></Content>\n</xml>\n";

        var p = WeChatXmlParser.ParseMessage(xml).Value!;

        Assert.Equal("第一行\n第二行 ", p.Content);
        Assert.Equal(1700000000, p.CreateTime);
        Assert.Equal("o1", p.FromUserName);
    }

    [Fact]
    public void ParseMessage_JoinsSplitCData_AndDecodesPredefinedEntities()
    {
        const string xml = "<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content><Title>x &amp; y &lt;z&gt; &#20826;</Title></xml>";

        var p = WeChatXmlParser.ParseMessage(xml).Value!;

        Assert.Equal("a]]>b", p.Content);
        Assert.Equal("x & y <z> 党", p.Title);
    }

    [Fact]
    public void ParseMessage_SkipsNestedAndUnknownElements()
    {
        const string xml = "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>scancode_push</Event><EventKey>k</EventKey><ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>r</ScanResult></ScanCodeInfo><Unknown a=\"1\">u</Unknown><Status>after</Status></xml>";

        var result = WeChatXmlParser.ParseMessage(xml);

        Assert.True(result.IsSuccess);
        Assert.Equal("k", result.Value!.EventKey);
        Assert.Equal("after", result.Value.Status);
    }

    [Fact]
    public void ParseMessage_RejectsXxe_AndLeaksNoFileContent()
    {
        const string xml = "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content></xml>";

        var message = WeChatXmlParser.ParseMessage(xml);
        var envelope = WeChatXmlParser.ParseEnvelope(xml.Replace("<Content>&xxe;</Content>", "<Encrypt>&xxe;</Encrypt>", StringComparison.Ordinal));

        Assert.Equal(WeChatXmlError.DtdProhibited, message.Error);
        Assert.Null(message.Value);
        Assert.Equal(WeChatXmlError.DtdProhibited, envelope.Error);
        Assert.Null(envelope.Value);
    }

    [Fact]
    public void ParseMessage_RejectsInternalEntityExpansion()
    {
        const string xml = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><Content>&b;</Content></xml>";

        Assert.Equal(WeChatXmlError.DtdProhibited, WeChatXmlParser.ParseMessage(xml).Error);
    }

    [Fact]
    public void ParseMessage_RejectsUndeclaredEntity()
    {
        const string xml = "<xml><ToUserName>gh_1</ToUserName><Content>&xxe;</Content></xml>";

        Assert.Equal(WeChatXmlError.Malformed, WeChatXmlParser.ParseMessage(xml).Error);
    }

    [Theory]
    [InlineData("<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><Create")]
    [InlineData("<xml><ToUserName><![CDATA[toUser]]></ToUserName>")]
    [InlineData("<xml><ToUserName><![CDATA[toUser]]></ToUserName><Content>x</Contents></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName></xml><xml></xml>")]
    [InlineData("<xml><Content><b>nested</b></Content></xml>")]
    [InlineData("{\"ToUserName\":\"gh_1\"}")]
    [InlineData("<xml><Content>\u0001</Content></xml>")]
    public void ParseMessage_ReportsMalformed_ForBrokenXml(string xml)
    {
        var result = WeChatXmlParser.ParseMessage(xml);

        Assert.Equal(WeChatXmlError.Malformed, result.Error);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ParseMessage_ReportsEmpty_ForNoBody(string? xml)
    {
        Assert.Equal(WeChatXmlError.Empty, WeChatXmlParser.ParseMessage(xml).Error);
    }

    [Fact]
    public void ParseMessage_ReportsTooLarge_OverTheCharacterCap()
    {
        var xml = "<xml><Content>" + new string('a', 200) + "</Content></xml>";

        Assert.Equal(WeChatXmlError.TooLarge, WeChatXmlParser.ParseMessage(xml, maxCharacters: 100).Error);
        Assert.True(WeChatXmlParser.ParseMessage(xml, maxCharacters: 1000).IsSuccess);
    }

    [Fact]
    public void ParseMessage_ReportsUnexpectedRoot_ForOtherRootElement()
    {
        Assert.Equal(WeChatXmlError.UnexpectedRoot, WeChatXmlParser.ParseMessage("<root><Content>x</Content></root>").Error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("99999999999999999999")]
    [InlineData("253402300800")]
    public void ParseMessage_ReportsInvalidCreateTime_WhenNotUnixSeconds(string createTime)
    {
        var xml = $"<xml><FromUserName>o</FromUserName><CreateTime>{createTime}</CreateTime><MsgType>text</MsgType></xml>";

        Assert.Equal(WeChatXmlError.InvalidCreateTime, WeChatXmlParser.ParseMessage(xml).Error);
    }

    [Fact]
    public void ParseEnvelope_ReadsSafeModeEnvelope()
    {
        var v = ProtocolVectors.MsgCrypto("WX-OA-D-cpp-sample");

        var result = WeChatXmlParser.ParseEnvelope(v.Str("envelope_xml"));

        Assert.True(result.IsSuccess);
        Assert.Equal("toUser", result.Value!.ToUserName);
        Assert.Equal(v.Str("encrypt"), result.Value.Encrypt);
    }

    [Fact]
    public void ParseEnvelope_ReadsCompatibleModeEnvelope_IgnoringPlainFields()
    {
        var v = ProtocolVectors.MsgCrypto("WX-OA-C-python-sample");

        var result = WeChatXmlParser.ParseEnvelope(v.Str("envelope_xml"));

        Assert.True(result.IsSuccess);
        Assert.Equal("gh_10f6c3c3ac5a", result.Value!.ToUserName);
        Assert.Equal(v.Str("encrypt"), result.Value.Encrypt);
    }

    [Fact]
    public void ParseEnvelope_ReportsMissingEncrypt_ForPlaintextBody()
    {
        Assert.Equal(WeChatXmlError.MissingEncrypt, WeChatXmlParser.ParseEnvelope(ProtocolVectors.WeChatIncoming("text")).Error);
        Assert.Equal(WeChatXmlError.MissingEncrypt, WeChatXmlParser.ParseEnvelope("<xml><ToUserName>gh</ToUserName><Encrypt></Encrypt></xml>").Error);
    }
}
