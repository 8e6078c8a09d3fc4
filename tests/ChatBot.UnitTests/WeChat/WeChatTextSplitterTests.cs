using System.Text;
using ChatBot.Channels.WeChat;

namespace ChatBot.UnitTests.WeChat;

public sealed class WeChatTextSplitterTests
{
    private static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    [Fact]
    public void Split_ReturnsWholeText_WhenItFits()
    {
        var split = WeChatTextSplitter.Split("学习贯彻党的二十大精神。");

        Assert.Equal("学习贯彻党的二十大精神。", split.Head);
        Assert.Equal("", split.Rest);
        Assert.False(split.HasRest);
    }

    [Fact]
    public void Split_DoesNotCut_WhenTextIsExactly2048Bytes()
    {
        var text = new string('党', 682) + "ab"; // 682 × 3 + 2 = 2048
        Assert.Equal(2048, Bytes(text));

        var split = WeChatTextSplitter.Split(text);

        Assert.Equal(text, split.Head);
        Assert.False(split.HasRest);
    }

    [Fact]
    public void Split_CutsAfterLastSentenceEnd_BeforeTheLimit()
    {
        var sentence = new string('学', 99) + "。"; // 300 bytes
        var text = string.Concat(Enumerable.Repeat(sentence, 10));

        var split = WeChatTextSplitter.Split(text);

        Assert.Equal(string.Concat(Enumerable.Repeat(sentence, 6)), split.Head); // 1800 bytes; a 7th would be 2100
        Assert.Equal(text, split.Head + split.Rest);
        Assert.EndsWith("。", split.Head, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_KeepsSentenceEndingExactlyAtTheLimit()
    {
        var head = new string('a', 2045) + "。"; // 2048 bytes ending in a full stop
        var text = head + "后续内容";

        var split = WeChatTextSplitter.Split(text);

        Assert.Equal(head, split.Head);
        Assert.Equal("后续内容", split.Rest);
    }

    [Theory]
    [InlineData('！')]
    [InlineData('？')]
    [InlineData('!')]
    [InlineData('?')]
    [InlineData('\n')]
    public void Split_TreatsEachSentenceEnd_AsBoundary(char end)
    {
        var text = new string('x', 1000) + end + new string('y', 2000);

        var split = WeChatTextSplitter.Split(text);

        Assert.Equal(1001, split.Head.Length);
        Assert.Equal(end, split.Head[^1]);
    }

    [Fact]
    public void Split_FallsBackToWholeCharacters_WhenNoSentenceEnd()
    {
        var text = new string('党', 1000); // 3000 bytes, no punctuation

        var split = WeChatTextSplitter.Split(text);

        Assert.Equal(682, split.Head.Length); // 2046 bytes; a 683rd char would need 2049
        Assert.True(Bytes(split.Head) <= 2048);
        Assert.Equal(text, split.Head + split.Rest);
    }

    [Fact]
    public void Split_NeverSplitsASurrogatePair()
    {
        var text = new string('a', 2046) + "😀😀"; // the first emoji would end at byte 2050

        var split = WeChatTextSplitter.Split(text);

        Assert.Equal(new string('a', 2046), split.Head);
        Assert.Equal("😀😀", split.Rest);
        Assert.False(char.IsHighSurrogate(split.Head[^1]));
    }

    [Fact]
    public void Split_KeepsEmoji_WhenItFitsExactly()
    {
        var text = new string('a', 2044) + "😀" + "b";

        var split = WeChatTextSplitter.Split(text);

        Assert.Equal(new string('a', 2044) + "😀", split.Head);
        Assert.Equal("b", split.Rest);
    }

    [Fact]
    public void Split_HonoursCustomLimit()
    {
        var split = WeChatTextSplitter.Split("第一句。第二句。第三句。", maxBytes: 25);

        Assert.Equal("第一句。第二句。", split.Head);
        Assert.Equal("第三句。", split.Rest);
    }
}
