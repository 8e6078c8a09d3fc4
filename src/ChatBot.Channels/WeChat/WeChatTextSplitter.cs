using System.Buffers;
using System.Text;

namespace ChatBot.Channels.WeChat;

/// <summary>A text cut in two: the part that fits one message, and what must follow separately.</summary>
public readonly record struct TextSplit(string Head, string Rest)
{
    public bool HasRest => Rest.Length > 0;
}

/// <summary>
/// Cuts text that exceeds WeChat's 2048-byte text reply limit. The head ends at the last sentence end
/// (。！？!? or a line break) that fits, else at the last whole character that fits; a surrogate pair
/// (emoji) is never split. The caller sends the rest as a 客服消息.
/// </summary>
public static class WeChatTextSplitter
{
    public const int MaxTextBytes = 2048;

    private static readonly SearchValues<char> SentenceEnds = SearchValues.Create("。！？!?\n");

    public static TextSplit Split(string text, int maxBytes = MaxTextBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Room for at least one character of any width, so the head is never empty.
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 4);

        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            return new TextSplit(text, "");

        var fitting = FittingChars(text, maxBytes);
        var lastEnd = text.AsSpan(0, fitting).LastIndexOfAny(SentenceEnds);
        var headLength = lastEnd >= 0 ? lastEnd + 1 : fitting;
        return new TextSplit(text[..headLength], text[headLength..]);
    }

    /// <summary>How many UTF-16 chars, whole code points only, fit in <paramref name="maxBytes"/> of UTF-8.</summary>
    private static int FittingChars(string text, int maxBytes)
    {
        var span = text.AsSpan();
        int chars = 0, bytes = 0;
        while (chars < span.Length)
        {
            // A lone surrogate becomes U+FFFD (3 bytes) when encoded; Rune reports exactly that.
            Rune.DecodeFromUtf16(span[chars..], out var rune, out var consumed);
            if (bytes + rune.Utf8SequenceLength > maxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            chars += consumed;
        }
        return chars;
    }
}
