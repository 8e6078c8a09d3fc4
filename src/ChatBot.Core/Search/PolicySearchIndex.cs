using ChatBot.Core.Domain;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace ChatBot.Core.Search;

/// <summary>
/// In-memory Lucene index over published content. <see cref="Rebuild"/> builds a complete new generation off to the
/// side and swaps it in atomically; concurrent searches see either the old or the new generation, never a half one.
/// </summary>
public sealed class PolicySearchIndex : IPolicySearch, IDisposable
{
    private const float TitleBoost = 3f;
    private const float KeywordsBoost = 2.5f;
    private const float SummaryBoost = 1.5f;
    private const float BodyBoost = 1f;

    /// <summary>Candidates examined by the relevance gate per requested hit; the gate may reject the top ones.</summary>
    private const int CandidatesPerHit = 4;
    private const int MinCandidates = 10;
    private const int MaxTop = 50;

    private readonly QueryNormalizer _normalizer;
    private readonly QueryTermExtractor _termExtractor;
    private readonly RelevanceGate _gate;
    private readonly Analyzer _indexAnalyzer;
    private readonly Analyzer _queryAnalyzer;
    private readonly Lock _rebuildLock = new();
    private SearchIndexSnapshot? _current;
    private bool _disposed;

    public PolicySearchIndex()
        : this(new QueryNormalizer(), new RelevanceGate())
    {
    }

    internal PolicySearchIndex(QueryNormalizer normalizer, RelevanceGate gate)
    {
        _normalizer = normalizer;
        _gate = gate;
        _indexAnalyzer = ChineseAnalyzers.CreateIndexAnalyzer();
        _queryAnalyzer = ChineseAnalyzers.CreateQueryAnalyzer();
        _termExtractor = new QueryTermExtractor(_queryAnalyzer);
    }

    /// <summary>Number of documents in the current generation.</summary>
    public int Count => Volatile.Read(ref _current)?.DocumentCount ?? 0;

    /// <summary>Replaces the whole index with the published items among <paramref name="items"/>.</summary>
    public void Rebuild(IEnumerable<ContentItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_rebuildLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var next = SearchIndexSnapshot.Build(items, _indexAnalyzer);
            var previous = Interlocked.Exchange(ref _current, next);
            previous?.Reader.DecRef();
        }
    }

    public IReadOnlyList<SearchHit> Search(string? query, int top = 3, ContentKind? kind = ContentKind.Policy)
    {
        if (top <= 0)
        {
            return [];
        }

        var terms = _termExtractor.Extract(_normalizer.Normalize(query));
        if (terms.Count == 0)
        {
            return [];
        }

        while (true)
        {
            var snapshot = Volatile.Read(ref _current);
            if (snapshot is null)
            {
                return [];
            }

            // Fails only when a rebuild retired this generation after we read it: take the newer one.
            if (!snapshot.Reader.TryIncRef())
            {
                continue;
            }

            try
            {
                return Search(snapshot, terms, Math.Min(top, MaxTop), kind);
            }
            finally
            {
                snapshot.Reader.DecRef();
            }
        }
    }

    public void Dispose()
    {
        lock (_rebuildLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Interlocked.Exchange(ref _current, null)?.Reader.DecRef();
        }

        _indexAnalyzer.Dispose();
        _queryAnalyzer.Dispose();
    }

    private List<SearchHit> Search(SearchIndexSnapshot snapshot, IReadOnlyList<string> terms, int top, ContentKind? kind)
    {
        var documentCount = snapshot.DocumentCount;
        var known = KnownTerms(snapshot, terms);
        if (known.Count == 0)
        {
            return [];
        }

        var query = BuildQuery(known);
        var candidates = snapshot.Searcher.Search(query, snapshot.FilterFor(kind), Math.Max(MinCandidates, top * CandidatesPerHit));
        if (candidates.ScoreDocs.Length == 0)
        {
            return [];
        }

        var matchedWeight = new double[candidates.ScoreDocs.Length];
        var matchedDistinctive = new bool[candidates.ScoreDocs.Length];
        var totalWeight = 0.0;
        foreach (var term in known)
        {
            var weight = RelevanceGate.InverseDocumentFrequency(term.DocumentFrequency, documentCount);
            var distinctive = _gate.IsDistinctive(term.DocumentFrequency, documentCount);
            totalWeight += weight;
            for (var i = 0; i < candidates.ScoreDocs.Length; i++)
            {
                if (Contains(snapshot.Reader, term.Text, candidates.ScoreDocs[i].Doc))
                {
                    matchedWeight[i] += weight;
                    matchedDistinctive[i] |= distinctive;
                }
            }
        }

        var hits = new List<SearchHit>(top);
        for (var i = 0; i < candidates.ScoreDocs.Length && hits.Count < top; i++)
        {
            if (!_gate.Accepts(matchedWeight[i], totalWeight, matchedDistinctive[i]))
            {
                continue;
            }

            var scoreDoc = candidates.ScoreDocs[i];
            var document = snapshot.Searcher.Doc(scoreDoc.Doc);
            hits.Add(new SearchHit(
                document.GetField(SearchIndexSnapshot.IdField).GetInt32Value() ?? 0,
                document.Get(SearchIndexSnapshot.TitleField) ?? "",
                document.Get(SearchIndexSnapshot.SummaryField) ?? "",
                scoreDoc.Score));
        }

        return hits;
    }

    private static List<KnownTerm> KnownTerms(SearchIndexSnapshot snapshot, IReadOnlyList<string> terms)
    {
        var known = new List<KnownTerm>(terms.Count);
        foreach (var term in terms)
        {
            var documentFrequency = snapshot.Reader.DocFreq(new Term(SearchIndexSnapshot.AllField, term));
            if (documentFrequency > 0)
            {
                known.Add(new KnownTerm(term, documentFrequency));
            }
        }

        return known;
    }

    /// <summary>
    /// One SHOULD clause per term (itself a SHOULD over the fields), so Lucene's coordination factor rewards
    /// documents that match more of the question's terms rather than one term in many fields.
    /// </summary>
    private static BooleanQuery BuildQuery(List<KnownTerm> terms)
    {
        var query = new BooleanQuery(disableCoord: false);
        foreach (var term in terms)
        {
            query.Add(new BooleanQuery(disableCoord: true)
            {
                { FieldTerm(SearchIndexSnapshot.TitleField, term.Text, TitleBoost), Occur.SHOULD },
                { FieldTerm(SearchIndexSnapshot.KeywordsField, term.Text, KeywordsBoost), Occur.SHOULD },
                { FieldTerm(SearchIndexSnapshot.SummaryField, term.Text, SummaryBoost), Occur.SHOULD },
                { FieldTerm(SearchIndexSnapshot.BodyField, term.Text, BodyBoost), Occur.SHOULD },
            }, Occur.SHOULD);
        }

        return query;
    }

    private static TermQuery FieldTerm(string field, string text, float boost) =>
        new(new Term(field, text)) { Boost = boost };

    private static bool Contains(IndexReader reader, string term, int document)
    {
        foreach (var leaf in reader.Leaves)
        {
            var local = document - leaf.DocBase;
            if (local < 0 || local >= leaf.Reader.MaxDoc)
            {
                continue;
            }

            var docs = leaf.AtomicReader.GetTermDocsEnum(new Term(SearchIndexSnapshot.AllField, term));
            return docs is not null && docs.Advance(local) == local;
        }

        return false;
    }

    private sealed record KnownTerm(string Text, int DocumentFrequency);
}
