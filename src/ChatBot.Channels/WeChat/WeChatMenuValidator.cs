using System.Text;

namespace ChatBot.Channels.WeChat;

/// <summary>
/// Checks a menu against WeChat's limits before it is sent, so a bad file fails with a readable message
/// instead of an errcode 400xx: 1–3 top buttons, 1–5 sub-buttons each, names ≤16 bytes (top) / ≤60 bytes
/// (sub), keys ≤128 bytes, urls ≤1024 bytes; click keys must be ones the engine understands.
/// </summary>
public static class WeChatMenuValidator
{
    public const int MaxTopButtons = 3;
    public const int MaxSubButtons = 5;
    public const int MaxTopNameBytes = 16;
    public const int MaxSubNameBytes = 60;
    public const int MaxKeyBytes = 128;
    public const int MaxUrlBytes = 1024;

    /// <summary>Problems found, empty when the menu may be published.</summary>
    public static IReadOnlyList<string> Validate(WeChatMenu menu, IReadOnlyCollection<string> knownClickKeys)
    {
        ArgumentNullException.ThrowIfNull(menu);
        ArgumentNullException.ThrowIfNull(knownClickKeys);
        var problems = new List<string>();
        if (menu.Buttons.Count is 0 or > MaxTopButtons)
            problems.Add($"the menu must have 1 to {MaxTopButtons} top-level buttons (has {menu.Buttons.Count})");

        foreach (var (button, i) in menu.Buttons.Select((b, i) => (b, i + 1)))
        {
            var where = $"button {i} \"{button.Name}\"";
            CheckName(button.Name, MaxTopNameBytes, where, problems);
            if (button.SubButtons is { Count: > 0 } subs)
            {
                if (subs.Count > MaxSubButtons)
                    problems.Add($"{where} has {subs.Count} sub-buttons (at most {MaxSubButtons})");
                foreach (var (sub, j) in subs.Select((b, j) => (b, j + 1)))
                {
                    var subWhere = $"button {i}.{j} \"{sub.Name}\"";
                    CheckName(sub.Name, MaxSubNameBytes, subWhere, problems);
                    if (sub.SubButtons is { Count: > 0 })
                        problems.Add($"{subWhere} may not have sub-buttons of its own");
                    CheckLeaf(sub, subWhere, knownClickKeys, problems);
                }
            }
            else
            {
                CheckLeaf(button, where, knownClickKeys, problems);
            }
        }

        var duplicates = menu.ClickKeys().GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        problems.AddRange(duplicates.Select(k => $"click key {k} is used more than once"));
        return problems;
    }

    private static void CheckName(string name, int maxBytes, string where, List<string> problems)
    {
        var bytes = Encoding.UTF8.GetByteCount(name ?? "");
        if (bytes == 0)
            problems.Add($"{where} has no name");
        else if (bytes > maxBytes)
            problems.Add($"{where}: name is {bytes} bytes (at most {maxBytes})");
    }

    private static void CheckLeaf(WeChatMenuButton button, string where, IReadOnlyCollection<string> knownClickKeys, List<string> problems)
    {
        switch (button.Type)
        {
            case "click":
                if (string.IsNullOrEmpty(button.Key))
                    problems.Add($"{where}: a click button needs a key");
                else if (Encoding.UTF8.GetByteCount(button.Key) > MaxKeyBytes)
                    problems.Add($"{where}: key is longer than {MaxKeyBytes} bytes");
                else if (!knownClickKeys.Contains(button.Key))
                    problems.Add($"{where}: key {button.Key} is not a menu key the engine knows ({string.Join(", ", knownClickKeys)})");
                break;
            case "view":
                if (!Uri.TryCreate(button.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                    problems.Add($"{where}: a view button needs an absolute http(s) url");
                else if (Encoding.UTF8.GetByteCount(button.Url!) > MaxUrlBytes)
                    problems.Add($"{where}: url is longer than {MaxUrlBytes} bytes");
                break;
            case null or "":
                problems.Add($"{where} needs a type (click or view) or sub-buttons");
                break;
            default:
                if (button.Key is not null && Encoding.UTF8.GetByteCount(button.Key) > MaxKeyBytes)
                    problems.Add($"{where}: key is longer than {MaxKeyBytes} bytes");
                break;
        }
    }
}
