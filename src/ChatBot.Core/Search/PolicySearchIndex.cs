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
        if (top <= 0 || Volatile.Read(ref _disposed))
        {
            return [];
        }

        IReadOnlyList<string> terms;
        try
        {
            terms = _termExtractor.Extract(_normalizer.Normalize(query));
        }
        catch (ObjectDisposedException)
        {
            // Dispose raced with this search and closed the analyzer: behave as after disposal.
            return [];
        }

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

        var scoreDocs = candidates.ScoreDocs;
        var matchedWeight = new double[scoreDocs.Length];
        var matchedTopical = new bool[scoreDocs.Length];
        var byDocument = Enumerable.Range(0, scoreDocs.Length).OrderBy(i => scoreDocs[i].Doc).ToArray();
        var totalWeight = 0.0;
        foreach (var term in known)
        {
            var weight = RelevanceGate.InverseDocumentFrequency(term.DocumentFrequency, documentCount);
            var distinctive = _gate.IsDistinctive(term.Text, term.DocumentFrequency, documentCount);
            totalWeight += weight;
            foreach (var i in CandidatesContaining(snapshot.Reader, SearchIndexSnapshot.AllField, term.Text, scoreDocs, byDocument))
            {
                matchedWeight[i] += weight;
            }

            if (distinctive)
            {
                foreach (var i in CandidatesContaining(snapshot.Reader, SearchIndexSnapshot.TopicField, term.Text, scoreDocs, byDocument))
                {
                    matchedTopical[i] = true;
                }
            }
        }

        var bestScore = scoreDocs[0].Score;
        var hits = new List<SearchHit>(top);
        for (var i = 0; i < scoreDocs.Length && hits.Count < top; i++)
        {
            var scoreDoc = scoreDocs[i];
            if (!_gate.Accepts(matchedWeight[i], totalWeight, matchedTopical[i], scoreDoc.Score / bestScore))
            {
                continue;
            }

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

    /// <summary>
    /// Indexes (into <paramref name="scoreDocs"/>) of the candidates whose <paramref name="field"/> holds
    /// <paramref name="term"/>. Walks each segment's postings once, in document order, instead of seeking per candidate.
    /// </summary>
    private static IEnumerable<int> CandidatesContaining(
        IndexReader reader, string field, string term, ScoreDoc[] scoreDocs, int[] byDocument)
    {
        var indexTerm = new Term(field, term);
        var next = 0;
        foreach (var leaf in reader.Leaves)
        {
            var end = leaf.DocBase + leaf.Reader.MaxDoc;
            var postings = leaf.AtomicReader.GetTermDocsEnum(indexTerm);
            var position = -1;
            for (; next < byDocument.Length && scoreDocs[byDocument[next]].Doc < end; next++)
            {
                var local = scoreDocs[byDocument[next]].Doc - leaf.DocBase;
                if (postings is null)
                {
                    continue;
                }

                if (position < local)
                {
                    position = postings.Advance(local);
                }

                if (position == local)
                {
                    yield return byDocument[next];
                }
            }
        }
    }

    private sealed record KnownTerm(string Text, int DocumentFrequency);
}
