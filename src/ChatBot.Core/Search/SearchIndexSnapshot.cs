using ChatBot.Core.Domain;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;

namespace ChatBot.Core.Search;

/// <summary>
/// One immutable, fully built index generation. Searches borrow it through the reader's reference count, so a
/// rebuild can retire it while searches that already started finish on it undisturbed.
/// </summary>
internal sealed class SearchIndexSnapshot
{
    public const string IdField = "id";
    public const string KindField = "kind";
    public const string TitleField = "title";
    public const string KeywordsField = "keywords";
    public const string SummaryField = "summary";
    public const string BodyField = "body";

    /// <summary>Everything in one docs-only field: used to ask "does this document contain term t at all".</summary>
    public const string AllField = "all";

    /// <summary>Title and keywords in one docs-only field: what the item is about, as opposed to words it mentions.</summary>
    public const string TopicField = "topic";

    private static readonly FieldType DocsOnlyFieldType = CreateDocsOnlyFieldType();

    private readonly IReadOnlyDictionary<ContentKind, Filter> _kindFilters;

    private SearchIndexSnapshot(DirectoryReader reader, SearchThesaurus thesaurus)
    {
        Reader = reader;
        Thesaurus = thesaurus;
        Searcher = new IndexSearcher(reader);
        Leaf = reader.Leaves.Count switch
        {
            0 => null,
            1 => reader.Leaves[0],
            _ => throw new InvalidOperationException("A search index generation must be a single segment."),
        };
        _kindFilters = Enum.GetValues<ContentKind>().ToDictionary(
            kind => kind,
            kind => (Filter)new CachingWrapperFilter(new QueryWrapperFilter(new TermQuery(new Term(KindField, KindTerm(kind))))));
    }

    public DirectoryReader Reader { get; }

    /// <summary>The thesaurus questions are expanded with while this generation is current.</summary>
    public SearchThesaurus Thesaurus { get; }

    public IndexSearcher Searcher { get; }

    /// <summary>The generation's only segment (built with ForceMerge(1)); null when the index is empty.</summary>
    public AtomicReaderContext? Leaf { get; }

    public int DocumentCount => Reader.NumDocs;

    public Filter? FilterFor(ContentKind? kind) => kind is { } k ? _kindFilters[k] : null;

    public static SearchIndexSnapshot Build(IEnumerable<ContentItem> items, Analyzer indexAnalyzer, SearchThesaurus thesaurus)
    {
        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(ChineseAnalyzers.Version, indexAnalyzer)
        {
            OpenMode = OpenMode.CREATE,
            MergeScheduler = new SerialMergeScheduler(),
            RAMBufferSizeMB = 64,
            UseCompoundFile = false,
        };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var item in items)
            {
                if (item.Status == ContentStatus.Published)
                {
                    writer.AddDocument(ToDocument(item));
                }
            }

            // One segment: a generation is written once and only read afterwards, so merging up front is cheapest.
            writer.ForceMerge(1);
            writer.Commit();
        }

        return new SearchIndexSnapshot(DirectoryReader.Open(directory), thesaurus);
    }

    private static Document ToDocument(ContentItem item) =>
    [
        new StoredField(IdField, item.Id),
        new StringField(KindField, KindTerm(item.Kind), Field.Store.NO),
        new TextField(TitleField, item.Title, Field.Store.YES),
        new TextField(KeywordsField, item.Keywords, Field.Store.NO),
        new TextField(SummaryField, item.Summary, Field.Store.YES),
        new TextField(BodyField, item.BodyMarkdown, Field.Store.NO),
        new Field(AllField, string.Join('\n', item.Title, item.Keywords, item.Summary, item.BodyMarkdown), DocsOnlyFieldType),
        new Field(TopicField, string.Join('\n', item.Title, item.Keywords), DocsOnlyFieldType),
    ];

    private static string KindTerm(ContentKind kind) => kind.ToString();

    private static FieldType CreateDocsOnlyFieldType()
    {
        var type = new FieldType
        {
            IsIndexed = true,
            IsTokenized = true,
            IsStored = false,
            OmitNorms = true,
            IndexOptions = IndexOptions.DOCS_ONLY,
        };
        type.Freeze();
        return type;
    }
}
