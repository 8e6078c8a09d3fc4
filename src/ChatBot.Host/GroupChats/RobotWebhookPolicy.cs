using ChatBot.Core.Domain;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.GroupChats;

/// <summary>
/// Which URLs a group chat's robot webhook may point at. The URL is typed in by an admin and later posted to by the
/// server, so without a rule it is a request forgery into loopback, the cloud metadata address or the intranet.
/// Accepted: <c>https://oapi.dingtalk.com/robot/send?access_token=…</c> (DingTalk) and
/// <c>https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…</c> (WeCom), plus the exact base URLs listed in
/// <c>GroupChats:AllowedWebhookBaseUrls</c> (a private relay, or the fake robots in tests — the only way to allow
/// plain http). Checked when a chat is saved and again before every send (rows saved under an older rule).
/// </summary>
public sealed class RobotWebhookPolicy(IOptions<GroupChatsOptions> options)
{
    public const string DingTalkBase = "https://oapi.dingtalk.com/robot/send";
    public const string WeComBase = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send";
    internal const string DingTalkPath = "/robot/send";
    internal const string WeComPath = "/cgi-bin/webhook/send";

    /// <summary>The one error text shown to the admin: it says what is accepted, never what the target answered.</summary>
    public static string Explain(Channel channel) => channel == Channel.WeCom
        ? $"webhookUrl：企业微信群机器人地址必须是 {WeComBase}?key=…（在群机器人设置里复制）。"
        : $"webhookUrl：钉钉群机器人地址必须是 {DingTalkBase}?access_token=…（在群机器人设置里复制）。";

    public bool IsAllowed(Channel channel, string? url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
            return false;
        var (requiredPath, credential) = channel switch
        {
            Channel.DingTalk => (DingTalkPath, "access_token"),
            Channel.WeCom => (WeComPath, "key"),
            _ => ((string?)null, (string?)null),
        };
        if (requiredPath is null || !HasCredential(uri, credential!))
            return false;
        return BaseUrls().Any(b => SameEndpoint(uri, b) && b.AbsolutePath.EndsWith(requiredPath, StringComparison.Ordinal));
    }

    private IEnumerable<Uri> BaseUrls()
    {
        yield return new Uri(DingTalkBase);
        yield return new Uri(WeComBase);
        foreach (var extra in options.Value.AllowedWebhookBaseUrls)
            if (Uri.TryCreate(extra, UriKind.Absolute, out var b))
                yield return b;
    }

    private static bool SameEndpoint(Uri candidate, Uri allowed) =>
        candidate.Scheme == allowed.Scheme
        && string.Equals(candidate.IdnHost, allowed.IdnHost, StringComparison.OrdinalIgnoreCase)
        && candidate.Port == allowed.Port
        && string.Equals(candidate.AbsolutePath, allowed.AbsolutePath, StringComparison.Ordinal);

    private static bool HasCredential(Uri uri, string name) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Any(p => p.StartsWith(name + "=", StringComparison.Ordinal) && p.Length > name.Length + 1);

    /// <summary>Why a configured base URL is unusable, or null. Used by the start-up validation.</summary>
    internal static string? CheckBase(string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return $"must be an absolute http(s) URL (was '{value}')";
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
            return $"must have no query, user info or fragment (was '{value}')";
        if (!uri.AbsolutePath.EndsWith(DingTalkPath, StringComparison.Ordinal) && !uri.AbsolutePath.EndsWith(WeComPath, StringComparison.Ordinal))
            return $"must end with {DingTalkPath} (DingTalk) or {WeComPath} (WeCom) (was '{value}')";
        return null;
    }
}

/// <summary>Start-up check of <see cref="GroupChatsOptions.AllowedWebhookBaseUrls"/>; the message names the key.</summary>
public sealed class GroupChatsOptionsValidator : IValidateOptions<GroupChatsOptions>
{
    public ValidateOptionsResult Validate(string? name, GroupChatsOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.AllowedWebhookBaseUrls.Count; i++)
            if (RobotWebhookPolicy.CheckBase(options.AllowedWebhookBaseUrls[i]) is { } problem)
                failures.Add($"{GroupChatsOptions.SectionName}:AllowedWebhookBaseUrls:{i} {problem}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
