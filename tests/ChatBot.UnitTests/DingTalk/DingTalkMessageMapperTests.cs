using ChatBot.Channels.DingTalk;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;

namespace ChatBot.UnitTests.DingTalk;

public class DingTalkMessageMapperTests
{
    private const string Button = "查看详情";

    private static DingTalkRobotCallback GroupFixture() =>
        DingTalkJson.ParseCallback(RobotVectors.Fixture("dingtalk_outgoing_group_text")["body"]!.ToJsonString())!;

    private static DingTalkRobotCallback StreamFixture() =>
        DingTalkJson.ParseCallback(RobotVectors.Fixture("dingtalk_stream_frame_1on1_text")["data_decoded"]!.ToJsonString())!;

    [Fact]
    public void ToInbound_MapsGroupFixture()
    {
        var message = DingTalkMessageMapper.ToInbound(GroupFixture());

        Assert.Equal(Channel.DingTalk, message.Channel);
        Assert.Equal("user123", message.SenderId);
        Assert.Equal("杨xx", message.SenderName);
        Assert.Equal("xxx", message.ConversationId);
        Assert.True(message.IsGroup);
        Assert.Equal(InboundKind.Text, message.Kind);
        Assert.Equal("你好", message.Text);
        Assert.Equal("msg0xxxxx", message.PlatformMessageId);
        Assert.Equal("dt:msg0xxxxx", message.DedupeKey);
        Assert.Equal(new DateTime(2021, 2, 18, 6, 37, 32, 678, DateTimeKind.Utc), message.ReceivedAt);
        Assert.Equal(DateTimeKind.Utc, message.ReceivedAt.Kind);
        // No robotCode in this older sample: the robot's user id names the account.
        Assert.Equal("$:LWCP_v1:$Cxxxxx", message.AccountId);
    }

    [Fact]
    public void ToInbound_LeavesConversationNull_WhenStreamFrameIsOneToOne()
    {
        var message = DingTalkMessageMapper.ToInbound(StreamFixture());

        Assert.Null(message.ConversationId);
        Assert.False(message.IsGroup);
        Assert.Equal("032615015535634423", message.SenderId);
        Assert.Equal("赵文浩 022-3819", message.SenderName);
        Assert.Equal("?", message.Text);
        Assert.Equal("dingf0apw4ibx5u5ktba", message.AccountId);
        Assert.Equal("dt:msgtH7As/bwsnWfBS0olMV5tA==", message.DedupeKey);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1774098949275).UtcDateTime, message.ReceivedAt);
    }

    [Fact]
    public void ToInbound_FallsBackToSenderId_WhenStaffIdIsEmpty()
    {
        var message = DingTalkMessageMapper.ToInbound(GroupFixture() with { SenderStaffId = "" });

        Assert.Equal("$:LWCP_v1:$Ff09GIxxxxx", message.SenderId);
    }

    [Fact]
    public void ToInbound_MapsOtherKindWithoutText_WhenMessageIsNotText()
    {
        var message = DingTalkMessageMapper.ToInbound(GroupFixture() with { MsgType = "picture", Text = null });

        Assert.Equal(InboundKind.Other, message.Kind);
        Assert.Null(message.Text);
    }

    [Fact]
    public void ToInbound_BuildsStableDedupeKey_WhenMsgIdIsMissing()
    {
        var callback = GroupFixture() with { MsgId = null };

        var first = DingTalkMessageMapper.ToInbound(callback);
        var again = DingTalkMessageMapper.ToInbound(callback);

        Assert.StartsWith("dt:", first.DedupeKey);
        Assert.NotEqual("dt:", first.DedupeKey);
        Assert.Equal(first.DedupeKey, again.DedupeKey);
        Assert.NotEqual(first.DedupeKey, DingTalkMessageMapper.ToInbound(callback with { CreateAt = callback.CreateAt + 1 }).DedupeKey);
    }

    [Fact]
    public void ToRobotMessage_RendersMarkdownThatMentionsTheAsker()
    {
        var message = DingTalkMessageMapper.ToRobotMessage(OutboundReply.FromText("请选择：\n1. 学习\n2. 积分"), "user123", Button)!;

        Assert.Equal("markdown", message.MsgType);
        Assert.Equal(["user123"], message.At!.AtUserIds!);
        Assert.Equal("@user123  \n  请选择：  \n  1. 学习  \n  2. 积分", message.Markdown!.Text);
        Assert.Equal("请选择：", message.Markdown.Title);
    }

    [Fact]
    public void ToRobotMessage_OmitsMention_WhenNoStaffId()
    {
        var message = DingTalkMessageMapper.ToRobotMessage(OutboundReply.FromText("你好"), null, Button)!;

        Assert.Null(message.At);
        Assert.Equal("你好", message.Markdown!.Text);
    }

    [Fact]
    public void ToRobotMessage_NormalisesWindowsLineEndings()
    {
        var message = DingTalkMessageMapper.ToRobotMessage(OutboundReply.FromText("一\r\n二\r\n"), null, Button)!;

        Assert.Equal("一  \n  二", message.Markdown!.Text);
    }

    [Fact]
    public void ToRobotMessage_CutsLongTitle_WithEllipsis()
    {
        var text = new string('党', 40);

        var message = DingTalkMessageMapper.ToRobotMessage(OutboundReply.FromText(text), null, Button)!;

        Assert.Equal(30, message.Markdown!.Title.Length);
        Assert.EndsWith("…", message.Markdown.Title);
    }

    [Fact]
    public void ToRobotMessage_RendersArticleAsSingleButtonActionCard()
    {
        var reply = OutboundReply.FromArticle(new ArticleLink("微党课", "第一讲\n入党誓词", "https://example.test/m/lessons/1", "https://example.test/p.png"));

        var message = DingTalkMessageMapper.ToRobotMessage(reply, "user123", Button)!;

        Assert.Equal("actionCard", message.MsgType);
        var card = message.ActionCard!;
        Assert.Equal("微党课", card.Title);
        Assert.Equal(Button, card.SingleTitle);
        Assert.Equal("https://example.test/m/lessons/1", card.SingleUrl);
        Assert.Null(card.Buttons);
        Assert.Equal("![](https://example.test/p.png)\n\n### 微党课\n\n第一讲  \n  入党誓词", card.Text);
    }

    [Fact]
    public void ToRobotMessage_ReturnsNull_WhenReplyIsNoneOrBlank()
    {
        Assert.Null(DingTalkMessageMapper.ToRobotMessage(OutboundReply.None, "user123", Button));
        Assert.Null(DingTalkMessageMapper.ToRobotMessage(OutboundReply.FromText("  "), "user123", Button));
    }

    [Fact]
    public void ToTemplateMessage_UsesSampleMarkdownForText_AndSampleActionCardForArticle()
    {
        var text = DingTalkMessageMapper.ToTemplateMessage(OutboundReply.FromText("一\n二"), Button)!;
        var article = DingTalkMessageMapper.ToTemplateMessage(
            OutboundReply.FromArticle(new ArticleLink("标题", "", "https://example.test/a")), Button)!;

        Assert.Equal("sampleMarkdown", text.MsgKey);
        Assert.Contains("一  \\n  二", text.MsgParam);
        Assert.Equal("sampleActionCard", article.MsgKey);
        Assert.Contains("\"singleURL\":\"https://example.test/a\"", article.MsgParam);
        Assert.Null(DingTalkMessageMapper.ToTemplateMessage(OutboundReply.None, Button));
    }
}
