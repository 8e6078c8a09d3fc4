using ChatBot.Channels.Shared;
using Microsoft.Extensions.Options;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Fails the host at start with messages that name the configuration key, so the operator knows
/// which setting or environment variable (WeChat__Token, …) to fix. Secrets are never echoed.
/// </summary>
public sealed class WeChatOptionsValidator : IValidateOptions<WeChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WeChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string Key(string property) => $"{WeChatOptions.SectionName}:{property}";

        if (string.IsNullOrWhiteSpace(options.AppId))
            failures.Add($"{Key(nameof(options.AppId))} is required");
        if (string.IsNullOrWhiteSpace(options.AppSecret))
            failures.Add($"{Key(nameof(options.AppSecret))} is required");
        if (string.IsNullOrWhiteSpace(options.Token))
            failures.Add($"{Key(nameof(options.Token))} is required");

        if (!string.IsNullOrEmpty(options.EncodingAESKey))
        {
            var problem = WxBizMsgCrypt.ValidateEncodingAesKey(options.EncodingAESKey);
            if (problem is not null)
                failures.Add($"{Key(nameof(options.EncodingAESKey))} {problem}");
        }

        if (!string.IsNullOrEmpty(options.OriginalId)
            && (!options.OriginalId.StartsWith("gh_", StringComparison.Ordinal) || options.OriginalId.Length < 4))
            failures.Add($"{Key(nameof(options.OriginalId))} must look like gh_xxxxxxxxxxxx");

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            failures.Add($"{Key(nameof(options.ApiBaseUrl))} must be an absolute http(s) URL");

        if (options.Mode is { } mode && mode != WeChatSecurityMode.Plain && string.IsNullOrEmpty(options.EncodingAESKey))
            failures.Add($"{Key(nameof(options.Mode))} {mode} needs {Key(nameof(options.EncodingAESKey))}");
        if (options.Mode is { } defined && !Enum.IsDefined(defined))
            failures.Add($"{Key(nameof(options.Mode))} must be Plain, Compatible or Safe");
        if (options.MaxClockSkewSeconds is < 30 or > 3600)
            failures.Add($"{Key(nameof(options.MaxClockSkewSeconds))} must be between 30 and 3600");

        if (options.ReplyBudgetMs is < WeChatOptions.MinReplyBudgetMs or > WeChatOptions.MaxReplyBudgetMs)
            failures.Add($"{Key(nameof(options.ReplyBudgetMs))} must be between {WeChatOptions.MinReplyBudgetMs} and {WeChatOptions.MaxReplyBudgetMs}");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
