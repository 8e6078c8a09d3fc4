using System.Text;

namespace ChatBot.Core.Search;

/// <summary>
/// Turns whatever a member typed into a plain, comparable query: NFKC (full-width → half-width), letters and digits
/// only (punctuation, emoji and Lucene syntax become spaces), lower case, traditional → simplified Chinese,
/// bounded length. Pure and allocation-light; safe to share between threads.
/// </summary>
public sealed class QueryNormalizer
{
    public const int DefaultMaxLength = 100;

    /// <summary>Raw input beyond this is ignored before any work, so a pasted essay costs no more than a sentence.</summary>
    private const int RawInputLimitFactor = 4;

    private readonly IReadOnlyDictionary<char, char> _traditionalToSimplified;

    public QueryNormalizer(int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        MaxLength = maxLength;
        _traditionalToSimplified = TraditionalChineseMap.Table;
    }

    public int MaxLength { get; }

    public string Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return "";
        }

        var bounded = raw.Length > MaxLength * RawInputLimitFactor ? raw[..(MaxLength * RawInputLimitFactor)] : raw;
        var compatible = DropSurrogates(bounded).Normalize(NormalizationForm.FormKC);

        var builder = new StringBuilder(Math.Min(compatible.Length, MaxLength));
        var pendingSpace = false;
        foreach (var c in compatible)
        {
            if (!char.IsLetterOrDigit(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                if (builder.Length + 1 >= MaxLength)
                {
                    break;
                }

                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(Simplify(char.ToLowerInvariant(c)));
            if (builder.Length >= MaxLength)
            {
                break;
            }
        }

        return builder.ToString();
    }

    private char Simplify(char c) => _traditionalToSimplified.TryGetValue(c, out var simplified) ? simplified : c;

    /// <summary>
    /// Supplementary-plane code units are emoji and pictographs in practice; dropping them up front also removes lone
    /// surrogates, which would make <see cref="string.Normalize(NormalizationForm)"/> throw.
    /// </summary>
    private static string DropSurrogates(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsSurrogate(source[i]) ? ' ' : source[i];
            }
        });
    }
}
