using ChatBot.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Sends engine replies and notifications to a member: 客服消息 (text or one article) inside the 48-hour
/// window, template messages outside it. Each accepted 客服消息 is reported to the recorder.
/// </summary>
public sealed partial class WeChatChannelSender(
    WeChatApiClient api,
    ICustomerServiceSendRecorder recorder,
    ILogger<WeChatChannelSender> logger)
{
    /// <summary>
    /// Sends a reply as 客服消息. Text longer than one message is sent in parts cut at sentence ends;
    /// the first failing part stops the rest and its outcome is returned.
    /// </summary>
    public async Task<WeChatApiOutcome> SendCustomerServiceAsync(string openId, OutboundReply reply, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentNullException.ThrowIfNull(reply);
        switch (reply.Kind)
        {
            case ReplyKind.Article when reply.Article is not null:
                return await RecordAsync(openId, await api.SendCustomerServiceNewsAsync(openId, reply.Article, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            case ReplyKind.Text when reply.Text.Length > 0:
                var rest = reply.Text;
                var outcome = WeChatApiOutcome.Ok();
                while (rest.Length > 0)
                {
                    var split = WeChatTextSplitter.Split(rest);
                    outcome = await RecordAsync(openId, await api.SendCustomerServiceTextAsync(openId, split.Head, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                    if (!outcome.IsSuccess)
                        return outcome;
                    rest = split.Rest;
                }
                return outcome;
            default:
                return WeChatApiOutcome.Ok();
        }
    }

    public Task<WeChatApiOutcome> SendTemplateAsync(WeChatTemplateMessage message, CancellationToken ct) =>
        api.SendTemplateAsync(message, ct);

    /// <summary>群发 text to several followers at once (<see cref="WeChatApiClient.SendMassTextAsync"/>).</summary>
    public Task<WeChatApiOutcome> SendMassTextAsync(IReadOnlyList<string> openIds, string content, string clientMessageId, CancellationToken ct) =>
        api.SendMassTextAsync(openIds, content, clientMessageId, ct);

    private async Task<WeChatApiOutcome> RecordAsync(string openId, WeChatApiOutcome outcome, CancellationToken ct)
    {
        if (!outcome.IsSuccess)
            return outcome;
        try
        {
            await recorder.RecordSentAsync(openId, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message went out; a lost count leaves one more send in the window than there is, and WeChat answers 45047 if that ever matters.
            LogRecordFailed(logger, ex);
        }
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sent customer-service message could not be recorded")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception);
}
