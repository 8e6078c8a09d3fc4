using ChatBot.Core.Domain;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace ChatBot.Core.Search;

/// <summary>
/// One question against one index generation. Each field's terms dictionary is opened once and re-seeked for every
/// term (rather than once per term and field, as a plain TermQuery would): that keeps a search to a handful of small
/// allocations, which is what keeps tail latency down under load.
/// The question is a list of concepts: each of its own terms, and each thesaurus variant (satisfied by the variant's
/// terms or by any one of its target phrases). Ranking and the relevance gate both count concepts, so a variant that
/// expands to five phrases weighs as much as one word of the question, not five.
/// </summary>
internal sealed class SnapshotSearch
{
    private const float TitleBoost = 3f;
    private const float KeywordsBoost = 2.5f;
    private const float SummaryBoost = 1.5f;
    private const float BodyBoost = 1f;

    /// <summary>Thesaurus phrases score a little below the member's own words.</summary>
    private const float SynonymBoost = 0.8f;

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

    /// <param name="gated">False: every candidate sharing at least one concept of the question, by score (可能相关).</param>
    public List<SearchHit> Run(QueryPlan plan, int top, ContentKind? kind, bool gated = true)
    {
        if (_leaf is null)
        {
            return [];
        }

        var allTerms = OpenTerms(SearchIndexSnapshot.AllField);
        if (allTerms is null)
        {
            return [];
        }

        var lookup = new Dictionary<string, KnownTerm?>(StringComparer.Ordinal);
        var concepts = Concepts(plan, allTerms, lookup);
        if (concepts.Count == 0)
        {
            return [];
        }

        // Terms found in most documents (个体, 办理) barely change the ranking but make Lucene score nearly every
        // document; leave them to the relevance gate whenever the question has anything more specific.
        var anyDistinctive = concepts.Any(c => c.Alternatives.Any(a => a.Any(t => t.IsDistinctive)));
        var query = BuildQuery(concepts, distinctiveOnly: anyDistinctive);
        if (query.Clauses.Count == 0)
        {
            return [];
        }

        var scoreDocs = _snapshot.Searcher
            .Search(query, _snapshot.FilterFor(kind), Math.Max(MinCandidates, top * CandidatesPerHit))
            .ScoreDocs;
        if (scoreDocs.Length == 0)
        {
            return [];
        }

        var byDocument = Enumerable.Range(0, scoreDocs.Length).OrderBy(i => scoreDocs[i].Doc).ToArray();
        var terms = lookup.Values.OfType<KnownTerm>().ToList();
        var inDocument = new bool[terms.Count, scoreDocs.Length];
        var inTopic = new bool[terms.Count, scoreDocs.Length];
        var topicTerms = OpenTerms(SearchIndexSnapshot.TopicField);
        for (var t = 0; t < terms.Count; t++)
        {
            var term = terms[t];
            term.Slot = t;
            allTerms.SeekExact(term.Bytes, term.AllFieldState);
            foreach (var i in CandidatesContaining(allTerms, scoreDocs, byDocument))
            {
                inDocument[t, i] = true;
            }

            if (term.IsDistinctive && topicTerms is not null && topicTerms.SeekExact(term.Bytes))
            {
                foreach (var i in CandidatesContaining(topicTerms, scoreDocs, byDocument))
                {
                    inTopic[t, i] = true;
                }
            }
        }

        var totalWeight = concepts.Sum(c => c.Weight);
        var bestScore = scoreDocs[0].Score;
        var hits = new List<SearchHit>(top);
        for (var i = 0; i < scoreDocs.Length && hits.Count < top; i++)
        {
            var matchedWeight = 0.0;
            var matchedTopic = false;
            foreach (var concept in concepts)
            {
                foreach (var alternative in concept.Alternatives)
                {
                    if (!alternative.All(t => inDocument[t.Slot, i]))
                    {
                        continue;
                    }

                    matchedWeight += concept.Weight;
                    // A code (12315) is the topic wherever it is written; a word must be in the title or keywords.
                    matchedTopic |= alternative.Any(t => inTopic[t.Slot, i] || t.IsCode);
                    break;
                }
            }

            var scoreDoc = scoreDocs[i];
            if (gated ? _gate.Accepts(matchedWeight, totalWeight, matchedTopic, scoreDoc.Score / bestScore) : matchedWeight > 0)
            {
                hits.Add(ToHit(scoreDoc));
            }
        }

        return hits;
    }

