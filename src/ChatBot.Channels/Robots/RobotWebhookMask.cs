namespace ChatBot.Channels.Robots;

/// <summary>
/// Renders a robot webhook URL for logs and screens. The access_token / key / session in the query is the whole
/// credential of a group robot, so only its first 4 characters survive; the 加签 timestamp and sign are dropped.
/// </summary>
public static class RobotWebhookMask
{
    private const int VisibleChars = 4;
    private const string Hidden = "****";
    private static readonly string[] DroppedParameters = ["timestamp", "sign"];

    public static string Mask(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile)
            return "(invalid url)";

        // Authority leaves out any user:password@ part.
        var head = $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
            return head;

        var kept = new List<string>();
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            if (DroppedParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
                continue;
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            kept.Add($"{name}={MaskValue(value)}");
        }
        return kept.Count == 0 ? head : $"{head}?{string.Join('&', kept)}";
    }

    private static string MaskValue(string value) =>
        value.Length <= VisibleChars ? Hidden : string.Concat(value.AsSpan(0, VisibleChars), Hidden);
}
