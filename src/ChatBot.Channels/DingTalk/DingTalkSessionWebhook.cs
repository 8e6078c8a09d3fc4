namespace ChatBot.Channels.DingTalk;

/// <summary>
/// The one shape of sessionWebhook DingTalk hands out: <c>https://oapi.dingtalk.com/robot/sendBySession?session=…</c>.
/// The URL arrives in the callback body, so anything else — another robot's <c>/robot/send?access_token=…</c>, another
/// dingtalk.com host, plain http — is refused: posting there would let one signed callback speak as a different robot.
/// </summary>
public static class DingTalkSessionWebhook
{
    public const string Host = "oapi.dingtalk.com";
    public const string PathValue = "/robot/sendBySession";

    public static bool IsAllowed(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return false;
        if (uri.Scheme != Uri.UriSchemeHttps || !uri.IsDefaultPort || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
            return false;
        if (!uri.Host.Equals(Host, StringComparison.OrdinalIgnoreCase) || !string.Equals(uri.AbsolutePath, PathValue, StringComparison.Ordinal))
            return false;
        // Exactly one parameter, session, with a value: no access_token or other robot credentials riding along.
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0 || query.Contains('&', StringComparison.Ordinal))
            return false;
        return query.StartsWith("session=", StringComparison.Ordinal) && query.Length > "session=".Length;
    }
}
