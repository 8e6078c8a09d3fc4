using ChatBot.Channels.WeChat;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using ChatBot.UnitTests.Shared;

namespace ChatBot.UnitTests.WeChat;

public sealed class WeChatMessageMapperTests
{
    private static InboundMessage MapFixture(string name) =>
        WeChatMessageMapper.ToInbound(WeChatXmlParser.ParseMessage(ProtocolVectors.WeChatIncoming(name)).Value!);

    [Theory]
    [InlineData("text", InboundKind.Text, "this is a test", null)]
    [InlineData("image", InboundKind.Image, null, null)]
    [InlineData("voice_with_recognition", InboundKind.Text, "腾讯微信团队", null)]
    [InlineData("location_senparc", InboundKind.Location, "中国江苏省苏州市沧浪区桐泾南路251号-309号", null)]
    [InlineData("link_senparc", InboundKind.Link, "https://sdk.weixin.senparc.com", null)]
    [InlineData("event_subscribe_plain", InboundKind.Subscribe, null, null)]
    [InlineData("event_subscribe_with_scene", InboundKind.Subscribe, null, "123123")]
    [InlineData("event_unsubscribe", InboundKind.Unsubscribe, null, null)]
    [InlineData("event_SCAN", InboundKind.Scan, null, "SCENE_VALUE")]
    [InlineData("event_LOCATION", InboundKind.Other, null, null)]
    [InlineData("event_CLICK", InboundKind.MenuClick, null, "EVENTKEY")]
    [InlineData("event_VIEW", InboundKind.MenuView, null, "www.qq.com")]
    [InlineData("event_TEMPLATESENDJOBFINISH", InboundKind.DeliveryReport, null, "success")]
    public void ToInbound_MapsFixture(string fixture, InboundKind kind, string? text, string? eventKey)
    {
        var message = MapFixture(fixture);

        Assert.Equal(Channel.WeChat, message.Channel);
        Assert.Equal(kind, message.Kind);
        Assert.Equal(text, message.Text);
        Assert.Equal(eventKey, message.EventKey);
        Assert.Null(message.ConversationId);
        Assert.False(message.IsGroup);
    }

    [Fact]
    public void ToInbound_MapsEnvelopeFields_ForTextMessage()
    {
        var message = MapFixture("text");

        Assert.Equal("toUser", message.AccountId);
        Assert.Equal("fromUser", message.SenderId);
        Assert.Equal("1234567890123456", message.PlatformMessageId);
        Assert.Equal("wx:1234567890123456", message.DedupeKey);
        Assert.Equal(new DateTime(2012, 9, 28, 11, 31, 0, DateTimeKind.Utc), message.ReceivedAt);
        Assert.Equal(DateTimeKind.Utc, message.ReceivedAt.Kind);
    }

    [Fact]
    public void ToInbound_UsesSenderTimeAndEvent_AsDedupeKeyForEvents()
    {
        Assert.Equal("wx:FromUser:123456789:subscribe", MapFixture("event_subscribe_plain").DedupeKey);
        Assert.Equal("wx:FromUser:123456789:CLICK", MapFixture("event_CLICK").DedupeKey);
        Assert.Equal("wx:fromuser:1395658920:TEMPLATESENDJOBFINISH", MapFixture("event_TEMPLATESENDJOBFINISH").DedupeKey);
    }

    [Fact]
    public void ToInbound_CarriesTemplateMsgId_AsPlatformMessageId()
    {
        Assert.Equal("200163836", MapFixture("event_TEMPLATESENDJOBFINISH").PlatformMessageId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ToInbound_GivesVoice_WhenRecognitionIsEmpty(string? recognition)
    {
        var payload = new WeChatInboundPayload { FromUserName = "o1", MsgType = "voice", MediaId = "m", Recognition = recognition, MsgId = "42" };

        var message = WeChatMessageMapper.ToInbound(payload);

        Assert.Equal(InboundKind.Voice, message.Kind);
        Assert.Null(message.Text);
        Assert.Equal("wx:42", message.DedupeKey);
    }

    [Theory]
    [InlineData("video", InboundKind.Video)]
    [InlineData("shortvideo", InboundKind.Video)]
    [InlineData("miniprogrampage", InboundKind.Other)]
    [InlineData(null, InboundKind.Other)]
    public void ToInbound_MapsOtherMessageTypes(string? msgType, InboundKind kind)
    {
        var message = WeChatMessageMapper.ToInbound(new WeChatInboundPayload { FromUserName = "o1", MsgType = msgType, MsgId = "1" });

        Assert.Equal(kind, message.Kind);
    }

    [Fact]
    public void ToInbound_MapsUnknownEvent_ToOther()
    {
        var message = WeChatMessageMapper.ToInbound(new WeChatInboundPayload { FromUserName = "o1", CreateTime = 5, MsgType = "event", Event = "kf_create_session" });

        Assert.Equal(InboundKind.Other, message.Kind);
        Assert.Equal("wx:o1:5:kf_create_session", message.DedupeKey);
    }

    [Fact]
    public void ToInbound_MapsMassSendJobFinish_ToDeliveryReportOfTheJob()
    {
        var message = WeChatMessageMapper.ToInbound(new WeChatInboundPayload
        {
            FromUserName = "o1", CreateTime = 5, MsgType = "event", Event = "MASSSENDJOBFINISH", MsgID = "1000001625", Status = "err(30003)",
        });

        Assert.Equal(InboundKind.DeliveryReport, message.Kind);
        Assert.Equal("1000001625", message.PlatformMessageId);
        Assert.Equal("err(30003)", message.EventKey);
        Assert.Equal("wx:o1:5:MASSSENDJOBFINISH", message.DedupeKey);
    }

    [Fact]
    public void ToInbound_MapsDecryptedSafeModeMessage()
    {
        var v = ProtocolVectors.MsgCrypto("WX-OA-D-cpp-sample");

        var message = WeChatMessageMapper.ToInbound(WeChatXmlParser.ParseMessage(v.Str("expected_plaintext")).Value!);

        Assert.Equal(InboundKind.Text, message.Kind);
        Assert.Equal("abcdteT", message.Text);
        Assert.Equal("gh_10f6c3c3ac5a", message.AccountId);
        Assert.Equal("oyORnuP8q7ou2gfYjqLzSIWZf0rs", message.SenderId);
        Assert.Equal("wx:6057404712141979648", message.DedupeKey);
    }
}
