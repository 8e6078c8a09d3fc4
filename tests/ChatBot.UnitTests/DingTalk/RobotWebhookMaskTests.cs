using ChatBot.Channels.Robots;

namespace ChatBot.UnitTests.DingTalk;

public class RobotWebhookMaskTests
{
    [Theory]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=ab12cd34ef", "https://oapi.dingtalk.com/robot/send?access_token=ab12****")]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=ab12cd34ef&timestamp=1577262236757&sign=hmPW%2B", "https://oapi.dingtalk.com/robot/send?access_token=ab12****")]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a****")]
    [InlineData("https://oapi.dingtalk.com/robot/sendBySession?session=0b212be3320cc0f7", "https://oapi.dingtalk.com/robot/sendBySession?session=0b21****")]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=ab", "https://oapi.dingtalk.com/robot/send?access_token=****")]
    [InlineData("https://user:pw@example.test/hook?key=abcdefgh", "https://example.test/hook?key=abcd****")]
    [InlineData("https://example.test/hook", "https://example.test/hook")]
    [InlineData("not a url", "(invalid url)")]
    [InlineData("", "(invalid url)")]
    [InlineData(null, "(invalid url)")]
    public void Mask_KeepsHostPathAndFirstFourCharsOfEachCredential(string? url, string expected)
    {
        Assert.Equal(expected, RobotWebhookMask.Mask(url));
    }
}
