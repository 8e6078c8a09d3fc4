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

    public QueryTermExtractor(Analyzer queryAnalyzer)
    {
        _analyzer = queryAnalyzer;
    }

    public IReadOnlyList<string> Extract(string normalizedQuery)
    {
        if (normalizedQuery.Length == 0)
        {
            return [];
        }

        var terms = Analyze(RemoveFiller(normalizedQuery));
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
