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
/// gets nothing passively ("success") and the reply follows as a 客服消息 through the delivery outbox.
/// Across the retries of one message (on any instance) exactly one delivery route is chosen, recorded under
/// the message's dedupe key: passive with the reply (retries get it again without running anything) or "async"
/// (retries get "success"), so a
/// reply is never both passive and pushed, and never pushed twice.
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
    /// <summary>How long a message's route is remembered; WeChat's retries end within about 15 seconds.</summary>
    public static readonly TimeSpan RouteLifetime = DedupingConversationEngine.KeyLifetime;
    /// <summary>An engine run still going after this is abandoned (its reply would be stale anyway).</summary>
    public static readonly TimeSpan EngineTimeout = TimeSpan.FromMinutes(2);
    /// <summary>Route value of a passive reply: the prefix, then the reply as JSON so retries can repeat it.</summary>
    private const string PassivePrefix = "passive:";
    private const string Async = "async";
    private static readonly TimeSpan RoutePoll = TimeSpan.FromMilliseconds(20);
    private const int RoutePollAttempts = 50;

    public async Task<OutboundReply> GetPassiveReplyAsync(InboundMessage message, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(message);
        var routeKey = "wx:route:" + message.DedupeKey;
        // A retry of a decided message needs neither the engine nor a scope: "success" when the reply was
        // promised as 客服消息 (no second copy), else the same passive reply again.
        var decided = await dedupe.GetResultAsync(routeKey, requestAborted).ConfigureAwait(false);
        if (decided is not null)
            return Decode(decided);

        var engineRun = RunEngineAsync(message);
        var budget = TimeSpan.FromMilliseconds(options.Value.ReplyBudgetMs);
        OutboundReply reply;
        try
        {
            reply = await engineRun.WaitAsync(budget, time, requestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await TakeAsyncRouteAsync(routeKey, message, engineRun).ConfigureAwait(false);
            return OutboundReply.None;
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested)
        {
            // WeChat hung up; its retry will find the parked reply through the engine's dedupe.
            return OutboundReply.None;
        }

        if (reply.Kind == ReplyKind.None)
            return reply;

        // A passive text is limited to 2048 bytes; the part after the last sentence that fits follows as 客服消息.
        var rest = "";
        if (reply.Kind == ReplyKind.Text)
        {
            var split = WeChatTextSplitter.Split(reply.Text);
            if (split.HasRest)
                (reply, rest) = (OutboundReply.FromText(split.Head), split.Rest);
        }

        var (route, chosenHere) = await ChooseRouteAsync(routeKey, PassivePrefix + OutboundReplyJson.Serialize(reply)).ConfigureAwait(false);
        // Only the delivery that chose the route pushes the rest; a retry just repeats the head.
        if (chosenHere && rest.Length > 0)
            await EnqueueAsync(message.SenderId, OutboundReply.FromText(rest), "wx:rest:" + message.DedupeKey).ConfigureAwait(false);
        return route is null ? OutboundReply.None : Decode(route);
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
            var engine = scope.ServiceProvider.GetRequiredService<IConversationEngine>();
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

    private async Task TakeAsyncRouteAsync(string routeKey, InboundMessage message, Task<OutboundReply> engineRun)
    {
        var (route, chosenHere) = await ChooseRouteAsync(routeKey, Async).ConfigureAwait(false);
        if (route != Async || !chosenHere)
            return;
        LogBudgetExceeded(logger, options.Value.ReplyBudgetMs);
        _ = DeliverWhenReadyAsync(message.SenderId, "wx:late:" + message.DedupeKey, engineRun);
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

    /// <summary>First come decides; later deliveries of the same message read the decision.</summary>
    private async Task<(string? Route, bool ChosenHere)> ChooseRouteAsync(string routeKey, string wanted)
    {
        if (await dedupe.TryClaimAsync(routeKey, RouteLifetime, CancellationToken.None).ConfigureAwait(false))
        {
            await dedupe.SetResultAsync(routeKey, wanted, RouteLifetime, CancellationToken.None).ConfigureAwait(false);
            return (wanted, true);
        }

        // The claimer writes its decision right after claiming; wait the moment that takes.
        for (var i = 0; i < RoutePollAttempts; i++)
        {
            var decided = await dedupe.GetResultAsync(routeKey, CancellationToken.None).ConfigureAwait(false);
            if (decided is not null)
                return (decided, false);
            await Task.Delay(RoutePoll, time).ConfigureAwait(false);
        }
        return (null, false);
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
