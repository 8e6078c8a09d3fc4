using ChatBot.Core.Domain;
using Lucene.Net.Analysis;

namespace ChatBot.Core.Search;

/// <summary>
/// In-memory Lucene index over published content. <see cref="Rebuild"/> builds a complete new generation off to the
/// side and swaps it in atomically; concurrent searches see either the old or the new generation, never a half one.
/// </summary>
public sealed class PolicySearchIndex : IPolicySearch, IDisposable
{
    private const int MaxTop = 50;

    private readonly QueryNormalizer _normalizer;
    private readonly QueryTermExtractor _termExtractor;
    private readonly RelevanceGate _gate;
    private readonly Analyzer _indexAnalyzer;
    private readonly Analyzer _queryAnalyzer;
    private readonly Analyzer? _wordAnalyzer;
    private readonly Lock _rebuildLock = new();
    private SearchIndexSnapshot? _current;
    private SearchDomain _domain = SearchDomain.Empty;
    private bool _disposed;

    public PolicySearchIndex()
        : this(new QueryNormalizer(), new RelevanceGate())
    {
    }

    /// <param name="segmentWords">Cut questions into words (SmartCn) before bigramming; false is the bigram-only baseline kept for measurement.</param>
    internal PolicySearchIndex(QueryNormalizer normalizer, RelevanceGate gate, bool segmentWords = true)
    {
        _normalizer = normalizer;
        _gate = gate;
        _indexAnalyzer = ChineseAnalyzers.CreateIndexAnalyzer();
        _queryAnalyzer = ChineseAnalyzers.CreateQueryAnalyzer();
        _wordAnalyzer = segmentWords ? ChineseAnalyzers.CreateWordAnalyzer() : null;
        _termExtractor = new QueryTermExtractor(_queryAnalyzer, _wordAnalyzer);
    }

    /// <summary>Number of documents in the current generation.</summary>
    public int Count => Volatile.Read(ref _current)?.DocumentCount ?? 0;

    /// <summary>The normaliser questions go through; thesaurus words are normalised the same way.</summary>
    public QueryNormalizer Normalizer => _normalizer;

    /// <summary>The thesaurus of the current generation.</summary>
    public SearchThesaurus Thesaurus => Volatile.Read(ref _current)?.Thesaurus ?? SearchThesaurus.Empty;

    /// <summary>The domain vocabulary that decides between a 可能相关 reply and a note of what the bot can do.</summary>
    public SearchDomain Domain => Volatile.Read(ref _domain);

    /// <summary>
    /// Replaces the whole index with the published items among <paramref name="items"/>, and the thesaurus with
    /// <paramref name="thesaurus"/> (null keeps the current one): both change together, atomically.
    /// <paramref name="domain"/> (null keeps the current one) is swapped just before.
    /// </summary>
    public void Rebuild(IEnumerable<ContentItem> items, SearchThesaurus? thesaurus = null, SearchDomain? domain = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_rebuildLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (domain is not null) Volatile.Write(ref _domain, domain);
            var next = SearchIndexSnapshot.Build(items, _indexAnalyzer, thesaurus ?? Thesaurus);
            var previous = Interlocked.Exchange(ref _current, next);
            previous?.Reader.DecRef();
        }
    }

    public IReadOnlyList<SearchHit> Search(string? query, int top = 3, ContentKind? kind = ContentKind.Policy) =>
        Search(_normalizer.Normalize(query), top, kind, gated: true);

    public PolicyAnswer Answer(string? query, int top = 3, ContentKind? kind = ContentKind.Policy, bool knownInDomain = false)
    {
        var normalized = _normalizer.Normalize(query);
        var hits = Search(normalized, top, kind, gated: true);
        if (hits.Count > 0)
        {
            return new PolicyAnswer(hits, [], InDomain: true);
        }

        var inDomain = normalized.Length > 0 && (knownInDomain || Domain.Find(normalized) is not null || Thesaurus.Find(normalized).Count > 0);
        return inDomain
            ? new PolicyAnswer([], Search(normalized, top, kind, gated: false), InDomain: true)
            : new PolicyAnswer([], [], InDomain: false);
    }

    /// <param name="gated">False ranks candidates that share any part of the question, without the relevance gate (可能相关).</param>
    private IReadOnlyList<SearchHit> Search(string normalized, int top, ContentKind? kind, bool gated)
    {
        if (top <= 0 || Volatile.Read(ref _disposed) || normalized.Length == 0)
        {
            return [];
        }

        QueryPlan plan;
        try
        {
            plan = _termExtractor.Plan(normalized, Thesaurus);
        }
        catch (ObjectDisposedException)
        {
            // Dispose raced with this search and closed the analyzer: behave as after disposal.
            return [];
        }

        if (plan.IsEmpty)
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
                return new SnapshotSearch(snapshot, _gate).Run(plan, Math.Min(top, MaxTop), kind, gated);
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
        _wordAnalyzer?.Dispose();
    }
}
