using ChatBot.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Fallback when the host has no job queue: sends the 客服消息 right away on a background task. Not durable
/// and not retried; the host's job-based queue replaces it.
/// </summary>
internal sealed partial class InProcessAsyncReplyQueue(IServiceScopeFactory scopes, ILogger<InProcessAsyncReplyQueue> logger) : IWeChatAsyncReplyQueue
{
    public Task EnqueueAsync(string openId, OutboundReply reply, CancellationToken ct)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<WeChatChannelSender>()
                    .SendCustomerServiceAsync(openId, reply, CancellationToken.None).ConfigureAwait(false);
                if (!outcome.IsSuccess)
                    LogNotDelivered(logger, outcome.Status, outcome.ErrorCode);
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asynchronous WeChat reply not delivered: {Status} (errcode {ErrorCode})")]
    private static partial void LogNotDelivered(ILogger logger, WeChatApiStatus status, int errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Asynchronous WeChat reply failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
