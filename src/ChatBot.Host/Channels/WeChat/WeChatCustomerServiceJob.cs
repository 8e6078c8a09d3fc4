using System.Text.Json;
using ChatBot.Channels.WeChat;
using ChatBot.Core.Messaging;

namespace ChatBot.Host.Channels.WeChat;

/// <summary>
/// Hangfire job: delivers a reply that missed WeChat's 5-second passive window as a 客服消息.
/// A transient failure throws so Hangfire retries later; a permanent one (out of window, blocked) is logged and dropped.
/// </summary>
public sealed partial class WeChatCustomerServiceJob(WeChatChannelSender sender, ILogger<WeChatCustomerServiceJob> logger)
{
    public async Task SendAsync(string openId, string replyJson, CancellationToken cancellationToken)
    {
        var reply = JsonSerializer.Deserialize<OutboundReply>(replyJson) ?? OutboundReply.None;
        var outcome = await sender.SendCustomerServiceAsync(openId, reply, cancellationToken);
        if (outcome.IsTransient)
            throw new WeChatTransientException(outcome.ErrorCode);
        if (!outcome.IsSuccess)
            LogNotDelivered(logger, outcome.Status, outcome.ErrorCode);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer-service reply not delivered: {Status} (errcode {ErrorCode})")]
    private static partial void LogNotDelivered(ILogger logger, WeChatApiStatus status, int errorCode);
}

/// <summary>Thrown so the job runner retries a send that failed for a passing reason.</summary>
public sealed class WeChatTransientException(int errorCode)
    : Exception($"WeChat API temporarily unavailable (errcode {errorCode}); will retry.");
