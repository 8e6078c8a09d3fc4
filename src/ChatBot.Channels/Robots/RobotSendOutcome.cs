namespace ChatBot.Channels.Robots;

public enum RobotSendStatus
{
    Sent = 0,
    /// <summary>The platform refused because of its rate limit; send again after <see cref="RobotSendOutcome.RetryAfter"/>.</summary>
    Throttled = 1,
    /// <summary>Sending again will fail the same way until someone fixes the configuration or the content.</summary>
    PermanentFailure = 2,
    /// <summary>Connection refused before sending, 5xx or "system busy": safe to retry with backoff.</summary>
    Transient = 3,
    /// <summary>
    /// The request went out and no answer came back (timeout, connection lost mid-request): the message may or may not
    /// have arrived, and robots have no idempotency key, so it is never sent again automatically.
    /// </summary>
    NoAnswer = 4,
}

/// <summary>Why a robot send failed for good; the admin console turns this into an instruction for the branch.</summary>
public enum RobotFailure
{
    None = 0,
    Unknown = 1,
    /// <summary>DingTalk 310000 "keywords not in content": the message lacks the robot's custom keyword.</summary>
    KeywordMissing = 2,
    /// <summary>DingTalk 310000 "invalid timestamp": our clock is off by more than an hour.</summary>
    InvalidTimestamp = 3,
    /// <summary>DingTalk 310000 "sign not match": wrong 加签 secret.</summary>
    SignatureMismatch = 4,
    /// <summary>DingTalk 310000 "ip … not in whitelist".</summary>
    IpNotWhitelisted = 5,
    /// <summary>DingTalk 300001 "token is not exist", WeCom 93000: wrong webhook, or the robot was removed.</summary>
    WebhookInvalid = 6,
    /// <summary>WeCom 93004.</summary>
    RobotDisabled = 7,
    /// <summary>WeCom 93008: the robot is no longer in the group.</summary>
    RobotNotInGroup = 8,
    /// <summary>WeCom 40008.</summary>
    InvalidMessageType = 9,
    /// <summary>WeCom 45002.</summary>
    ContentTooLong = 10,
    /// <summary>WeCom 44004.</summary>
    EmptyContent = 11,
    /// <summary>The app's AppKey/AppSecret were refused when fetching an access token.</summary>
    CredentialsRejected = 12,
    /// <summary>A reply URL that is not DingTalk's (we only post to https://*.dingtalk.com).</summary>
    UntrustedUrl = 13,
    /// <summary>The OpenAPI refused the request (HTTP 4xx with a code).</summary>
    RequestRejected = 14,
}

/// <summary>Result of one robot or OpenAPI send, mapped from HTTP status and the platform's error code.</summary>
public sealed record RobotSendOutcome
{
    public required RobotSendStatus Status { get; init; }
    public RobotFailure Failure { get; init; }
    /// <summary>Platform error code as text (DingTalk/WeCom errcode, or an OpenAPI code such as "InvalidParameter").</summary>
    public string? ErrorCode { get; init; }
    /// <summary>The platform's own message, or what went wrong locally. Never contains the webhook URL or key.</summary>
    public string? Detail { get; init; }
    public TimeSpan? RetryAfter { get; init; }

    public bool IsSent => Status == RobotSendStatus.Sent;

    public static RobotSendOutcome Sent { get; } = new() { Status = RobotSendStatus.Sent };

    public static RobotSendOutcome Throttled(string? errorCode, string? detail, TimeSpan? retryAfter) =>
        new() { Status = RobotSendStatus.Throttled, ErrorCode = errorCode, Detail = detail, RetryAfter = retryAfter };

    public static RobotSendOutcome Permanent(RobotFailure failure, string? errorCode, string? detail) =>
        new() { Status = RobotSendStatus.PermanentFailure, Failure = failure, ErrorCode = errorCode, Detail = detail };

    public static RobotSendOutcome Transient(string? errorCode, string? detail) =>
        new() { Status = RobotSendStatus.Transient, ErrorCode = errorCode, Detail = detail };

    public static RobotSendOutcome NoAnswer(string detail) =>
        new() { Status = RobotSendStatus.NoAnswer, Detail = detail };

    /// <summary>
    /// A failed HTTP exchange: before the request left (connection refused, name not resolved, TLS failed) it is
    /// transient; after it (response ended, invalid response, …) nobody knows whether it arrived.
    /// </summary>
    public static RobotSendOutcome FromRequestException(HttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // The exception message may quote the URL, so only the error kind is kept.
        return NotSent(exception)
            ? Transient(null, $"network error before sending ({exception.HttpRequestError})")
            : NoAnswer($"network error after sending ({exception.HttpRequestError})");
    }

    /// <summary>Whether the exception proves the request never reached the platform.</summary>
    public static bool NotSent(HttpRequestException exception) =>
        exception?.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;
}
