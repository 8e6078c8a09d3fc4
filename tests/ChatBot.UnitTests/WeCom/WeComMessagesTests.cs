using System.Text;
using System.Text.Json.Nodes;
using ChatBot.Channels.WeCom;
using ChatBot.UnitTests.DingTalk;

namespace ChatBot.UnitTests.WeCom;

public class WeComMessagesTests
{
    private static JsonNode Bodies => RobotVectors.Fixture("wecom_group_robot_bodies");

    private static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    [Fact]
    public void Text_MatchesFixtureShape()
    {
        var message = WeComMessages.Text("广州今日天气：29度，大部分多云，降雨概率：60%", ["wangqing", "@all"], ["13800001111", "@all"]);

        RobotVectors.AssertJsonEqual(Bodies["text"]!, WeComJson.Serialize(message));
    }

    [Fact]
    public void Text_OmitsMentionLists_WhenNoneGiven()
    {
        var json = WeComJson.Serialize(WeComMessages.Text("通知"));

        RobotVectors.AssertJsonEqual(new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = "通知" } }, json);
    }

    [Fact]
    public void Markdown_MatchesFixtureShape()
    {
        var message = WeComMessages.Markdown("实时新增用户反馈<font color=\"warning\">132例</font>，请相关同事注意。\n>类型:<font color=\"comment\">用户反馈</font>");

        RobotVectors.AssertJsonEqual(Bodies["markdown"]!, WeComJson.Serialize(message));
    }

    [Fact]
    public void News_MatchesFixtureShape()
    {
        var message = WeComMessages.News([new WeComArticle
        {
            Title = "测试图文标题",
            Description = "测试图文描述",
            Url = "https://www.qq.com",
            PicUrl = "http://res.mail.qq.com/node/ww/wwopenmng/images/independent/doc/test_pic_msg1.png",
        }]);

        RobotVectors.AssertJsonEqual(Bodies["news"]!, WeComJson.Serialize(message));
    }

    [Fact]
    public void TextNotice_MatchesMinimalFixtureShape()
    {
        var message = WeComMessages.TextNotice("欢迎使用企业微信", "https://work.weixin.qq.com", "您的好友正在邀请您加入企业微信");

        RobotVectors.AssertJsonEqual(Bodies["template_card_text_notice_minimal"]!, WeComJson.Serialize(message));
    }

    [Fact]
    public void TextNotice_WritesSubTitleAndJumpList()
    {
        var message = WeComMessages.TextNotice("三会一课提醒", "https://example.test/m/activities/7", subTitleText: "周五 15:00 党员活动室",
            jumps: [new WeComJump("报名", "https://example.test/m/activities/7/signup")]);

        RobotVectors.AssertJsonEqual(new JsonObject
        {
            ["msgtype"] = "template_card",
            ["template_card"] = new JsonObject
            {
                ["card_type"] = "text_notice",
                ["main_title"] = new JsonObject { ["title"] = "三会一课提醒" },
                ["sub_title_text"] = "周五 15:00 党员活动室",
                ["jump_list"] = new JsonArray(new JsonObject { ["type"] = 1, ["url"] = "https://example.test/m/activities/7/signup", ["title"] = "报名" }),
                ["card_action"] = new JsonObject { ["type"] = 1, ["url"] = "https://example.test/m/activities/7" },
            },
        }, WeComJson.Serialize(message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void News_Throws_WhenArticleCountIsOutsideOneToEight(int count)
    {
        var articles = Enumerable.Range(1, count).Select(i => new WeComArticle { Title = $"第{i}篇", Url = "https://example.test/" }).ToList();

        var ex = Assert.Throws<ArgumentException>(() => WeComMessages.News(articles));
        Assert.Contains("1 to 8", ex.Message);
    }

    [Fact]
    public void News_AcceptsEightArticles()
    {
        var articles = Enumerable.Range(1, 8).Select(i => new WeComArticle { Title = $"第{i}篇", Url = "https://example.test/" }).ToList();

        Assert.Equal(8, WeComMessages.News(articles).News!.Articles.Count);
    }

    [Fact]
    public void News_CutsTitleAndDescriptionToByteLimits_OnWholeCharacters()
    {
        var message = WeComMessages.News([new WeComArticle
        {
            Title = new string('学', 60),           // 180 bytes
            Description = new string('习', 200),    // 600 bytes
            Url = "https://example.test/",
        }]);

        var article = message.News!.Articles[0];
        Assert.True(Bytes(article.Title) <= WeComMessages.MaxArticleTitleBytes);
        Assert.Equal(new string('学', 41) + "…", article.Title);
        Assert.True(Bytes(article.Description!) <= WeComMessages.MaxArticleDescriptionBytes);
        Assert.Equal(new string('习', 169) + "…", article.Description);
    }

    [Fact]
    public void News_Throws_WhenArticleUrlIsNotHttp()
    {
        Assert.Throws<ArgumentException>(() => WeComMessages.News([new WeComArticle { Title = "t", Url = "javascript:alert(1)" }]));
    }

    [Fact]
    public void Markdown_IsTruncatedAtALineBoundary_WhenOver4096Bytes()
    {
        var lines = Enumerable.Range(1, 200).Select(i => $"{i:D3}. <font color=\"info\">学习强国第{i}课</font>").ToList();
        var content = string.Join("\n", lines);
        Assert.True(Bytes(content) > WeComMessages.MaxMarkdownBytes);

        var cut = WeComMessages.Markdown(content).Markdown!.Content;

        Assert.True(Bytes(cut) <= WeComMessages.MaxMarkdownBytes);
        Assert.EndsWith("\n…", cut);
        var kept = cut[..^2].Split('\n');
        Assert.Equal(lines.Take(kept.Length), kept);
        // Nothing that would still fit was thrown away.
        Assert.True(Bytes(cut) + Bytes("\n" + lines[kept.Length]) > WeComMessages.MaxMarkdownBytes);
    }

    [Fact]
    public void Markdown_IsKeptWhole_WhenExactlyAtTheLimit()
    {
        var content = new string('a', WeComMessages.MaxMarkdownBytes);

        Assert.Equal(content, WeComMessages.Markdown(content).Markdown!.Content);
    }

    [Fact]
    public void Markdown_CutsOnACharacter_WhenTheFirstLineAloneIsTooLong()
    {
        var content = new string('党', 2000); // 6000 bytes, no line break

        var cut = WeComMessages.Markdown(content).Markdown!.Content;

        Assert.True(Bytes(cut) <= WeComMessages.MaxMarkdownBytes);
        Assert.Equal(new string('党', 1364) + "…", cut);
    }

    [Fact]
    public void Text_IsTruncatedWithinTwoThousandFortyEightBytes()
    {
        var content = string.Join("\n", Enumerable.Range(1, 100).Select(i => $"第{i}条：请按时参加组织生活"));

        var cut = WeComMessages.Text(content).Text!.Content;

        Assert.True(Bytes(cut) <= WeComMessages.MaxTextBytes);
        Assert.EndsWith("\n…", cut);
        Assert.StartsWith("第1条：请按时参加组织生活\n第2条", cut);
    }

    [Fact]
    public void Markdown_DoesNotSplitSurrogatePairs()
    {
        var content = string.Concat(Enumerable.Repeat("🎉", 1100)); // 4 bytes each

        var cut = WeComMessages.Markdown(content).Markdown!.Content;

        Assert.True(Bytes(cut) <= WeComMessages.MaxMarkdownBytes);
        Assert.False(char.IsHighSurrogate(cut[^2]));
        Assert.Equal(string.Concat(Enumerable.Repeat("🎉", 1023)) + "…", cut);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Builders_Throw_WhenContentIsEmpty(string content)
    {
        Assert.Throws<ArgumentException>(() => WeComMessages.Text(content));
        Assert.Throws<ArgumentException>(() => WeComMessages.Markdown(content));
        Assert.Throws<ArgumentException>(() => WeComMessages.TextNotice(content, "https://example.test/"));
    }

    [Fact]
    public void TextNotice_Throws_WhenMoreThanThreeJumps()
    {
        var jumps = Enumerable.Range(1, 4).Select(i => new WeComJump($"链接{i}", "https://example.test/")).ToList();

        Assert.Throws<ArgumentException>(() => WeComMessages.TextNotice("标题", "https://example.test/", jumps: jumps));
    }

    [Fact]
    public void TextNotice_Throws_WhenCardUrlIsMissing()
    {
        Assert.Throws<ArgumentException>(() => WeComMessages.TextNotice("标题", ""));
    }
}
