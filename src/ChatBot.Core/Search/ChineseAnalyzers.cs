using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace ChatBot.Core.Search;

/// <summary>
/// Analysis chains for Chinese policy text. Chinese has no spaces, so runs of Han characters are cut into
/// overlapping bigrams (个体户 → 个体, 体户): a dictionary-free way to match words members type.
/// </summary>
internal static class ChineseAnalyzers
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// Index side: bigrams plus single characters, so a one-character question (税, 秤) still finds documents.
    /// </summary>
    public static Analyzer CreateIndexAnalyzer() => Create(outputUnigrams: true);

    /// <summary>
    /// Query side: bigrams only; a Han character standing alone still comes out as a unigram and meets the index
    /// unigrams. Keeping query unigrams out avoids matching every document that shares one common character.
    /// </summary>
    public static Analyzer CreateQueryAnalyzer() => Create(outputUnigrams: false);

    /// <summary>
    /// SmartCn's HMM word segmenter, words only (no stop words or stemming): tells the query side where words end.
    /// Its dictionaries load once per process (about 0.3 s, 14 MB; docs/SEARCH.md).
    /// </summary>
    public static Analyzer CreateWordAnalyzer() =>
        Analyzer.NewAnonymous((_, reader) => new TokenStreamComponents(new Lucene.Net.Analysis.Cn.Smart.HMMChineseTokenizer(reader)));

    private static Analyzer Create(bool outputUnigrams) =>
        Analyzer.NewAnonymous((_, reader) =>
        {
            var tokenizer = new StandardTokenizer(Version, reader);
            TokenStream stream = new CJKWidthFilter(tokenizer);
            stream = new LowerCaseFilter(Version, stream);
            stream = new CJKBigramFilter(stream, CJKScript.HAN | CJKScript.HIRAGANA | CJKScript.KATAKANA | CJKScript.HANGUL, outputUnigrams);
            return new TokenStreamComponents(tokenizer, stream);
        });
}
