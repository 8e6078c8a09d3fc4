using ChatBot.Channels.WeChat;
using ChatBot.Core.Conversation;
using ChatBot.Core.Domain;
using ChatBot.Core.Messaging;
using ChatBot.Core.Ports.InProcess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace ChatBot.UnitTests.WeChat;

/// <summary>The one record per message: retries within its life repeat the reply, a replay after it never runs again.</summary>
public sealed class WeChatReplyCoordinatorTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly InProcessDedupeStore _dedupe;
    private readonly Mock<IConversationEngine> _engine = new();
    private readonly WeChatReplyCoordinator _coordinator;
    private int _calls;

    public WeChatReplyCoordinatorTests()
    {
        _dedupe = new InProcessDedupeStore(_clock);
        _engine.Setup(e => e.HandleAsync(It.IsAny<InboundMessage>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => OutboundReply.FromText($"回复{Interlocked.Increment(ref _calls)}"));
        var services = new ServiceCollection();
        services.AddKeyedScoped<IConversationEngine>(ConversationEngines.WithoutDedupe, (_, _) => _engine.Object);
        var provider = services.BuildServiceProvider();
        _coordinator = new WeChatReplyCoordinator(
            provider.GetRequiredService<IServiceScopeFactory>(), _dedupe, Mock.Of<IWeChatAsyncReplyQueue>(),
            Options.Create(new WeChatOptions { ReplyBudgetMs = 4000 }), _clock, Mock.Of<IHostApplicationLifetime>(),
            NullLogger<WeChatReplyCoordinator>.Instance);
    }

    private static InboundMessage Text(string msgId) => new()
    {
        Channel = Channel.WeChat, SenderId = "oUser", Kind = InboundKind.Text, Text = "积分", PlatformMessageId = msgId, DedupeKey = msgId,
    };

    [Fact]
    public async Task GetPassiveReplyAsync_RunsEngineOnceAndRepeatsReply_WhenRetriedWithinRecordLife()
    {
        var first = await _coordinator.GetPassiveReplyAsync(Text("1"), repeatedRequest: false, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(15));
        var retry = await _coordinator.GetPassiveReplyAsync(Text("1"), repeatedRequest: true, CancellationToken.None);

        Assert.Equal("回复1", first.Text);
        Assert.Equal("回复1", retry.Text);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task GetPassiveReplyAsync_AnswersNothingAndNeverRunsAgain_WhenSameSignedRequestReplayedAfterRecordExpired()
    {
        await _coordinator.GetPassiveReplyAsync(Text("2"), repeatedRequest: false, CancellationToken.None);
        _clock.Advance(WeChatReplyCoordinator.ClaimLifetime + TimeSpan.FromSeconds(1));

        var replay = await _coordinator.GetPassiveReplyAsync(Text("2"), repeatedRequest: true, CancellationToken.None);
        var replayAgain = await _coordinator.GetPassiveReplyAsync(Text("2"), repeatedRequest: true, CancellationToken.None);

        Assert.Equal(ReplyKind.None, replay.Kind);
        Assert.Equal(ReplyKind.None, replayAgain.Kind);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task GetPassiveReplyAsync_RunsEachMessageOnce_WhenManyDistinctMessagesArrive()
    {
        for (var i = 0; i < 100; i++)
            await _coordinator.GetPassiveReplyAsync(Text($"m{i}"), repeatedRequest: false, CancellationToken.None);

        Assert.Equal(100, _calls);
    }
}
