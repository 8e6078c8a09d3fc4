using ChatBot.Channels.Robots;
using ChatBot.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace ChatBot.Channels.DingTalk;

/// <summary>
/// Where the answer to one @-message goes: the callback's sessionWebhook while it is valid, else the robot OpenAPI
/// (the group by its conversation id, or the sender one-to-one by staff id).
/// </summary>
public sealed record DingTalkReplyTarget(
    string? SessionWebhook,
    DateTimeOffset SessionWebhookExpiresAt,
    string? ConversationId,
    string? SenderStaffId)
{
    public bool IsGroup => ConversationId is not null;

    public static DingTalkReplyTarget From(DingTalkRobotCallback callback, InboundMessage message) => new(
        callback.SessionWebhook,
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(callback.SessionWebhookExpiredTime, 0, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())),
        message.ConversationId,
        string.IsNullOrWhiteSpace(callback.SenderStaffId) ? null : callback.SenderStaffId);
}

/// <summary>Renders an <see cref="OutboundReply"/> for DingTalk and posts it to the right place.</summary>
public sealed partial class DingTalkChannelSender(DingTalkApiClient api, TimeProvider time, ILogger<DingTalkChannelSender> logger)
{
    /// <summary>Button under an article card. The one fixed word DingTalk needs that the engine does not supply.</summary>
    public const string ArticleButtonTitle = "查看详情";

    /// <summary>Returns null when there was nothing to send (the engine chose not to answer).</summary>
    public async Task<RobotSendOutcome?> SendReplyAsync(DingTalkReplyTarget target, OutboundReply reply, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Kind == ReplyKind.None)
            return null;

        if (HasLiveSession(target))
        {
            // In a group the asker is @-mentioned so the answer stands out among other members' messages.
            var body = DingTalkMessageMapper.ToRobotMessage(reply, target.IsGroup ? target.SenderStaffId : null, ArticleButtonTitle);
            if (body is null)
                return null;
            var outcome = await api.ReplyBySessionWebhookAsync(target.SessionWebhook!, body, ct).ConfigureAwait(false);
            // Busy or throttled: the worker resends to the session. Refused for good: the OpenAPI still reaches
            // the group (or the sender), so the member is not left without an answer.
            if (outcome.Status != RobotSendStatus.PermanentFailure)
                return outcome;
            LogSessionRefused(logger, outcome.ErrorCode);
        }
        return await SendThroughOpenApiAsync(target, reply, ct).ConfigureAwait(false);
    }

    public bool HasLiveSession(DingTalkReplyTarget target) =>
        !string.IsNullOrWhiteSpace(target.SessionWebhook) && target.SessionWebhookExpiresAt > time.GetUtcNow();

    /// <summary>The robot OpenAPI: after the session expired, was refused, or kept failing.</summary>
    public async Task<RobotSendOutcome?> SendThroughOpenApiAsync(DingTalkReplyTarget target, OutboundReply reply, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reply);
        var template = DingTalkMessageMapper.ToTemplateMessage(reply, ArticleButtonTitle);
        if (template is null)
            return null;
        LogSessionExpired(logger, target.IsGroup);
        if (target.IsGroup)
            return await api.SendGroupMessageAsync(target.ConversationId!, template, ct).ConfigureAwait(false);
        if (target.SenderStaffId is null)
        {
            // Users outside the organisation have no staff id, and the OpenAPI can only address staff.
            LogNoStaffId(logger);
            return RobotSendOutcome.Permanent(RobotFailure.RequestRejected, null, "session expired and sender has no staff id");
        }
        return await api.SendToUsersAsync([target.SenderStaffId], template, ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk sessionWebhook refused the reply (code {ErrorCode}); replying through the OpenAPI")]
    private static partial void LogSessionRefused(ILogger logger, string? errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "DingTalk sessionWebhook missing or expired; replying through the OpenAPI (group: {IsGroup})")]
    private static partial void LogSessionExpired(ILogger logger, bool isGroup);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DingTalk reply dropped: sessionWebhook expired and the sender has no staff id")]
    private static partial void LogNoStaffId(ILogger logger);
}
