using System.Text.Json;
using ChatBot.Core.Conversation;
using ChatBot.Core.Messaging;
using ChatBot.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Gets the passive reply for a message within WeChat's 5-second rule. The engine runs in a DI scope of its
/// own because it may outlive the request: when it has not answered within WeChat:ReplyBudgetMs the member
/// gets nothing passively ("success") and the reply follows as a 客服消息 through the outbox.
/// One record per message, under its dedupe key, on any instance: the first delivery claims it and runs the engine;
/// the record then holds the decision — passive with the reply (retries get it again without running anything) or
/// "async" (retries get "success") — so a reply is never both passive and pushed, and never pushed twice. The record
/// lives only as long as a retry can come (WeChat retries within about 15 s), which keeps memory flat at full speed.
/// </summary>
public sealed partial class WeChatReplyCoordinator(
    IServiceScopeFactory scopes,
    IDedupeStore dedupe,
    IWeChatAsyncReplyQueue asyncReplies,
    IOptions<WeChatOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<WeChatReplyCoordinator> logger)
{
    /// <summary>
    /// How long a passive reply stays parked for retries: WeChat retries after 5, 10 and 15 seconds without an answer,
    /// so 20 s covers the last one with a margin. At full speed these records are most of the memory the host holds.
    /// </summary>
    public static readonly TimeSpan ReplyLifetime = TimeSpan.FromSeconds(20);
    /// <summary>
    /// The claim, and an "async" decision, live a little longer: the engine may still be running for the late
    /// 客服 delivery, and a straggling retry must keep answering "success" rather than run the message again.
    /// </summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(45);
    /// <summary>An engine run still going after this is abandoned (its reply would be stale anyway).</summary>
    public static readonly TimeSpan EngineTimeout = TimeSpan.FromMinutes(2);
    /// <summary>Record value of a passive reply: the prefix, then the reply as JSON so retries can repeat it.</summary>
    private const string PassivePrefix = "passive:";
    private const string Async = "async";
    private static readonly TimeSpan DecisionPoll = TimeSpan.FromMilliseconds(20);

    /// <param name="repeatedRequest">
    /// The very same signed request was seen before (same timestamp, nonce and message): answer from the record if
    /// it is still there, and never run the engine for it again.
    /// </param>
    public async Task<OutboundReply> GetPassiveReplyAsync(InboundMessage message, bool repeatedRequest, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = "wx:msg:" + message.DedupeKey;
        // A retry of a decided message needs neither the engine nor a scope.
        var decided = await dedupe.GetResultAsync(key, requestAborted).ConfigureAwait(false);
        if (decided is not null)
            return Decode(decided);

        if (!await dedupe.TryClaimAsync(key, ClaimLifetime, CancellationToken.None).ConfigureAwait(false))
            return await AwaitDecisionAsync(key, requestAborted).ConfigureAwait(false);
        if (repeatedRequest)
        {
            // Its record is gone, so this is no retry WeChat would send: a replay of a captured request answers nothing.
            await dedupe.SetResultAsync(key, Async, ClaimLifetime, CancellationToken.None).ConfigureAwait(false);
            return OutboundReply.None;
        }

        var engineRun = RunEngineAsync(message);
        var budget = TimeSpan.FromMilliseconds(options.Value.ReplyBudgetMs);
        OutboundReply reply;
        try
        {
            reply = await engineRun.WaitAsync(budget, time, requestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await dedupe.SetResultAsync(key, Async, ClaimLifetime, CancellationToken.None).ConfigureAwait(false);
            LogBudgetExceeded(logger, options.Value.ReplyBudgetMs);
            _ = DeliverWhenReadyAsync(message.SenderId, "wx:late:" + message.DedupeKey, engineRun);
            return OutboundReply.None;
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested)
        {
            // WeChat hung up; the run goes on and parks its reply, which WeChat's retry will find.
            _ = ParkWhenReadyAsync(key, message, engineRun);
            return OutboundReply.None;
        }

        return await ParkAsync(key, message, reply).ConfigureAwait(false);
    }

    /// <summary>Records the passive decision; the part of a long text beyond one passive reply follows as 客服消息.</summary>
    private async Task<OutboundReply> ParkAsync(string key, InboundMessage message, OutboundReply reply)
    {
        // A passive text is limited to 2048 bytes; the part after the last sentence that fits follows as 客服消息.
        var rest = "";
        if (reply.Kind == ReplyKind.Text)
        {
            var split = WeChatTextSplitter.Split(reply.Text);
            if (split.HasRest)
                (reply, rest) = (OutboundReply.FromText(split.Head), split.Rest);
        }
        await dedupe.SetResultAsync(key, PassivePrefix + OutboundReplyJson.Serialize(reply), ReplyLifetime, CancellationToken.None).ConfigureAwait(false);
        if (rest.Length > 0)
            await EnqueueAsync(message.SenderId, OutboundReply.FromText(rest), "wx:rest:" + message.DedupeKey).ConfigureAwait(false);
        return reply;
    }

    private async Task ParkWhenReadyAsync(string key, InboundMessage message, Task<OutboundReply> engineRun)
    {
        try
        {
            await ParkAsync(key, message, await engineRun.ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogEnqueueFailed(logger, ex);
        }
    }

    /// <summary>
    /// Another delivery of this message holds the claim and is running the engine: wait for its decision, at most a
    /// little longer than its reply budget, then answer "success" (its own response carries the reply).
    /// </summary>
    private async Task<OutboundReply> AwaitDecisionAsync(string key, CancellationToken requestAborted)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromMilliseconds(options.Value.ReplyBudgetMs) + TimeSpan.FromSeconds(1);
        try
        {
            while (time.GetUtcNow() < deadline)
            {
                var decided = await dedupe.GetResultAsync(key, requestAborted).ConfigureAwait(false);
                if (decided is not null)
                    return Decode(decided);
                await Task.Delay(DecisionPoll, time, requestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested)
        {
        }
        return OutboundReply.None;
    }

    private static OutboundReply Decode(string route) =>
        route.StartsWith(PassivePrefix, StringComparison.Ordinal)
            ? OutboundReplyJson.Deserialize(route.AsSpan(PassivePrefix.Length))
            : OutboundReply.None;

    private async Task<OutboundReply> RunEngineAsync(InboundMessage message)
    {
        // Not the request's token: the run continues after the response when the budget is exceeded.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        timeout.CancelAfter(EngineTimeout);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            // The engine without its own dedupe: this coordinator's record already makes it run once per message.
            var engine = scope.ServiceProvider.GetRequiredKeyedService<IConversationEngine>(ConversationEngines.WithoutDedupe);
            return await engine.HandleAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogEngineAbandoned(logger, message.Kind);
            return OutboundReply.None;
        }
        catch (Exception ex)
        {
            // The member must never see "该公众号暂时无法提供服务": a failing engine answers nothing.
            LogEngineFailed(logger, ex, message.Kind);
            return OutboundReply.None;
        }
    }

    private async Task DeliverWhenReadyAsync(string openId, string idempotencyKey, Task<OutboundReply> engineRun)
    {
        try
        {
            var reply = await engineRun.ConfigureAwait(false);
            if (reply.Kind != ReplyKind.None)
                await EnqueueAsync(openId, reply, idempotencyKey).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogEnqueueFailed(logger, ex);
        }
    }

    private async Task EnqueueAsync(string openId, OutboundReply reply, string idempotencyKey)
    {
        try
        {
            await asyncReplies.EnqueueAsync(openId, reply, idempotencyKey, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogEnqueueFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat reply budget of {BudgetMs} ms exceeded; answering success and sending the reply as a customer-service message")]
    private static partial void LogBudgetExceeded(ILogger logger, int budgetMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Conversation engine failed on a WeChat {Kind} message")]
    private static partial void LogEngineFailed(ILogger logger, Exception exception, InboundKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation engine run for a WeChat {Kind} message was abandoned")]
    private static partial void LogEngineAbandoned(ILogger logger, InboundKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "A WeChat reply could not be queued for customer-service delivery")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception);
}
