using System.Collections.Frozen;

namespace ChatBot.Core.Search;

/// <summary>
/// How members say it → how the guides say it. Read from <c>templates/search/synonyms.txt</c> (admins extend it):
/// <c>饭馆, 小吃, 熟食 =&gt; 食品经营许可, 餐饮</c> expands a question containing any word on the left with the phrases
/// on the right; a line without <c>=&gt;</c> is a group of equivalent words, each expanding to the others. Matching is
/// by substring on the normalised question (Chinese has no spaces), longest variant first at each position.
/// </summary>
public sealed class SearchThesaurus
{
    public const int MaxEntries = 20_000;

    private readonly FrozenDictionary<char, Entry[]> _byFirstChar;

    private SearchThesaurus(IEnumerable<Entry> entries)
    {
        var list = entries.ToList();
        EntryCount = list.Count;
        _byFirstChar = list
            .GroupBy(e => e.Variant[0])
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(e => e.Variant.Length).ToArray());
    }

    public static SearchThesaurus Empty { get; } = new([]);

    /// <summary>Number of variant → phrases entries.</summary>
    public int EntryCount { get; }

    /// <summary>
    /// Parses thesaurus text. Blank lines and lines starting with # are skipped; a malformed line is reported with
    /// its number so a bad admin edit is named instead of silently ignored.
    /// </summary>
    public static SearchThesaurus Parse(string text, QueryNormalizer normalizer, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var entries = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var arrow = line.IndexOf("=>", StringComparison.Ordinal);
            var left = Words(arrow >= 0 ? line[..arrow] : line, normalizer);
            var right = arrow >= 0 ? Words(line[(arrow + 2)..], normalizer) : left;
            if (left.Count == 0 || right.Count == 0 || (arrow < 0 && left.Count < 2))
            {
                problems.Add($"line {lineNumber}: expected 'word, word => phrase, phrase' or 'word, word, …' (was '{line}')");
                continue;
            }

            foreach (var variant in left)
            {
                var targets = right.Where(t => t != variant).ToList();
                if (targets.Count == 0) continue;
                if (!entries.TryGetValue(variant, out var set)) entries[variant] = set = new HashSet<string>(StringComparer.Ordinal);
                set.UnionWith(targets);
            }

            if (entries.Count > MaxEntries)
            {
                problems.Add($"more than {MaxEntries} entries; the rest is ignored");
                break;
            }
        }

        errors = problems;
        return new SearchThesaurus(entries.Select(e => new Entry(e.Key, e.Value.ToArray())));
    }

    /// <summary>
    /// Variants found in <paramref name="normalizedQuery"/>, longest first at each position; a variant inside a longer
    /// one already found (饭馆 inside 小饭馆) is skipped.
    /// </summary>
    public IReadOnlyList<ThesaurusMatch> Find(string normalizedQuery)
    {
        if (_byFirstChar.Count == 0 || normalizedQuery.Length == 0) return [];
        List<ThesaurusMatch>? found = null;
        var coveredUntil = 0;
        for (var i = 0; i < normalizedQuery.Length; i++)
        {
            if (!_byFirstChar.TryGetValue(normalizedQuery[i], out var candidates)) continue;
            foreach (var entry in candidates)
            {
                if (string.CompareOrdinal(normalizedQuery, i, entry.Variant, 0, entry.Variant.Length) != 0) continue;
                if (i + entry.Variant.Length <= coveredUntil) break;
                (found ??= []).Add(new ThesaurusMatch(entry.Variant, i, entry.Targets));
                coveredUntil = i + entry.Variant.Length;
                break;
            }
        }

        return found ?? (IReadOnlyList<ThesaurusMatch>)[];
    }

    private static List<string> Words(string part, QueryNormalizer normalizer) =>
        part.Split([',', '，', '、', ';', '；'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(w => normalizer.Normalize(w))
            .Where(w => w.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private sealed record Entry(string Variant, string[] Targets);
}

/// <summary>A thesaurus variant found in a question at <paramref name="Start"/>, and the phrases it stands for.</summary>
public sealed record ThesaurusMatch(string Variant, int Start, IReadOnlyList<string> Targets);
