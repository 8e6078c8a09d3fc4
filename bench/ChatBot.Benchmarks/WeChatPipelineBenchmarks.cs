using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using ChatBot.Channels.Shared;
using ChatBot.Channels.WeChat;
using ChatBot.Core.Messaging;

namespace ChatBot.Benchmarks;

/// <summary>
/// One safe-mode text message end to end, without HTTP: verify msg_signature, read the envelope,
/// decrypt, parse, map, render a text reply, encrypt it and sign the reply envelope.
/// </summary>
[MemoryDiagnoser]
public class WeChatPipelineBenchmarks
{
    private const string Token = "AAAAA";
    private const string AppId = "wx134c8103faa5a59e";
    private const string Timestamp = "1715943329";
    private const string Nonce = "1590219412";

    private WxBizMsgCrypt _crypt = null!;
    private string _body = null!;
    private string _msgSignature = null!;
    private OutboundReply _reply = null!;

    [GlobalSetup]
    public void Setup()
    {
        _crypt = new WxBizMsgCrypt(Token, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", AppId);
        const string plaintext = "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[积分]]></Content>\n<MsgId>24567890123456789</MsgId>\n</xml>";
        var encrypt = _crypt.Encrypt(plaintext, "1205899eaf019bbd"u8);
        _body = $"<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";
        _msgSignature = _crypt.Sign(Timestamp, Nonce, encrypt);
        _reply = OutboundReply.FromText("您本月积分 12 分，累计 120 分。继续加油！");
    }

    [GlobalCleanup]
    public void Cleanup() => _crypt.Dispose();

    [Benchmark]
    public string SafeModeTextRoundTrip()
    {
        var envelope = WeChatXmlParser.ParseEnvelope(_body).Value ?? throw new InvalidOperationException("envelope");
        if (!_crypt.VerifySignature(_msgSignature, Timestamp, Nonce, envelope.Encrypt))
            throw new InvalidOperationException("signature");
        var decrypted = _crypt.Decrypt(envelope.Encrypt);
        var payload = WeChatXmlParser.ParseMessage(decrypted.Message).Value ?? throw new InvalidOperationException("payload");
        var inbound = WeChatMessageMapper.ToInbound(payload);
        var replyXml = WeChatReplyRenderer.Render(_reply, payload, payload.CreateTime);
        return WeChatReplyRenderer.RenderEncrypted(_crypt, replyXml, Timestamp, inbound.DedupeKey.Length > 0 ? Nonce : "");
    }
}
