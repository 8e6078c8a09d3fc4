using Microsoft.Extensions.Options;

namespace ChatBot.Channels.DingTalk;

/// <summary>How the robot's @-messages reach the host (PROTOCOLS.md §2.2, §2.3).</summary>
public enum DingTalkMode
{
    /// <summary>DingTalk posts each message to <c>POST /dingtalk</c> (needs a public URL; checked by the header sign).</summary>
    Http = 0,
    /// <summary>The host opens a WebSocket to DingTalk's stream gateway with AppKey/AppSecret and receives messages on it.</summary>
    Stream = 1,
}

/// <summary>The enterprise internal app whose robot answers @-messages in DingTalk groups.</summary>
public sealed class DingTalkOptions
{
    public const string SectionName = "DingTalk";

    public const int MinClockSkewMinutes = 1;
    /// <summary>DingTalk documents one hour as the limit; a wider window only lengthens the life of a captured sign.</summary>
    public const int MaxAllowedClockSkewMinutes = 60;

    public string AppKey { get; set; } = "";

    /// <summary>Empty disables the channel: the callback endpoint is not mapped and nothing is sent through the OpenAPI.</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>Callbacks whose body names another <c>robotCode</c> are refused (403): they are for a different robot.</summary>
    public string RobotCode { get; set; } = "";

    /// <summary>Optional: when set, callbacks whose <c>chatbotUserId</c> differs are refused as well.</summary>
    public string ChatbotUserId { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://api.dingtalk.com";

    /// <summary>Http (callback URL, the default) or Stream (no public URL; the host keeps a socket open to DingTalk).</summary>
    public DingTalkMode Mode { get; set; } = DingTalkMode.Http;

    /// <summary>Stream mode: longest wait between reconnect attempts (the wait doubles from one second up to this).</summary>
    public int StreamMaxReconnectSeconds { get; set; } = 60;

    /// <summary>
    /// DingTalk asks receivers to reject callbacks whose <c>timestamp</c> header is more than 1 h off, so that is the
    /// ceiling. Within the window a (timestamp, sign) pair is only accepted for the message that first used it.
    /// </summary>
    public int MaxClockSkewMinutes { get; set; } = 60;

    public bool Enabled => !string.IsNullOrWhiteSpace(AppSecret);

    public TimeSpan MaxClockSkew => TimeSpan.FromMinutes(MaxClockSkewMinutes);
}

public sealed class DingTalkOptionsValidator : IValidateOptions<DingTalkOptions>
{
    private const string Section = DingTalkOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DingTalkOptions options)
    {
        var failures = new List<string>();
        if (!options.Enabled)
        {
            // A half-configured channel is almost always a secret that did not reach the environment;
            // silently running without DingTalk would hide that.
            if (!string.IsNullOrWhiteSpace(options.AppKey) || !string.IsNullOrWhiteSpace(options.RobotCode))
                failures.Add($"{Section}:AppSecret is required when {Section}:AppKey or {Section}:RobotCode is set (leave all three empty to disable DingTalk).");
            return Result(failures);
        }

        if (string.IsNullOrWhiteSpace(options.AppKey))
            failures.Add($"{Section}:AppKey is required when {Section}:AppSecret is set.");
        if (string.IsNullOrWhiteSpace(options.RobotCode))
            failures.Add($"{Section}:RobotCode is required when {Section}:AppSecret is set.");
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
            failures.Add($"{Section}:ApiBaseUrl must be an absolute http(s) URL (was '{options.ApiBaseUrl}').");
        if (options.MaxClockSkewMinutes is < DingTalkOptions.MinClockSkewMinutes or > DingTalkOptions.MaxAllowedClockSkewMinutes)
            failures.Add($"{Section}:MaxClockSkewMinutes must be between {DingTalkOptions.MinClockSkewMinutes} and {DingTalkOptions.MaxAllowedClockSkewMinutes} (was {options.MaxClockSkewMinutes}).");
        if (!Enum.IsDefined(options.Mode))
            failures.Add($"{Section}:Mode must be Http or Stream (was '{options.Mode}').");
        if (options.StreamMaxReconnectSeconds is < 1 or > 3600)
            failures.Add($"{Section}:StreamMaxReconnectSeconds must be between 1 and 3600 (was {options.StreamMaxReconnectSeconds}).");
        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
