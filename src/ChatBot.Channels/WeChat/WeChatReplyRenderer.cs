using System.Globalization;
using ChatBot.Channels.Shared;
using ChatBot.Core.Messaging;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Renders passive replies (被动回复): text and single-article news XML with To/From swapped
/// relative to the request, or "success" when there is nothing to say.
/// </summary>
public static class WeChatReplyRenderer
{
    /// <summary>Tells WeChat "no reply, do not retry"; sent unencrypted even in safe mode.</summary>
    public const string NoReply = "success";

    private const int StackChars = 512;

    public static string Render(OutboundReply reply, WeChatInboundPayload request, long createTime)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(request);
        var toUser = request.FromUserName ?? "";
        var fromUser = request.ToUserName ?? "";
        return reply.Kind switch
        {
            ReplyKind.Text => RenderText(toUser, fromUser, createTime, reply.Text),
            ReplyKind.Article when reply.Article is not null => RenderNews(toUser, fromUser, createTime, reply.Article),
            _ => NoReply,
        };
    }

    public static string RenderText(string toUser, string fromUser, long createTime, string content) =>
        string.Create(CultureInfo.InvariantCulture, stackalloc char[StackChars],
            $"<xml><ToUserName>{new CData(toUser)}</ToUserName><FromUserName>{new CData(fromUser)}</FromUserName><CreateTime>{createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>{new CData(content)}</Content></xml>");

    /// <summary>One article: WeChat allows only one when the user sent text, image, video or location.</summary>
    public static string RenderNews(string toUser, string fromUser, long createTime, ArticleLink article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return string.Create(CultureInfo.InvariantCulture, stackalloc char[StackChars],
            $"<xml><ToUserName>{new CData(toUser)}</ToUserName><FromUserName>{new CData(fromUser)}</FromUserName><CreateTime>{createTime}</CreateTime><MsgType><![CDATA[news]]></MsgType><ArticleCount>1</ArticleCount><Articles><item><Title>{new CData(article.Title)}</Title><Description>{new CData(article.Description)}</Description><PicUrl>{new CData(article.PictureUrl)}</PicUrl><Url>{new CData(article.Url)}</Url></item></Articles></xml>");
    }

    /// <summary>
    /// Wraps a rendered reply for safe/compatible mode, signed over its own timestamp and nonce.
    /// Leave <see cref="NoReply"/> unencrypted: WeChat accepts it as is.
    /// </summary>
    public static string RenderEncrypted(WxBizMsgCrypt crypt, string replyXml, string timestamp, string nonce) =>
        WxEncryptedEnvelope.Render(crypt, replyXml, timestamp, nonce);
}
