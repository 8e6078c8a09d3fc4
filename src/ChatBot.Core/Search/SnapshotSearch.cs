using ChatBot.Core.Domain;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace ChatBot.Core.Search;

/// <summary>
/// One question against one index generation. Each field's terms dictionary is opened once and re-seeked for every
/// term (rather than once per term and field, as a plain TermQuery would): that keeps a search to a handful of small
/// allocations, which is what keeps tail latency down under load.
/// </summary>
internal sealed class SnapshotSearch
{
    private const float TitleBoost = 3f;
    private const float KeywordsBoost = 2.5f;
    private const float SummaryBoost = 1.5f;
    private const float BodyBoost = 1f;

    /// <summary>Candidates examined by the relevance gate per requested hit; the gate may reject the top ones.</summary>
    private const int CandidatesPerHit = 4;
    private const int MinCandidates = 10;

    private static readonly (string Field, float Boost)[] ScoredFields =
    [
        (SearchIndexSnapshot.TitleField, TitleBoost),
        (SearchIndexSnapshot.KeywordsField, KeywordsBoost),
        (SearchIndexSnapshot.SummaryField, SummaryBoost),
        (SearchIndexSnapshot.BodyField, BodyBoost),
    ];

    private readonly SearchIndexSnapshot _snapshot;
    private readonly RelevanceGate _gate;
    private readonly AtomicReaderContext? _leaf;
    private DocsEnum? _reusableDocs;

    public SnapshotSearch(SearchIndexSnapshot snapshot, RelevanceGate gate)
    {
        _snapshot = snapshot;
        _gate = gate;
        _leaf = snapshot.Leaf;
    }

    public List<SearchHit> Run(IReadOnlyList<string> terms, int top, ContentKind? kind)
    {
        if (_leaf is null)
        {
            return [];
        }

        var allTerms = OpenTerms(SearchIndexSnapshot.AllField);
        var known = KnownTerms(allTerms, terms);
        if (known.Count == 0)
        {
            return [];
        }

        // Terms found in most documents (个体, 办理) barely change the ranking but make Lucene score nearly every
        // document; leave them to the relevance gate whenever the question has anything more specific.
        var distinctiveTerms = known.Where(t => t.IsDistinctive).ToList();
        var query = BuildQuery(distinctiveTerms.Count > 0 ? distinctiveTerms : known);
        var scoreDocs = _snapshot.Searcher
            .Search(query, _snapshot.FilterFor(kind), Math.Max(MinCandidates, top * CandidatesPerHit))
            .ScoreDocs;
        if (scoreDocs.Length == 0)
        {
            return [];
        }

        var byDocument = Enumerable.Range(0, scoreDocs.Length).OrderBy(i => scoreDocs[i].Doc).ToArray();
        var matchedWeight = new double[scoreDocs.Length];
        var matchedTopic = new bool[scoreDocs.Length];
        var topicTerms = OpenTerms(SearchIndexSnapshot.TopicField);
        var totalWeight = 0.0;
        foreach (var term in known)
        {
            totalWeight += term.Weight;
            allTerms!.SeekExact(term.Bytes, term.AllFieldState);
            foreach (var i in CandidatesContaining(allTerms, scoreDocs, byDocument))
            {
                matchedWeight[i] += term.Weight;
            }

            if (term.IsDistinctive && topicTerms is not null && topicTerms.SeekExact(term.Bytes))
            {
                foreach (var i in CandidatesContaining(topicTerms, scoreDocs, byDocument))
                {
                    matchedTopic[i] = true;
                }
            }
        }

        var bestScore = scoreDocs[0].Score;
        var hits = new List<SearchHit>(top);
        for (var i = 0; i < scoreDocs.Length && hits.Count < top; i++)
        {
            var scoreDoc = scoreDocs[i];
            if (_gate.Accepts(matchedWeight[i], totalWeight, matchedTopic[i], scoreDoc.Score / bestScore))
            {
                hits.Add(ToHit(scoreDoc));
            }
        }

        return hits;
    }

    private TermsEnum? OpenTerms(string field) => _leaf!.AtomicReader.GetTerms(field)?.GetEnumerator();

    private List<KnownTerm> KnownTerms(TermsEnum? allTerms, IReadOnlyList<string> terms)
    {
        var known = new List<KnownTerm>(terms.Count);
        if (allTerms is null)
        {
            return known;
        }

        var documentCount = _snapshot.DocumentCount;
        foreach (var term in terms)
        {
            var bytes = new BytesRef(term);
            if (!allTerms.SeekExact(bytes))
            {
                continue;
            }

            var documentFrequency = allTerms.DocFreq;
            known.Add(new KnownTerm(
                term,
                bytes,
                allTerms.GetTermState(),
                RelevanceGate.InverseDocumentFrequency(documentFrequency, documentCount),
                _gate.IsDistinctive(term, documentFrequency, documentCount)));
        }

        return known;
    }

    /// <summary>
    /// One SHOULD clause per term (itself a SHOULD over the fields that contain it), so Lucene's coordination factor
    /// rewards documents that match more of the question's terms rather than one term in many fields.
    /// </summary>
    private BooleanQuery BuildQuery(List<KnownTerm> terms)
    {
        var query = new BooleanQuery(disableCoord: false);
        var fieldTerms = ScoredFields.Select(f => OpenTerms(f.Field)).ToArray();
        foreach (var term in terms)
        {
            var perField = new BooleanQuery(disableCoord: true);
            for (var f = 0; f < ScoredFields.Length; f++)
            {
                var termsEnum = fieldTerms[f];
                if (termsEnum is null || !termsEnum.SeekExact(term.Bytes))
                {
                    continue;
                }

                // Handing TermQuery the state we already looked up spares it a dictionary lookup of its own.
                var context = new TermContext(_snapshot.Reader.Context);
                context.Register(termsEnum.GetTermState(), _leaf!.Ord, termsEnum.DocFreq, termsEnum.TotalTermFreq);
                perField.Add(new TermQuery(new Term(ScoredFields[f].Field, term.Bytes), context) { Boost = ScoredFields[f].Boost }, Occur.SHOULD);
            }

            if (perField.Clauses.Count > 0)
            {
                query.Add(perField, Occur.SHOULD);
            }
        }

        return query;
    }

    /// <summary>
    /// Indexes (into <paramref name="scoreDocs"/>) of the candidates in the postings of the term
    /// <paramref name="positioned"/> is on: one pass through the postings in document order.
    /// </summary>
    private IEnumerable<int> CandidatesContaining(TermsEnum positioned, ScoreDoc[] scoreDocs, int[] byDocument)
    {
        var docBase = _leaf!.DocBase;
        _reusableDocs = positioned.Docs(null, _reusableDocs, DocsFlags.NONE);
        var position = -1;
        foreach (var index in byDocument)
        {
            var local = scoreDocs[index].Doc - docBase;
            if (position < local)
            {
                position = _reusableDocs.Advance(local);
            }

            if (position == local)
            {
                yield return index;
            }
        }
    }

    private SearchHit ToHit(ScoreDoc scoreDoc)
    {
        var document = _snapshot.Searcher.Doc(scoreDoc.Doc);
        return new SearchHit(
            document.GetField(SearchIndexSnapshot.IdField).GetInt32Value() ?? 0,
            document.Get(SearchIndexSnapshot.TitleField) ?? "",
            document.Get(SearchIndexSnapshot.SummaryField) ?? "",
            scoreDoc.Score);
    }

    private sealed record KnownTerm(string Text, BytesRef Bytes, TermState AllFieldState, double Weight, bool IsDistinctive);
}
