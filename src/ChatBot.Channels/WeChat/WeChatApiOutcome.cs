namespace ChatBot.Channels.WeChat;

/// <summary>What a WeChat API call came to, grouped by what the caller should do next.</summary>
public enum WeChatApiStatus
{
    Ok = 0,
    /// <summary>45015: the member has not written within 48 h (or unfollowed); use a template message.</summary>
    OutOfWindow = 1,
    /// <summary>45009 daily API quota, 45047 客服 sends per window, 45028 mass-send quota.</summary>
    QuotaExceeded = 2,
    /// <summary>43004: the member blocked the account or is not (any longer) a follower.</summary>
    UserUnavailable = 3,
    /// <summary>40003: the OpenID does not belong to this account.</summary>
    InvalidOpenId = 4,
    /// <summary>40037: the template id is wrong or was deleted.</summary>
    InvalidTemplate = 5,
    /// <summary>40164: this server's IP is not on the account's whitelist; an operator must add it.</summary>
    IpNotWhitelisted = 6,
    /// <summary>40001 / 40014 / 42001 (after one refresh and retry), 40013 / 40125 / 40243 (bad AppId or secret).</summary>
    InvalidCredential = 7,
    /// <summary>-1 system busy, timeouts, 5xx, connection failures: worth retrying later.</summary>
    Transient = 8,
    /// <summary>Any other error code: not retried.</summary>
    Failed = 9,
    /// <summary>
    /// The request went out and no answer came back (timeout, connection lost mid-request): it may have arrived, so
    /// a non-idempotent send (客服消息) is never repeated automatically.
    /// </summary>
    NoAnswer = 10,
}

/// <summary>Typed result of a WeChat API call; <see cref="ErrorCode"/> keeps the platform's number for the log.</summary>
public sealed record WeChatApiOutcome(WeChatApiStatus Status, int ErrorCode, string? ErrorMessage = null, long? MessageId = null)
{
    public static WeChatApiOutcome Ok(long? messageId = null) => new(WeChatApiStatus.Ok, 0, null, messageId);

    public static WeChatApiOutcome TransientFailure(string reason) => new(WeChatApiStatus.Transient, -1, reason);

    public static WeChatApiOutcome NoAnswerFailure(string reason) => new(WeChatApiStatus.NoAnswer, 0, reason);

    public bool IsSuccess => Status == WeChatApiStatus.Ok;

    public bool IsTransient => Status == WeChatApiStatus.Transient;

    public static WeChatApiOutcome FromErrorCode(int errorCode, string? errorMessage, long? messageId = null) =>
        errorCode == 0 ? Ok(messageId) : new(Classify(errorCode), errorCode, errorMessage, messageId);

    public static WeChatApiStatus Classify(int errorCode) => errorCode switch
    {
        0 => WeChatApiStatus.Ok,
        -1 => WeChatApiStatus.Transient,
        45015 => WeChatApiStatus.OutOfWindow,
        45009 or 45047 or 45028 => WeChatApiStatus.QuotaExceeded,
        43004 => WeChatApiStatus.UserUnavailable,
        40003 => WeChatApiStatus.InvalidOpenId,
        40037 => WeChatApiStatus.InvalidTemplate,
        40164 => WeChatApiStatus.IpNotWhitelisted,
        40001 or 40014 or 42001 or 40013 or 40125 or 40243 => WeChatApiStatus.InvalidCredential,
        _ => WeChatApiStatus.Failed,
    };

    /// <summary>The codes that mean "this access token is no longer good": refresh once and retry once.</summary>
    public static bool IsRejectedToken(int errorCode) => errorCode is 40001 or 40014 or 42001;
}
