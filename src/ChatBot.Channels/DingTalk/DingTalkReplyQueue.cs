using System.Threading.Channels;
using ChatBot.Core.Conversation;
using ChatBot.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatBot.Channels.DingTalk;

/// <summary>One accepted @-message waiting for the engine and its reply.</summary>
public sealed record DingTalkReplyWork(InboundMessage Message, DingTalkReplyTarget Target);

/// <summary>
/// Hands accepted callbacks from the endpoint (which answers 200 at once) to <see cref="DingTalkReplyWorker"/>.
/// In memory on purpose: the sessionWebhook lives 90 minutes and DingTalk does not retry a callback we accepted,
/// so a durable job would buy little; what is lost on a crash is the in-flight answers of that instance.
/// </summary>
public sealed class DingTalkReplyQueue
{
    public const int Capacity = 1000;

    private readonly Channel<DingTalkReplyWork> _channel = Channel.CreateBounded<DingTalkReplyWork>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false });

    /// <summary>False when the queue is full: the endpoint then answers 503 rather than accept work it cannot do.</summary>
    public bool TryEnqueue(DingTalkReplyWork work) => _channel.Writer.TryWrite(work);

    internal ChannelReader<DingTalkReplyWork> Reader => _channel.Reader;
}

/// <summary>
/// Runs the engine for each queued message in its own DI scope (the engine and its EF context are scoped) and
/// posts the reply. A few messages run at once so one slow answer does not hold up the rest.
/// </summary>
public sealed partial class DingTalkReplyWorker(
    DingTalkReplyQueue queue,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<DingTalkReplyWorker> logger) : BackgroundService
{
    private const int Parallelism = 4;

    /// <summary>Waits before re-sending a reply that failed for a passing reason (well inside the session's 90 minutes).</summary>
    internal static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            queue.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken },
            HandleAsync);

    internal async ValueTask HandleAsync(DingTalkReplyWork work, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var engine = scope.ServiceProvider.GetRequiredService<IConversationEngine>();
            var reply = await engine.HandleAsync(work.Message, ct).ConfigureAwait(false);
            var sender = scope.ServiceProvider.GetRequiredService<DingTalkChannelSender>();
            var outcome = await sender.SendReplyAsync(work.Target, reply, ct).ConfigureAwait(false);
            // A busy platform or a dropped connection should not cost the member the answer: try again a few times.
            for (var attempt = 0; outcome is { IsSent: false, Status: Robots.RobotSendStatus.Transient or Robots.RobotSendStatus.Throttled }
                 && attempt < RetryDelays.Length; attempt++)
            {
                LogRetrying(logger, work.Message.DedupeKey, outcome.Status, attempt + 1);
                await Task.Delay(RetryDelays[attempt], time, ct).ConfigureAwait(false);
                outcome = await sender.SendReplyAsync(work.Target, reply, ct).ConfigureAwait(false);
            }
            if (outcome is { IsSent: false, Status: Robots.RobotSendStatus.Transient or Robots.RobotSendStatus.Throttled } && sender.HasLiveSession(work.Target))
                outcome = await sender.SendThroughOpenApiAsync(work.Target, reply, ct).ConfigureAwait(false);
            if (outcome is { IsSent: false })
                LogNotDelivered(logger, work.Message.DedupeKey, outcome.Status, outcome.ErrorCode);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // One failing message must not stop the worker; the exception text carries no message content.
            LogFailed(logger, ex, work.Message.DedupeKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk reply for {DedupeKey} not delivered: {Status} (code {ErrorCode})")]
    private static partial void LogNotDelivered(ILogger logger, string dedupeKey, Robots.RobotSendStatus status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "DingTalk reply for {DedupeKey} not delivered ({Status}); retry {Attempt}")]
    private static partial void LogRetrying(ILogger logger, string dedupeKey, Robots.RobotSendStatus status, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "DingTalk message {DedupeKey} failed in the engine or while replying")]
    private static partial void LogFailed(ILogger logger, Exception exception, string dedupeKey);
}
