using System.Text;

namespace ChatBot.Channels.WeChat;

/// <summary>A 模板消息 to one member: category-template keys (thing2, time3, …) with their values.</summary>
public sealed record WeChatTemplateMessage(
    string ToOpenId,
    string TemplateId,
    IReadOnlyDictionary<string, string> Fields,
    string? Url = null,
    string? ClientMessageId = null)
{
    /// <summary>Since 2023-05-04 WeChat shows at most 20 characters per field and cuts the rest silently.</summary>
    public const int MaxFieldCharacters = 20;
    private const string Ellipsis = "…";

    /// <summary>Cuts a value to 20 characters, the last one "…", so the member sees where it was cut.</summary>
    public static string TrimField(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var runes = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            if (++runes > MaxFieldCharacters)
                break;
        }
        if (runes <= MaxFieldCharacters)
            return value;

        var builder = new StringBuilder(value.Length);
        var kept = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (kept++ == MaxFieldCharacters - 1)
                break;
            builder.Append(rune.ToString());
        }
        return builder.Append(Ellipsis).ToString();
    }
}
