using System.Text;
using ChatBot.Channels.Shared;
using ChatBot.Channels.WeChat;
using ChatBot.Core.Messaging;
using ChatBot.UnitTests.Shared;

namespace ChatBot.UnitTests.WeChat;

public sealed class WeChatReplyRendererTests
{
    // The fixtures reply to a request from "toUser" to account "fromUser".
    private static readonly WeChatInboundPayload Request = new() { ToUserName = "fromUser", FromUserName = "toUser", MsgType = "text", Content = "hi" };

    [Fact]
    public void Render_MatchesOfficialTextReply()
    {
        var xml = WeChatReplyRenderer.Render(OutboundReply.FromText("你好"), Request, 12345678);

        Assert.Equal(ProtocolVectors.WeChatReply("text"), xml);
    }

    [Fact]
    public void Render_MatchesOfficialSingleArticleNewsReply()
    {
        var reply = OutboundReply.FromArticle(new ArticleLink("title1", "description1", "url", "picurl"));

        var xml = WeChatReplyRenderer.Render(reply, Request, 12345678);

        Assert.Equal(ProtocolVectors.WeChatReply("news_1_article"), xml);
    }

    [Fact]
    public void Render_WritesEmptyPicUrl_WhenArticleHasNoPicture()
    {
        var xml = WeChatReplyRenderer.Render(OutboundReply.FromArticle(new ArticleLink("t", "d", "https://x")), Request, 1);

        Assert.Contains("<PicUrl><![CDATA[]]></PicUrl>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ReturnsSuccess_ForNoReply()
    {
        Assert.Equal("success", WeChatReplyRenderer.Render(OutboundReply.None, Request, 1));
        Assert.Contains("success", ProtocolVectors.Fixtures("wechat_oa_passive_reply_xml").GetProperty("no_reply_bodies").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("]]>")]
    [InlineData("a]]>b]]>c")]
    [InlineData("<xml>&amp;</xml> ]]]>")]
    [InlineData("结尾]]")]
    public void RenderText_EscapesCDataEnd_SoContentRoundTrips(string content)
    {
        var xml = WeChatReplyRenderer.RenderText("o1", "gh_1", 7, content);

        var parsed = WeChatXmlParser.ParseMessage(xml);

        Assert.True(parsed.IsSuccess, parsed.Error.ToString());
        Assert.Equal(content, parsed.Value!.Content);
        Assert.Equal("o1", parsed.Value.ToUserName);
    }

    [Fact]
    public void RenderText_HandlesLongContent_BeyondTheStackBuffer()
    {
        var content = string.Concat(Enumerable.Repeat("两学一做，学党章党规。", 60));

        var parsed = WeChatXmlParser.ParseMessage(WeChatReplyRenderer.RenderText("o1", "gh_1", 7, content)).Value!;

        Assert.Equal(content, parsed.Content);
    }

    [Fact]
    public void RenderEncrypted_DecryptsBackToReply_AndCarriesValidSignature()
    {
        using var crypt = new WxBizMsgCrypt("AAAAA", new string('A', 43), "wx134c8103faa5a59e");
        var reply = WeChatReplyRenderer.RenderText("o9AgO5Kd5ggOC-bXrbNODIiE3bGY", "gh_97417a04a28d", 1713424427, "好的");

        var envelope = WeChatReplyRenderer.RenderEncrypted(crypt, reply, "1713424427", "415670741");

        Assert.StartsWith("<xml>\n<Encrypt><![CDATA[", envelope, StringComparison.Ordinal);
        Assert.Contains("<TimeStamp>1713424427</TimeStamp>", envelope, StringComparison.Ordinal);
        Assert.Contains("<Nonce><![CDATA[415670741]]></Nonce>", envelope, StringComparison.Ordinal);
        var encrypt = WeChatXmlParser.ParseEnvelope(envelope).Value!.Encrypt;
        var signature = Between(envelope, "<MsgSignature><![CDATA[", "]]></MsgSignature>");
        Assert.True(crypt.VerifySignature(signature, "1713424427", "415670741", encrypt));
        Assert.Equal(reply, crypt.Decrypt(encrypt).Message);
    }

    [Fact]
    public void RenderEncrypted_MatchesOfficialWorkedExample_WithItsRandom()
    {
        var reply = ProtocolVectors.MsgCrypto("WX-OPEN-E-doc-roundtrip").GetProperty("reply");
        using var crypt = new WxBizMsgCrypt("AAAAA", new string('A', 43), "wx134c8103faa5a59e");
        var encrypt = crypt.Encrypt(reply.Str("plaintext"), Encoding.ASCII.GetBytes(reply.Str("random")));

        var xml = WxEncryptedEnvelope.Wrap(crypt, encrypt, reply.Str("timestamp"), reply.Str("nonce"));

        Assert.Equal(reply.Str("reply_xml"), xml);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12<3")]
    [InlineData("1713424427 ")]
    public void RenderEncrypted_Throws_WhenTimestampIsNotDigits(string timestamp)
    {
        using var crypt = new WxBizMsgCrypt("AAAAA", new string('A', 43), "wx134c8103faa5a59e");

        Assert.Throws<ArgumentException>(() => WeChatReplyRenderer.RenderEncrypted(crypt, "<xml/>", timestamp, "1"));
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
