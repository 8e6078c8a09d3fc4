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
        // The cut must not split a surrogate pair: a lone high surrogate makes Normalize throw (an emoji at 800).
        var s = text.Length > MaxLength * 4 ? text[..SafeCut(text, MaxLength * 4)] : text;
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
        return result[..SafeCut(result, MaxLength)];
    }

    /// <summary>Length of the longest prefix of at most <paramref name="max"/> UTF-16 units that ends between whole code points.</summary>
    private static int SafeCut(string text, int max) => char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
}
