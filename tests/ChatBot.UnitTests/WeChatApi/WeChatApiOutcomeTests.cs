using ChatBot.Channels.WeChat;
using ChatBot.Core.Delivery;
using ChatBot.Core.Domain;

namespace ChatBot.UnitTests.WeChatApi;

public sealed class WeChatApiOutcomeTests
{
    [Theory]
    [InlineData(0, WeChatApiStatus.Ok)]
    [InlineData(-1, WeChatApiStatus.Transient)]
    [InlineData(45015, WeChatApiStatus.OutOfWindow)]
    [InlineData(45009, WeChatApiStatus.QuotaExceeded)]
    [InlineData(45047, WeChatApiStatus.QuotaExceeded)]
    [InlineData(45028, WeChatApiStatus.QuotaExceeded)]
    [InlineData(43004, WeChatApiStatus.UserUnavailable)]
    [InlineData(40003, WeChatApiStatus.InvalidOpenId)]
    [InlineData(40037, WeChatApiStatus.InvalidTemplate)]
    [InlineData(40164, WeChatApiStatus.IpNotWhitelisted)]
    [InlineData(40001, WeChatApiStatus.InvalidCredential)]
    [InlineData(42001, WeChatApiStatus.InvalidCredential)]
    [InlineData(40125, WeChatApiStatus.InvalidCredential)]
    [InlineData(45008, WeChatApiStatus.Failed)]
    public void Classify_MapsDocumentedCodes(int code, WeChatApiStatus expected) =>
        Assert.Equal(expected, WeChatApiOutcome.Classify(code));

    [Theory]
    [InlineData(40001, true)]
    [InlineData(40014, true)]
    [InlineData(42001, true)]
    [InlineData(40125, false)]
    [InlineData(45015, false)]
    public void IsRejectedToken_OnlyForTokenCodes(int code, bool expected) =>
        Assert.Equal(expected, WeChatApiOutcome.IsRejectedToken(code));

    [Theory]
    [InlineData("主题党日", "主题党日")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十", "一二三四五六七八九十一二三四五六七八九十")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十一", "一二三四五六七八九十一二三四五六七八九…")]
    [InlineData("😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀…")]
    public void TrimField_KeepsTwentyCharactersWithEllipsis(string value, string expected) =>
        Assert.Equal(expected, WeChatTemplateMessage.TrimField(value));

    [Fact]
    public void CustomerServiceWindow_IsOpenWithRemainingSends_Within48Hours()
    {
        var now = new DateTime(2026, 3, 3, 8, 0, 0, DateTimeKind.Utc);
        var identity = new ChannelIdentity { ExternalId = "o1", LastInboundAt = now.AddHours(-47), CustomerServiceSendsInWindow = 2 };

        var window = CustomerServiceWindow.For(identity.LastInboundAt, identity.CustomerServiceSendsInWindow, now);

        Assert.True(window.IsOpen);
        Assert.Equal(3, window.Remaining);
        Assert.True(window.CanSend);
    }

    [Fact]
    public void CustomerServiceWindow_IsClosed_After48HoursOrWhenQuotaUsed()
    {
        var now = new DateTime(2026, 3, 3, 8, 0, 0, DateTimeKind.Utc);

        Assert.False(CustomerServiceWindow.For(now.AddHours(-48), 0, now).IsOpen);
        Assert.False(CustomerServiceWindow.For(null, 0, now).IsOpen);
        var used = CustomerServiceWindow.For(now.AddHours(-1), 5, now);
        Assert.True(used.IsOpen);
        Assert.Equal(0, used.Remaining);
        Assert.False(used.CanSend);
    }
}
