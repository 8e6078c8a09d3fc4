using System.Text;

namespace ChatBot.Channels.WeCom;

/// <summary>
/// WeCom counts its limits in UTF-8 bytes (a Chinese character is 3). Cutting is done on whole characters, and
/// for message bodies on whole lines, so no half character or half <c>&lt;font&gt;</c> tag reaches the group.
/// </summary>
internal static class Utf8Limits
{
    public const string Ellipsis = "…";

    public static int ByteCount(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>Keeps whole lines and ends with a line holding "…"; cuts inside the first line only if it alone is too long.</summary>
    public static string TruncateAtLine(string text, int maxBytes)
    {
        if (ByteCount(text) <= maxBytes)
            return text;
        var lineTail = "\n" + Ellipsis;
        var prefix = PrefixWithin(text, maxBytes - ByteCount(lineTail));
        var lastBreak = prefix.LastIndexOf('\n');
        var kept = lastBreak > 0 ? prefix[..lastBreak].TrimEnd() : "";
        return kept.Length > 0 ? kept + lineTail : TruncateAtChar(text, maxBytes);
    }

    public static string TruncateAtChar(string text, int maxBytes)
    {
        if (ByteCount(text) <= maxBytes)
            return text;
        return PrefixWithin(text, maxBytes - ByteCount(Ellipsis)).TrimEnd() + Ellipsis;
    }

    /// <summary>The longest prefix of whole characters (runes) whose UTF-8 form fits in <paramref name="maxBytes"/>.</summary>
    private static string PrefixWithin(string text, int maxBytes)
    {
        var bytes = 0;
        var chars = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            chars += rune.Utf16SequenceLength;
        }
        return text[..chars];
    }
}
