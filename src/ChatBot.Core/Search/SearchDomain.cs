namespace ChatBot.Core.Search;

/// <summary>
/// Words that say a question is about the bot's field (party building, 小个专, registration, tax, licences, loans,
/// markets…), read from <c>templates/search/domain.txt</c>, which admins extend. It only decides what to say when
/// no guide passes the relevance gate: an in-domain question gets the closest guides marked 可能相关 and a way to
/// ask a person; anything else gets a short note of what the bot can do. Matched by substring on the normalised
/// question, like the thesaurus; every thesaurus variant counts as in the domain as well.
/// </summary>
public sealed class SearchDomain
{
    public const int MaxWords = 5_000;

    private readonly string[] _words;

    private SearchDomain(IEnumerable<string> words) => _words = words.ToArray();

    public static SearchDomain Empty { get; } = new([]);

    public int WordCount => _words.Length;

    /// <summary>Words separated by commas, 、 or line breaks; lines starting with # are comments.</summary>
    public static SearchDomain Parse(string text, QueryNormalizer normalizer)
    {
        var words = text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .SelectMany(l => l.Split([',', '，', '、', ';', '；'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(w => normalizer.Normalize(w))
            .Where(w => w.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxWords)
            .OrderByDescending(w => w.Length);
        return new SearchDomain(words);
    }

    /// <summary>The first domain word found in <paramref name="normalizedQuery"/>, or null.</summary>
    public string? Find(string normalizedQuery)
    {
        foreach (var word in _words)
        {
            if (normalizedQuery.Contains(word, StringComparison.Ordinal)) return word;
        }

        return null;
    }
}
