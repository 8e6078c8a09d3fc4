using System.Globalization;
using ChatBot.Channels.Robots;
using Microsoft.Extensions.Logging;

namespace ChatBot.Channels.WeCom;

/// <summary>Sends to a WeCom group robot webhook. The key in the URL is the only credential: it is never logged.</summary>
public sealed class WeComRobotClient(HttpClient http, ILogger<WeComRobotClient> logger)
{
    public Task<RobotSendOutcome> SendAsync(string webhookUrl, WeComRobotMessage body, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookUrl);
        ArgumentNullException.ThrowIfNull(body);
        return RobotHttp.PostAsync(http, webhookUrl, body, WeComJson.Context.WeComRobotMessage, WeComRobotAnswers.Map, logger, ct);
    }
}

/// <summary>What a WeCom webhook errcode means for the sender.</summary>
internal static class WeComRobotAnswers
{
    public const long SystemBusy = -1;
    public const long InvalidMessageType = 40008;
    public const long EmptyContent = 44004;
    public const long ContentTooLong = 45002;
    /// <summary>Generic WeCom frequency limit; assumed to be what a robot over 20 messages/min gets (PROTOCOLS §5).</summary>
    public const long FrequencyLimit = 45009;
    public const long WebhookInvalid = 93000;
    public const long RobotDisabled = 93004;
    public const long NotInGroup = 93008;

    /// <summary>The limit is per minute.</summary>
    private static readonly TimeSpan ThrottleDelay = TimeSpan.FromMinutes(1);

    public static RobotSendOutcome Map(RobotErrcodeAnswer answer)
    {
        var code = answer.ErrCode.ToString(CultureInfo.InvariantCulture);
        return answer.ErrCode switch
        {
            0 => RobotSendOutcome.Sent,
            FrequencyLimit => RobotSendOutcome.Throttled(code, answer.ErrMsg, ThrottleDelay),
            SystemBusy => RobotSendOutcome.Transient(code, answer.ErrMsg),
            WebhookInvalid => RobotSendOutcome.Permanent(RobotFailure.WebhookInvalid, code, answer.ErrMsg),
            RobotDisabled => RobotSendOutcome.Permanent(RobotFailure.RobotDisabled, code, answer.ErrMsg),
            NotInGroup => RobotSendOutcome.Permanent(RobotFailure.RobotNotInGroup, code, answer.ErrMsg),
            InvalidMessageType => RobotSendOutcome.Permanent(RobotFailure.InvalidMessageType, code, answer.ErrMsg),
            ContentTooLong => RobotSendOutcome.Permanent(RobotFailure.ContentTooLong, code, answer.ErrMsg),
            EmptyContent => RobotSendOutcome.Permanent(RobotFailure.EmptyContent, code, answer.ErrMsg),
            _ => RobotSendOutcome.Permanent(RobotFailure.Unknown, code, answer.ErrMsg),
        };
    }
}
