using System.Text.Json;
using System.Text.Json.Nodes;
using ChatBot.Channels.DingTalk;

namespace ChatBot.UnitTests.DingTalk;

public class DingTalkPayloadsTests
{
    private static JsonNode Bodies => RobotVectors.Fixture("dingtalk_custom_robot_bodies");

    private static string Serialize(DingTalkRobotMessage message) =>
        JsonSerializer.Serialize(message, DingTalkJson.Context.DingTalkRobotMessage);

    [Fact]
    public void ParseCallback_ReadsEveryFieldOfTheGroupFixture()
    {
        var body = RobotVectors.Fixture("dingtalk_outgoing_group_text")["body"]!.ToJsonString();

        var callback = DingTalkJson.ParseCallback(body)!;

        Assert.Equal("text", callback.MsgType);
        Assert.Equal(" 你好", callback.Text!.Content);
        Assert.Equal("msg0xxxxx", callback.MsgId);
        Assert.Equal(1613630252678, callback.CreateAt);
        Assert.Equal("2", callback.ConversationType);
        Assert.Equal("xxx", callback.ConversationId);
        Assert.Equal("机器人测试-TEST", callback.ConversationTitle);
        Assert.Equal("$:LWCP_v1:$Ff09GIxxxxx", callback.SenderId);
        Assert.Equal("杨xx", callback.SenderNick);
        Assert.Equal("user123", callback.SenderStaffId);
        Assert.True(callback.IsAdmin);
        Assert.Equal("https://oapi.dingtalk.com/robot/sendBySession?session=xxxxx", callback.SessionWebhook);
        Assert.Equal(1613635652738, callback.SessionWebhookExpiredTime);
        Assert.Equal("$:LWCP_v1:$Cxxxxx", callback.ChatbotUserId);
        Assert.Equal("dinge8a565xxxx", callback.ChatbotCorpId);
        Assert.True(callback.IsInAtList);
        Assert.Equal(new DingTalkAtUser("xxx", "xxx"), Assert.Single(callback.AtUsers!));
        Assert.Null(callback.RobotCode);
    }

    [Fact]
    public void Serialize_Text_MatchesFixtureShape()
    {
        var message = DingTalkRobotMessage.ForText("我就是我, @150XXXXXXXX 是不一样的烟火",
            new DingTalkAt { AtMobiles = ["150XXXXXXXX"], AtUserIds = [], IsAtAll = false });

        RobotVectors.AssertJsonEqual(Bodies["text"]!, Serialize(message));
    }

    [Fact]
    public void Serialize_Markdown_MatchesFixtureShape()
    {
        var message = DingTalkRobotMessage.ForMarkdown("杭州天气", "#### 杭州天气 @150XXXXXXXX \n> 9度...",
            new DingTalkAt { AtMobiles = ["150XXXXXXXX"] });

        RobotVectors.AssertJsonEqual(Bodies["markdown"]!, Serialize(message));
    }

    [Fact]
    public void Serialize_SingleButtonActionCard_MatchesFixtureShape()
    {
        var message = DingTalkRobotMessage.ForActionCard(new DingTalkActionCard
        {
            Title = "...", Text = "markdown...", SingleTitle = "阅读全文", SingleUrl = "https://...",
        });

        RobotVectors.AssertJsonEqual(Bodies["actionCard_single"]!, Serialize(message));
    }

    [Fact]
    public void Serialize_MultiButtonActionCard_MatchesFixtureShape()
    {
        var message = DingTalkRobotMessage.ForActionCard(new DingTalkActionCard
        {
            Title = "...", Text = "markdown...",
            Buttons = [new DingTalkActionButton("A", "https://..."), new DingTalkActionButton("B", "https://...")],
        });

        RobotVectors.AssertJsonEqual(Bodies["actionCard_multi"]!, Serialize(message));
    }

    [Fact]
    public void Serialize_WritesChineseAsUtf8_NotEscapes()
    {
        var json = Serialize(DingTalkRobotMessage.ForText("你好"));

        Assert.Contains("你好", json);
    }

    [Fact]
    public void SampleMarkdown_CarriesParametersAsJsonString()
    {
        var message = DingTalkTemplateMessage.SampleMarkdown("标题", "第一行  \n  第二行");

        Assert.Equal("sampleMarkdown", message.MsgKey);
        RobotVectors.AssertJsonEqual(new JsonObject { ["title"] = "标题", ["text"] = "第一行  \n  第二行" }, message.MsgParam);
    }

    [Fact]
    public void SampleActionCard_UsesSingleUrlSpelling()
    {
        var message = DingTalkTemplateMessage.SampleActionCard("t", "x", "查看", "https://example.test/a");

        Assert.Equal("sampleActionCard", message.MsgKey);
        RobotVectors.AssertJsonEqual(
            new JsonObject { ["title"] = "t", ["text"] = "x", ["singleTitle"] = "查看", ["singleURL"] = "https://example.test/a" },
            message.MsgParam);
    }

    [Fact]
    public void SampleText_CarriesContent()
    {
        var message = DingTalkTemplateMessage.SampleText("通知");

        Assert.Equal("sampleText", message.MsgKey);
        RobotVectors.AssertJsonEqual(new JsonObject { ["content"] = "通知" }, message.MsgParam);
    }
}
