using System.Net;
using ChatBot.Core.Conversation;
using ChatBot.Core.Messaging;
using ChatBot.Core.Ports.InProcess;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.IntegrationTests.Conversation;

/// <summary>Text a member can send that used to break the engine, sent through the real /wechat path.</summary>
public sealed class HostileTextTests
{
    [Fact]
    public async Task Post_AnswersNormally_WhenEmojiStraddlesThe800UnitCut()
    {
        await using var harness = await EngineHarness.StartSqliteAsync(EngineHarness.WeChatPlain);
        // "a" + 400 emoji = 801 UTF-16 units: the pre-normalisation cut at 800 falls inside the last emoji.
        var text = "a" + string.Concat(Enumerable.Repeat("😀", 400));
        var errorReply = (await File.ReadAllTextAsync(Path.Combine(TemplatesFolder(), "error.liquid"))).Trim();

        var (status, reply) = await harness.PostWeChatAsync("oEmoji1", text);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual("", reply);
        Assert.DoesNotContain(errorReply, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeat_GivesUpWithNoReplyAndDoesNotRunEngine_WhenFirstDeliveryNeverParksItsResult()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        var store = new InProcessDedupeStore(time);
        var inner = new CountingEngine();
        var engine = new DedupingConversationEngine(inner, store, time);
        var message = new InboundMessage { Channel = Core.Domain.Channel.WeChat, AccountId = "gh", SenderId = "o1", Kind = InboundKind.Text, Text = "帮助", DedupeKey = "wx:lost" };
        // The first delivery claimed the key on an instance that then died: no result is ever parked.
        Assert.True(await store.TryClaimAsync("msg:wx:lost", DedupingConversationEngine.KeyLifetime));

        var repeat = engine.HandleAsync(message, CancellationToken.None);
        // Step the pinned clock a second at a time, well past the wait limit, letting the poll loop observe it.
        for (var i = 0; i < 300 && !repeat.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        Assert.True(repeat.IsCompleted, "the repeat delivery still waits after the wait limit");
        Assert.Equal(ReplyKind.None, (await repeat).Kind);
        Assert.Equal(0, inner.Calls);
    }

    private static string TemplatesFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !Directory.Exists(Path.Combine(folder.FullName, "templates", "replies"))) folder = folder.Parent;
        Assert.NotNull(folder);
        return Path.Combine(folder.FullName, "templates", "replies");
    }

    private sealed class CountingEngine : IConversationEngine
    {
        public int Calls;

        public Task<OutboundReply> HandleAsync(InboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(OutboundReply.FromText("x"));
        }
    }
}
