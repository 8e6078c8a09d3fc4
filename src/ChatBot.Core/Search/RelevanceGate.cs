namespace ChatBot.Core.Search;

/// <summary>
/// Decides whether a candidate is about the question at all. Lucene scores are not comparable between queries,
/// so the gate looks at which query terms a document contains instead:
/// <list type="bullet">
/// <item>terms the index has never seen (cross-word bigrams like 贴吗, or off-topic words) are ignored;</item>
/// <item>the document must contain at least <see cref="MinCoverage"/> of the remaining terms, weighted by IDF so
/// that rare, topical terms (抵押, 商标) count more than words found everywhere (个体, 办理);</item>
/// <item>and at least one matched term must be distinctive (in no more than <see cref="MaxCommonDocumentRatio"/> of
/// the documents) — a question sharing only 办理 or 个体 with the index is not a match.</item>
/// </list>
/// </summary>
internal sealed record RelevanceGate(double MinCoverage = 0.45, double MaxCommonDocumentRatio = 0.5)
{
    public static double InverseDocumentFrequency(int documentFrequency, int documentCount) =>
        1.0 + Math.Log((documentCount + 1.0) / (documentFrequency + 1.0));

    public bool IsDistinctive(int documentFrequency, int documentCount) =>
        documentFrequency <= Math.Max(1.0, documentCount * MaxCommonDocumentRatio);

    public bool Accepts(double matchedWeight, double totalWeight, bool matchedDistinctiveTerm) =>
        matchedDistinctiveTerm && totalWeight > 0 && matchedWeight / totalWeight >= MinCoverage;
}