    private TermsEnum? OpenTerms(string field) => _leaf!.AtomicReader.GetTerms(field)?.GetEnumerator();

    /// <summary>
    /// The concepts the index can say anything about: own terms the index has seen (cross-word bigrams like 贴吗 are
    /// dropped), and thesaurus concepts with at least one alternative made entirely of known terms.
    /// </summary>
    private List<Concept> Concepts(QueryPlan plan, TermsEnum allTerms, Dictionary<string, KnownTerm?> lookup)
    {
        var concepts = new List<Concept>(plan.Terms.Count + plan.Synonyms.Count);
        foreach (var text in plan.Terms)
        {
            if (Lookup(text, allTerms, lookup) is { } term)
            {
                concepts.Add(new Concept([[term]], term.Weight));
            }
        }

        foreach (var synonym in plan.Synonyms)
        {
            var alternatives = new List<KnownTerm[]>(synonym.Alternatives.Count);
            foreach (var phrase in synonym.Alternatives)
            {
                var known = phrase.Select(t => Lookup(t, allTerms, lookup)).ToArray();
                if (known.Length > 0 && known.All(k => k is not null))
                {
                    alternatives.Add(known!);
                }
            }

            if (alternatives.Count > 0)
            {
                // Weighted like the rarest part of its best alternative: a concept is as telling as its most specific phrase.
                var weight = alternatives.Max(a => a.Max(t => t.Weight));
                concepts.Add(new Concept(alternatives, weight));
            }
        }

        return concepts;
    }

    private KnownTerm? Lookup(string text, TermsEnum allTerms, Dictionary<string, KnownTerm?> lookup)
    {
        if (lookup.TryGetValue(text, out var cached))
        {
            return cached;
        }

        KnownTerm? known = null;
        var bytes = new BytesRef(text);
        if (allTerms.SeekExact(bytes))
        {
            var documentCount = _snapshot.DocumentCount;
            var documentFrequency = allTerms.DocFreq;
            var isCode = RelevanceGate.IsCode(text);
            known = new KnownTerm(
                bytes,
                allTerms.GetTermState(),
                RelevanceGate.InverseDocumentFrequency(documentFrequency, documentCount),
                isCode || _gate.IsDistinctive(text, documentFrequency, documentCount),
                isCode);
        }

        lookup[text] = known;
        return known;
    }

    /// <summary>
    /// One SHOULD clause per concept (itself a SHOULD over its terms in every field that contains them), so Lucene's
    /// coordination factor rewards documents that match more of the question's concepts rather than one term in
    /// many fields or a thesaurus entry with many phrases.
    /// </summary>
    private BooleanQuery BuildQuery(List<Concept> concepts, bool distinctiveOnly)
    {
        var query = new BooleanQuery(disableCoord: false);
        var fieldTerms = ScoredFields.Select(f => OpenTerms(f.Field)).ToArray();
        foreach (var concept in concepts)
        {
            var perConcept = new BooleanQuery(disableCoord: true);
            for (var a = 0; a < concept.Alternatives.Count; a++)
            {
                var boost = a == 0 && concept.Alternatives.Count > 0 ? 1f : SynonymBoost;
                foreach (var term in concept.Alternatives[a])
                {
                    if (distinctiveOnly && !term.IsDistinctive)
                    {
                        continue;
                    }

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
                        perConcept.Add(
                            new TermQuery(new Term(ScoredFields[f].Field, term.Bytes), context) { Boost = ScoredFields[f].Boost * boost },
                            Occur.SHOULD);
                    }
                }
            }

            if (perConcept.Clauses.Count > 0)
            {
                query.Add(perConcept, Occur.SHOULD);
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

    private sealed class KnownTerm(BytesRef bytes, TermState allFieldState, double weight, bool isDistinctive, bool isCode)
    {
        public BytesRef Bytes { get; } = bytes;
        public TermState AllFieldState { get; } = allFieldState;
        public double Weight { get; } = weight;
        public bool IsDistinctive { get; } = isDistinctive;
        public bool IsCode { get; } = isCode;

        /// <summary>Row of this term in the per-search presence tables.</summary>
        public int Slot { get; set; }
    }

    private sealed record Concept(IReadOnlyList<KnownTerm[]> Alternatives, double Weight);
}
