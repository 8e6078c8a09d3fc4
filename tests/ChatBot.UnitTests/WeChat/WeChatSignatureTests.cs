using ChatBot.Channels.WeChat;
using ChatBot.UnitTests.Shared;

namespace ChatBot.UnitTests.WeChat;

public sealed class WeChatSignatureTests
{
    public static TheoryData<string> UrlVectors
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var id in ProtocolVectors.Ids("wechat_url_signature"))
                data.Add(id);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(UrlVectors))]
    public void VerifyUrlSignature_AcceptsVector_AndComputeMatches(string id)
    {
        var v = ProtocolVectors.UrlSignature(id);

        Assert.Equal(v.Str("signature"), WeChatSignature.ComputeUrlSignature(v.Str("token"), v.Str("timestamp"), v.Str("nonce")));
        Assert.True(WeChatSignature.VerifyUrlSignature(v.Str("token"), v.Str("timestamp"), v.Str("nonce"), v.Str("signature")));
    }

    [Theory]
    [MemberData(nameof(UrlVectors))]
    public void VerifyUrlSignature_Rejects_WhenAnyFieldChanges(string id)
    {
        var v = ProtocolVectors.UrlSignature(id);
        var (token, timestamp, nonce, signature) = (v.Str("token"), v.Str("timestamp"), v.Str("nonce"), v.Str("signature"));

        Assert.False(WeChatSignature.VerifyUrlSignature(token + "x", timestamp, nonce, signature));
        Assert.False(WeChatSignature.VerifyUrlSignature(token, timestamp + "1", nonce, signature));
        Assert.False(WeChatSignature.VerifyUrlSignature(token, timestamp, nonce + "1", signature));
        Assert.False(WeChatSignature.VerifyUrlSignature(token, timestamp, nonce, signature[..^1] + (signature[^1] == '0' ? '1' : '0')));
    }

    [Fact]
    public void VerifyUrlSignature_RejectsVectorNegativeCase()
    {
        var v = ProtocolVectors.UrlSignature("WX-URLSIG-wechatpy");
        var negative = v.GetProperty("negative_case");
        Assert.Equal("InvalidSignature", negative.Str("expect"));

        Assert.False(WeChatSignature.VerifyUrlSignature(v.Str("token"), v.Str("timestamp"), v.Str("nonce"), negative.Str("signature")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("f21891de399b4e33a1a93c9a7b8a8fffb5a443f")]
    [InlineData("f21891de399b4e33a1a93c9a7b8a8fffb5a443ff0")]
    [InlineData("z21891de399b4e33a1a93c9a7b8a8fffb5a443ff")]
    public void VerifyUrlSignature_ReturnsFalse_WhenSignatureIsMalformed(string? signature)
    {
        Assert.False(WeChatSignature.VerifyUrlSignature("test", "1410685589", "test", signature));
    }

    [Fact]
    public void VerifyUrlSignature_ReturnsFalse_WhenFieldsAreMissing()
    {
        const string signature = "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff";

        Assert.False(WeChatSignature.VerifyUrlSignature("test", null, "test", signature));
        Assert.False(WeChatSignature.VerifyUrlSignature("test", "1410685589", null, signature));
        Assert.False(WeChatSignature.VerifyUrlSignature("", "1410685589", "test", signature));
    }

    [Fact]
    public void VerifyUrlSignature_AcceptsUpperCaseHex()
    {
        Assert.True(WeChatSignature.VerifyUrlSignature("test", "1410685589", "test", "F21891DE399B4E33A1A93C9A7B8A8FFFB5A443FF"));
    }

    [Fact]
    public void ComputeUrlSignature_SortsOrdinally_NotByCulture()
    {
        // Culture order puts "_x" before "1"; ordinal (what WeChat uses) puts "1" first.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("1_xa"u8));

        Assert.Equal(expected, WeChatSignature.ComputeUrlSignature("a", "_x", "1"));
    }

    [Fact]
    public void VerifyMsgSignature_AcceptsSafeModeVector_AndRejectsPlainSignature()
    {
        var v = ProtocolVectors.MsgCrypto("WX-OPEN-E-doc-roundtrip").GetProperty("request");
        const string token = "AAAAA";

        Assert.True(WeChatSignature.VerifyMsgSignature(token, v.Str("timestamp"), v.Str("nonce"), v.Str("encrypt"), v.Str("msg_signature")));
        Assert.Equal(v.Str("msg_signature"), WeChatSignature.ComputeMsgSignature(token, v.Str("timestamp"), v.Str("nonce"), v.Str("encrypt")));
        // The URL's plain "signature" is the 3-field hash, not valid as msg_signature.
        Assert.False(WeChatSignature.VerifyMsgSignature(token, v.Str("timestamp"), v.Str("nonce"), v.Str("encrypt"), "cc0c594499c1634947d5b502f158ee518947db27"));
        Assert.False(WeChatSignature.VerifyMsgSignature(token, v.Str("timestamp"), v.Str("nonce"), v.Str("encrypt") + "A", v.Str("msg_signature")));
    }
}
