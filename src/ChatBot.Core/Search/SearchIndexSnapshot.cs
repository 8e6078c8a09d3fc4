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

    private static readonly FieldType AllFieldType = CreateAllFieldType();

    private readonly IReadOnlyDictionary<ContentKind, Filter> _kindFilters;

    private SearchIndexSnapshot(DirectoryReader reader)
    {
        Reader = reader;
        Searcher = new IndexSearcher(reader);
        _kindFilters = Enum.GetValues<ContentKind>().ToDictionary(
            kind => kind,
            kind => (Filter)new CachingWrapperFilter(new QueryWrapperFilter(new TermQuery(new Term(KindField, KindTerm(kind))))));
    }

    public DirectoryReader Reader { get; }

    public IndexSearcher Searcher { get; }

    public int DocumentCount => Reader.NumDocs;

    public Filter? FilterFor(ContentKind? kind) => kind is { } k ? _kindFilters[k] : null;

    public static SearchIndexSnapshot Build(IEnumerable<ContentItem> items, Analyzer indexAnalyzer)
    {
        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(ChineseAnalyzers.Version, indexAnalyzer)
        {
            OpenMode = OpenMode.CREATE,
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

        return new SearchIndexSnapshot(DirectoryReader.Open(directory));
    }

    private static Document ToDocument(ContentItem item) =>
    [
        new StoredField(IdField, item.Id),
        new StringField(KindField, KindTerm(item.Kind), Field.Store.NO),
        new TextField(TitleField, item.Title, Field.Store.YES),
        new TextField(KeywordsField, item.Keywords, Field.Store.NO),
        new TextField(SummaryField, item.Summary, Field.Store.YES),
        new TextField(BodyField, item.BodyMarkdown, Field.Store.NO),
        new Field(AllField, string.Join('\n', item.Title, item.Keywords, item.Summary, item.BodyMarkdown), AllFieldType),
    ];

    private static string KindTerm(ContentKind kind) => kind.ToString();

    private static FieldType CreateAllFieldType()
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
