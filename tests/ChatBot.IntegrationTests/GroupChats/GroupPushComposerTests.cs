using System.Text;
using ChatBot.Host.GroupChats;

namespace ChatBot.IntegrationTests.GroupChats;

public sealed class GroupPushComposerTests
{
    private readonly GroupPushComposer _composer = new();

    [Fact]
    public void ComposeNext_StopsMergingBeforeTheSizeLimit_WhenPendingTextIsLong()
    {
        // Each push is 600 Chinese characters = 1 800 UTF-8 bytes: two fit in 4 000 bytes, three do not.
        var queue = Enumerable.Range(1, 5).Select(n => (n, GroupPush.PlainText($"{n}" + new string('学', 600)))).ToList();

        var composed = _composer.ComposeNext<int>(queue);

        Assert.Equal([1, 2], composed.Items);
        Assert.Equal(GroupPushKind.Markdown, composed.Push.Kind);
        Assert.True(Encoding.UTF8.GetByteCount(composed.Push.Text) <= GroupPushComposer.MaxMergedBytes);
    }

    [Fact]
    public void ComposeNext_KeepsCardsAndMentionsSeparate_WhenTheyInterruptText()
    {
        var queue = new List<(int, GroupPush)>
        {
            (1, GroupPush.PlainText("一")),
            (2, GroupPush.MarkdownText("二", "二")),
            (3, GroupPush.Card("三", "三", new GroupPushLink("看", "https://example.org/3"))),
            (4, GroupPush.PlainText("四")),
        };

        var first = _composer.ComposeNext<int>(queue);
        var second = _composer.ComposeNext<int>(queue.Skip(2).ToList());
        var mention = _composer.ComposeNext<int>([(5, GroupPush.PlainText("五", ["13800001111"])), (6, GroupPush.PlainText("六"))]);

        Assert.Equal([1, 2], first.Items);
        Assert.Equal([3], second.Items);
        Assert.Equal(GroupPushKind.Card, second.Push.Kind);
        Assert.Equal([5], mention.Items);
        Assert.Equal(GroupPushKind.Text, mention.Push.Kind);
    }

    [Fact]
    public void ComposeNext_SendsSinglePushUnchanged_WhenNothingFollows()
    {
        var push = GroupPush.PlainText("只有一条");

        var composed = _composer.ComposeNext<int>([(1, push)]);

        Assert.Same(push, composed.Push);
    }
}
