using ChatBot.Channels.WeChat;

namespace ChatBot.UnitTests.WeChat;

public sealed class SafeModeEnvelopeTests
{
    private const string Encrypt = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";

    [Theory]
    [InlineData("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[" + Encrypt + "]]></Encrypt></xml>")]
    [InlineData("<xml>\n    <ToUserName><![CDATA[gh_1]]></ToUserName>\n    <Encrypt><![CDATA[" + Encrypt + "]]></Encrypt>\n</xml>\n")]
    public void TryRead_ReadsTheExactSafeModeShape(string xml)
    {
        var envelope = SafeModeEnvelope.TryRead(xml);

        Assert.NotNull(envelope);
        Assert.Equal("gh_1", envelope.ToUserName);
        Assert.Equal(Encrypt, envelope.Encrypt);
        Assert.Equal(envelope, WeChatXmlParser.ParseEnvelope(xml).Value);
    }

    [Theory]
    [InlineData("<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[" + Encrypt + "]]></Encrypt></xml>")]
    [InlineData("<xml><!-- c --><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[" + Encrypt + "]]></Encrypt></xml>")]
    [InlineData("<xml><ToUserName>gh_1</ToUserName><Encrypt>" + Encrypt + "</Encrypt></xml>")]
    [InlineData("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[abc&amp;]]></Encrypt></xml>")]
    [InlineData("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[" + Encrypt + "]]></Encrypt></xml><xml/>")]
    [InlineData("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[" + Encrypt + "]]></Encrypt>")]
    [InlineData("<xml><FromUserName><![CDATA[o1]]></FromUserName><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[" + Encrypt + "]]></Encrypt></xml>")]
    public void TryRead_LeavesAnythingElseToTheXmlReader(string xml)
    {
        Assert.Null(SafeModeEnvelope.TryRead(xml));
    }

    [Fact]
    public void ParseEnvelope_StillRefusesDtd_WhenFastPathDeclines()
    {
        var result = WeChatXmlParser.ParseEnvelope("<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[" + Encrypt + "]]></Encrypt></xml>");

        Assert.False(result.IsSuccess);
        Assert.Equal(WeChatXmlError.DtdProhibited, result.Error);
    }

    [Fact]
    public void ParseEnvelope_ReadsCompatibleModeThroughXmlReader()
    {
        var xml = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><Content><![CDATA[hi]]></Content><Encrypt><![CDATA[" + Encrypt + "]]></Encrypt></xml>";

        var result = WeChatXmlParser.ParseEnvelope(xml);

        Assert.True(result.IsSuccess);
        Assert.Equal(Encrypt, result.Value!.Encrypt);
    }
}
