using System.Collections.Frozen;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace ChatBot.Core.Search;

/// <summary>
/// From a normalised question to the distinct terms worth searching for. Conversational filler (请问, 怎么, 吗…)
/// is cut out before bigramming so it neither matches on its own nor glues junk bigrams onto real words
/// (有补贴吗 → 补贴, not 贴吗).
/// </summary>
internal sealed class QueryTermExtractor
{
    public const int MaxTerms = 32;
    private const int MaxConcepts = 8;
    private const int MaxTargetsPerConcept = 6;

    /// <summary>Longest first, so 怎么办 is removed before 怎么.</summary>
    private static readonly string[] FillerPhrases =
    [
        "需不需要", "要不要", "能不能", "是不是", "有没有", "可不可以", "咨询一下", "了解一下", "请问", "请教", "问一下",
        "问下", "想问", "想知道", "我想", "我要", "我们", "我家", "你们", "您好", "你好", "谢谢", "麻烦", "怎么办",
        "怎么弄", "怎么样", "怎么搞", "怎么", "怎样", "咋办", "咋弄", "如何", "什么", "哪里", "哪儿", "在哪", "哪个",
        "哪些", "可以", "能否", "是否", "需要", "有啥", "一下", "一般", "现在", "今天", "明天", "应该", "相关", "的话",
        "这个", "那个", "关于", "具体", "知道", "告诉", "帮忙", "帮我", "已经", "还是", "就是", "但是", "因为", "所以",
    ];

    /// <summary>Particles and pronouns that never carry the topic; words they are part of are chosen not to matter.</summary>
    private static readonly FrozenSet<char> FillerCharacters =
        "吗呢吧啊呀哦嘛了的我你您他她是在或都也又很想要把被让啥咋嗯哈".ToFrozenSet();

    private readonly Analyzer _analyzer;
    private readonly Analyzer? _wordAnalyzer;

    /// <param name="wordAnalyzer">
    /// A word segmenter (SmartCn) run before bigramming, so bigrams never straddle two words (交增 in 交增值税);
    /// null bigrams the whole run, as before.
    /// </param>
    public QueryTermExtractor(Analyzer queryAnalyzer, Analyzer? wordAnalyzer = null)
    {
        _analyzer = queryAnalyzer;
        _wordAnalyzer = wordAnalyzer;
    }

    /// <summary>The question's own terms plus a concept for every thesaurus variant found in it.</summary>
    public QueryPlan Plan(string normalizedQuery, SearchThesaurus thesaurus)
    {
        var terms = Extract(normalizedQuery);
        var matches = thesaurus.Find(normalizedQuery);
        if (matches.Count == 0)
        {
            return new QueryPlan(terms, []);
        }

        var concepts = new List<SynonymConcept>(Math.Min(matches.Count, MaxConcepts));
        foreach (var match in matches.Take(MaxConcepts))
        {
            var alternatives = new List<IReadOnlyList<string>>(match.Targets.Count + 1) { PhraseTerms(match.Variant) };
            alternatives.AddRange(match.Targets.Take(MaxTargetsPerConcept).Select(PhraseTerms).Where(t => t.Count > 0));
            concepts.Add(new SynonymConcept(match.Variant, alternatives));
        }

        // The variant's own bigrams now belong to its concept: a guide that says 餐饮 instead of 饭馆 is not short of them.
        var own = terms.Where(t => !concepts.Any(c => c.Variant.Contains(t, StringComparison.Ordinal))).ToList();
        return new QueryPlan(own, concepts);
    }

    /// <summary>Terms of a thesaurus phrase: analysed as is (no filler removal), single characters kept when alone.</summary>
    private List<string> PhraseTerms(string phrase)
    {
        var terms = Analyze(phrase);
        return terms.Any(t => t.Length > 1) ? terms.Where(t => t.Length > 1).Take(MaxTerms).ToList() : terms;
    }

    public IReadOnlyList<string> Extract(string normalizedQuery)
    {
        if (normalizedQuery.Length == 0)
        {
            return [];
        }

        var withoutFiller = RemoveFiller(normalizedQuery);
        var terms = _wordAnalyzer is null ? Analyze(withoutFiller) : AnalyzeByWord(withoutFiller);
        var hasMultiCharacterTerm = terms.Any(t => t.Length > 1);
        return terms
            .Where(t => hasMultiCharacterTerm ? t.Length > 1 : IsMeaningfulSingle(t))
            .Take(MaxTerms)
            .ToList();
    }

    internal static string RemoveFiller(string text)
    {
        foreach (var phrase in FillerPhrases)
        {
            if (text.Contains(phrase, StringComparison.Ordinal))
            {
                text = text.Replace(phrase, " ", StringComparison.Ordinal);
            }
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = FillerCharacters.Contains(source[i]) ? ' ' : source[i];
            }
        });
    }

    private static bool IsMeaningfulSingle(string term) => !char.IsAscii(term[0]);

    /// <summary>
    /// Bigrams within each segmented word. Runs of single characters (what the segmenter makes of words it does not
    /// know: 卤菜 → 卤 菜) are joined again and bigrammed as one, so an unknown word is not lost.
    /// </summary>
    private List<string> AnalyzeByWord(string text)
    {
        var chunks = new List<string>();
        var run = new System.Text.StringBuilder();
        using (var stream = _wordAnalyzer!.GetTokenStream("query", text))
        {
            var termAttribute = stream.AddAttribute<ICharTermAttribute>();
            var offsets = stream.AddAttribute<IOffsetAttribute>();
            var lastEnd = -1;
            stream.Reset();
            while (stream.IncrementToken())
            {
                var word = termAttribute.ToString();
                if (word.Length == 0 || !char.IsLetterOrDigit(word[0])) continue;
                // A gap in the text (filler removed, a space) ends a run of single characters too.
                var adjacent = offsets.StartOffset == lastEnd;
                lastEnd = offsets.EndOffset;
                if (word.Length == 1 && !char.IsAscii(word[0]))
                {
                    if (!adjacent && run.Length > 0) Flush();
                    run.Append(word);
                    continue;
                }

                Flush();
                chunks.Add(word);
            }

            stream.End();
        }

        Flush();
        var terms = new List<string>();
        foreach (var chunk in chunks)
        {
            foreach (var term in Analyze(chunk))
            {
                if (!terms.Contains(term, StringComparer.Ordinal)) terms.Add(term);
            }
        }

        return terms;

        void Flush()
        {
            if (run.Length == 0) return;
            chunks.Add(run.ToString());
            run.Clear();
        }
    }

    private List<string> Analyze(string text)
    {
        var terms = new List<string>();
        using var stream = _analyzer.GetTokenStream("query", text);
        var termAttribute = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var term = termAttribute.ToString();
            if (!terms.Contains(term, StringComparer.Ordinal))
            {
                terms.Add(term);
            }
        }

        stream.End();
        return terms;
    }
}
