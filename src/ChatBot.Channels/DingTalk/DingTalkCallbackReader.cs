using System.Text.Json;

namespace ChatBot.Channels.DingTalk;

/// <summary>Why a robot callback body cannot be acted on.</summary>
public enum DingTalkCallbackProblem
{
    None = 0,
    /// <summary>Not JSON, or not a robot message.</summary>
    Malformed,
    /// <summary>A field we would act on is out of range or points somewhere we never post to.</summary>
    InvalidField,
    /// <summary>Names another robot: never answer as this one.</summary>
    WrongRobot,
}

/// <summary>A read callback: the work to store, or the problem (and for <see cref="DingTalkCallbackProblem.InvalidField"/> the field).</summary>
public sealed record DingTalkCallbackRead(DingTalkCallbackProblem Problem, string? Field, DingTalkReplyWork? Work)
{
    public static DingTalkCallbackRead Rejected(DingTalkCallbackProblem problem, string? field = null) => new(problem, field, null);
}

/// <summary>
/// The checks on a robot message body that do not depend on how it arrived, shared by the HTTP callback
/// (<c>POST /dingtalk</c>, after its header signature) and Stream mode (whose socket the app opened with its own
/// credentials): parse, field checks, addressed to this robot, mapped to the engine's message and its reply target.
/// </summary>
public static class DingTalkCallbackReader
{
    /// <summary>Latest instant a DateTimeOffset can hold; a larger millisecond value would throw while mapping.</summary>
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static DingTalkCallbackRead Read(ReadOnlySpan<byte> utf8Json, DingTalkOptions settings)
    {
        DingTalkRobotCallback? callback;
        try
        {
            callback = DingTalkJson.ParseCallback(utf8Json);
        }
        catch (JsonException)
        {
            callback = null;
        }
        if (callback is null)
            return DingTalkCallbackRead.Rejected(DingTalkCallbackProblem.Malformed);
        if (InvalidField(callback) is { } field)
            return DingTalkCallbackRead.Rejected(DingTalkCallbackProblem.InvalidField, field);
        if (!IsForThisRobot(callback, settings))
            return DingTalkCallbackRead.Rejected(DingTalkCallbackProblem.WrongRobot);
        var message = DingTalkMessageMapper.ToInbound(callback);
        return new DingTalkCallbackRead(DingTalkCallbackProblem.None, null, new DingTalkReplyWork(message, DingTalkReplyTarget.From(callback, message)));
    }

    /// <summary>The first body field we cannot act on safely, or null when the callback is usable.</summary>
    internal static string? InvalidField(DingTalkRobotCallback callback)
    {
        if (callback.CreateAt is < 0 || callback.CreateAt > MaxUnixMilliseconds)
            return "createAt";
        if (callback.SessionWebhookExpiredTime is < 0 || callback.SessionWebhookExpiredTime > MaxUnixMilliseconds)
            return "sessionWebhookExpiredTime";
        // The reply URL comes from the body; only DingTalk's own session endpoint is ever posted to.
        if (!string.IsNullOrEmpty(callback.SessionWebhook) && !DingTalkSessionWebhook.IsAllowed(callback.SessionWebhook))
            return "sessionWebhook";
        return null;
    }

    /// <summary>A robotCode or chatbotUserId in the body must be ours (chatbotUserId only when configured).</summary>
    internal static bool IsForThisRobot(DingTalkRobotCallback callback, DingTalkOptions settings)
    {
        if (!string.IsNullOrEmpty(callback.RobotCode) && !string.Equals(callback.RobotCode, settings.RobotCode, StringComparison.Ordinal))
            return false;
        if (!string.IsNullOrWhiteSpace(settings.ChatbotUserId) && !string.IsNullOrEmpty(callback.ChatbotUserId)
            && !string.Equals(callback.ChatbotUserId, settings.ChatbotUserId, StringComparison.Ordinal))
            return false;
        return true;
    }
}
