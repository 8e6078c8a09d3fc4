using System.Globalization;
using System.Text;

namespace ChatBot.Core.Conversation;

/// <summary>
/// Puts what members type into one shape before matching commands: full-width digits, letters and the
/// ideographic space become ASCII (NFKC), runs of whitespace collapse, and over-long text is cut.
/// </summary>
public static class TextNormalizer
{
    public const int MaxLength = 200;

    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var s = text.Length > MaxLength * 4 ? text[..(MaxLength * 4)] : text;
        s = s.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(s.Length);
        var pendingSpace = false;
        foreach (var ch in s)
        {
            if (char.IsWhiteSpace(ch) || ch == '\u200b')
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (char.GetUnicodeCategory(ch) == UnicodeCategory.Control) continue;
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(ch);
        }
        var result = sb.ToString();
        if (result.Length <= MaxLength) return result;
        var cut = MaxLength;
        if (char.IsHighSurrogate(result[cut - 1])) cut--;
        return result[..cut];
    }
}
