using System.Globalization;
using ChatBot.Channels.Robots;

namespace ChatBot.Channels.DingTalk;

/// <summary>What a DingTalk robot webhook (custom robot or sessionWebhook) errcode means for the sender.</summary>
internal static class DingTalkRobotAnswers
{
    /// <summary>"send too fast, exceed 20 times per minute": DingTalk then mutes the robot for 10 minutes.</summary>
    public const long SendTooFast = 130101;
    /// <summary>Reported as the newer throttling code (unverified, PROTOCOLS §5); treated like 130101.</summary>
    public const long ThrottledNewCode = 660026;
    public const long SecurityCheckFailed = 310000;
    public const long TokenNotExist = 300001;
    public const long SystemBusy = -1;

    private static readonly TimeSpan ThrottlePenalty = TimeSpan.FromMinutes(10);

    public static RobotSendOutcome Map(RobotErrcodeAnswer answer)
    {
        var code = answer.ErrCode.ToString(CultureInfo.InvariantCulture);
        return answer.ErrCode switch
        {
            0 => RobotSendOutcome.Sent,
            SendTooFast or ThrottledNewCode => RobotSendOutcome.Throttled(code, answer.ErrMsg, ThrottlePenalty),
            SecurityCheckFailed => RobotSendOutcome.Permanent(ClassifySecurityFailure(answer.ErrMsg), code, answer.ErrMsg),
            TokenNotExist => RobotSendOutcome.Permanent(RobotFailure.WebhookInvalid, code, answer.ErrMsg),
            SystemBusy => RobotSendOutcome.Transient(code, answer.ErrMsg),
            _ => RobotSendOutcome.Permanent(RobotFailure.Unknown, code, answer.ErrMsg),
        };
    }

    private static RobotFailure ClassifySecurityFailure(string? errmsg)
    {
        var m = errmsg ?? "";
        if (m.Contains("keywords", StringComparison.OrdinalIgnoreCase)) return RobotFailure.KeywordMissing;
        if (m.Contains("timestamp", StringComparison.OrdinalIgnoreCase)) return RobotFailure.InvalidTimestamp;
        if (m.Contains("sign", StringComparison.OrdinalIgnoreCase)) return RobotFailure.SignatureMismatch;
        if (m.Contains("whitelist", StringComparison.OrdinalIgnoreCase)) return RobotFailure.IpNotWhitelisted;
        return RobotFailure.Unknown;
    }
}
