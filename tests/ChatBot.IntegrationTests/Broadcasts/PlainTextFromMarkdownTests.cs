using ChatBot.Host.Broadcasts;

namespace ChatBot.IntegrationTests.Broadcasts;

/// <summary>What a member sees in a WeChat text for a broadcast written in Markdown.</summary>
public sealed class PlainTextFromMarkdownTests
{
    [Theory]
    [InlineData("**请各位党员**于本月底前完成党费缴纳。", "请各位党员于本月底前完成党费缴纳。")]
    [InlineData("# 通知\n\n正文第一段。\n\n第二段 *强调*。", "通知\n正文第一段。\n第二段 强调。")]
    [InlineData("- 带好党员证\n- 提前十分钟到场", "· 带好党员证\n· 提前十分钟到场")]
    [InlineData("1. 学习\n2. 讨论", "1. 学习\n2. 讨论")]
    [InlineData("详见[办事指南](https://dj.example.cn/m/policies/3)", "详见办事指南（https://dj.example.cn/m/policies/3）")]
    [InlineData("<https://dj.example.cn>", "https://dj.example.cn")]
    [InlineData("拨打 `12345` 热线", "拨打 12345 热线")]
    [InlineData("<script>alert(1)</script>提醒", "<script>alert(1)</script>提醒")]
    [InlineData("", "")]
    public void Render_GivesChatText(string markdown, string expected) =>
        Assert.Equal(expected, PlainTextFromMarkdown.Render(markdown));
}
