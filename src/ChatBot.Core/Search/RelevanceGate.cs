using System.Collections.Frozen;

namespace ChatBot.Core.Search;

/// <summary>
/// Decides whether a candidate is about the question at all. Lucene scores are not comparable between queries,
/// so the gate looks at which query terms a document contains instead:
/// <list type="bullet">
/// <item>terms the index has never seen (cross-word bigrams like 贴吗, or off-topic words) are ignored;</item>
/// <item>the document must contain at least <see cref="MinCoverage"/> of the remaining terms, weighted by IDF so
/// that rare, topical terms (抵押, 商标) count more than words found everywhere (个体, 办理);</item>
/// <item>at least one matched term must be distinctive (not one of the <see cref="GenericTerms"/> every guide uses,
/// and in no more than <see cref="MaxCommonDocumentRatio"/> of the documents) and appear in the document's title or keywords: sharing only 办理, or a word the body mentions in
/// passing (手机, 工作), does not make a policy the answer;</item>
/// <item>and its score must be at least <see cref="MinScoreRatioToBest"/> of the best hit's, which trims the tail of
/// weak matches behind a strong one.</item>
/// </list>
/// </summary>
internal sealed record RelevanceGate(
    double MinCoverage = 0.45,
    double MaxCommonDocumentRatio = 0.5,
    double MinScoreRatioToBest = 0.1)
{
    /// <summary>
    /// Words of the guides' own register: frequent in any policy collection, whatever its size or mix of kinds, so a
    /// document-frequency ratio alone would call them distinctive in a larger index.
    /// </summary>
    private static readonly FrozenSet<string> GenericTerms = FrozenSet.ToFrozenSet(
    [
        "办理", "申请", "指南", "政策", "流程", "手续", "材料", "登记", "经营", "个体", "体户", "工商", "商户", "规定",
        "要求", "问题", "情况", "部门", "当地", "服务", "说明", "提示",
    ], StringComparer.Ordinal);

    public static double InverseDocumentFrequency(int documentFrequency, int documentCount) =>
        1.0 + Math.Log((documentCount + 1.0) / (documentFrequency + 1.0));

    /// <summary>Hotlines and codes (12315, 12366, 12345): three or more digits, kept as one term and always topical.</summary>
    public static bool IsCode(string term) => term.Length >= 3 && term.All(char.IsAsciiDigit);

    public bool IsDistinctive(string term, int documentFrequency, int documentCount) =>
        !GenericTerms.Contains(term) && documentFrequency <= Math.Max(1.0, documentCount * MaxCommonDocumentRatio);

    public bool Accepts(double matchedWeight, double totalWeight, bool matchedDistinctiveTopicTerm, double scoreRatioToBest) =>
        matchedDistinctiveTopicTerm
        && totalWeight > 0
        && matchedWeight / totalWeight >= MinCoverage
        && scoreRatioToBest >= MinScoreRatioToBest;
}
