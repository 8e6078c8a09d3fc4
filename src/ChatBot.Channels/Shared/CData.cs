namespace ChatBot.Channels.Shared;

/// <summary>
/// Formats a value as a CDATA section. "]]>" cannot appear inside one, so it is split across two
/// sections ("]]" ends the first, "&gt;" starts the second); a reader joins them back.
/// </summary>
public readonly struct CData(string? value) : ISpanFormattable
{
    private const string Open = "<![CDATA[";
    private const string Close = "]]>";
    private const string SplitClose = "]]]]><![CDATA[>";

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        var rest = (value ?? "").AsSpan();
        if (!Append(destination, ref charsWritten, Open))
            return false;
        int end;
        while ((end = rest.IndexOf(Close, StringComparison.Ordinal)) >= 0)
        {
            if (!Append(destination, ref charsWritten, rest[..end]) || !Append(destination, ref charsWritten, SplitClose))
                return false;
            rest = rest[(end + Close.Length)..];
        }
        return Append(destination, ref charsWritten, rest) && Append(destination, ref charsWritten, Close);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString()
    {
        var text = value ?? "";
        return Open + text.Replace(Close, SplitClose, StringComparison.Ordinal) + Close;
    }

    private static bool Append(Span<char> destination, ref int written, ReadOnlySpan<char> text)
    {
        if (!text.TryCopyTo(destination[written..]))
            return false;
        written += text.Length;
        return true;
    }
}
