using System.Text.Json;
using ChatBot.Core.Domain;
using ChatBot.Core.Search;
using Xunit.Abstractions;

namespace ChatBot.UnitTests.Search;

public sealed class PolicySearchRelevanceTests : IDisposable
{
    private readonly PolicySearchIndex _index = new();
    private readonly ITestOutputHelper _output;

    public PolicySearchRelevanceTests(ITestOutputHelper output)
    {
        _output = output;
        _index.Rebuild(SearchTestData.AllContentWithIds(), SearchTestData.Thesaurus(_index.Normalizer), SearchTestData.Domain(_index.Normalizer));
    }

    public void Dispose() => _index.Dispose();

    /// <summary>
    /// relevance-set.json is the repository's original set; dev-set.json is what changes are developed against;
    /// heldout-set.json was written and frozen before the search changes and is never tuned on (docs/SEARCH.md).
    /// </summary>
    [Theory]
    [InlineData("relevance-set.json", 35, 0.95)]
    [InlineData("dev-set.json", 40, 0.95)]
    [InlineData("heldout-set.json", 60, 0.90)] // measured 93.9 %; the 95 % target is not reached yet (docs/SEARCH.md)
    [InlineData("heldout2-set.json", 40, 0.80)] // frozen before the follow-up at 80.0 %; measured 85.0 % after it (docs/SEARCH.md)
    public void Search_FindsExpectedPolicyInTopThree_ForMemberQuestions(string set, int minimumCases, double requiredHitRate)
    {
        var cases = LoadRelevanceSet(set);
        Assert.True(cases.Count >= minimumCases, $"{set} has only {cases.Count} questions");

        var misses = new List<string>();
        foreach (var testCase in cases)
        {
            var titles = _index.Search(testCase.Question, top: 3).Select(h => h.Title).ToList();
            if (!titles.Intersect(testCase.Expected).Any())
            {
                misses.Add($"{testCase.Question} → [{string.Join(" | ", titles)}], expected {string.Join(" or ", testCase.Expected)}");
            }
        }

        var hitRate = (double)(cases.Count - misses.Count) / cases.Count;
        _output.WriteLine($"{set} top-3 hit rate: {hitRate:P1} ({cases.Count - misses.Count}/{cases.Count})");
        // What the member sees: the confident answers, or else the 可能相关 guides (reported, not asserted).
        var inReply = cases.Count(c =>
        {
            var answer = _index.Answer(c.Question);
            return (answer.IsConfident ? answer.Hits : answer.Related).Select(h => h.Title).Intersect(c.Expected).Any();
        });
        _output.WriteLine($"{set} expected guide in the reply (confident or 可能相关): {(double)inReply / cases.Count:P1} ({inReply}/{cases.Count})");
        misses.ForEach(_output.WriteLine);
        Assert.True(
            hitRate >= requiredHitRate,
            $"{set} top-3 hit rate {hitRate:P1} is below {requiredHitRate:P0}. Misses:\n{string.Join('\n', misses)}");
    }

    /// <summary>Prints bigram-only against segmenter + bigrams on every set: the measurement behind the choice (docs/SEARCH.md).</summary>
    [Fact]
    public void Segmenter_IsNoWorseThanBigramsAlone_OnEverySet()
    {
        using var bigramsOnly = new PolicySearchIndex(new QueryNormalizer(), new RelevanceGate(), segmentWords: false);
        bigramsOnly.Rebuild(SearchTestData.AllContentWithIds(), SearchTestData.Thesaurus(bigramsOnly.Normalizer));
        var worse = new List<string>();
        foreach (var set in new[] { "relevance-set.json", "dev-set.json", "heldout-set.json", "heldout2-set.json" })
        {
            var cases = LoadRelevanceSet(set);
            int Hits(PolicySearchIndex index) => cases.Count(c => index.Search(c.Question, top: 3).Select(h => h.Title).Intersect(c.Expected).Any());
            var (before, after) = (Hits(bigramsOnly), Hits(_index));
            _output.WriteLine($"{set}: bigrams {before}/{cases.Count}, segmenter + bigrams {after}/{cases.Count}");
            if (after < before) worse.Add(set);
        }

        Assert.Empty(worse);
    }

    [Fact]
    public void RelevanceSet_NamesOnlyExistingPolicyTitles()
    {
        var titles = SearchTestData.PoliciesWithIds().Select(p => p.Title).ToHashSet();

        var unknown = new[] { "relevance-set.json", "dev-set.json", "heldout-set.json", "heldout2-set.json" }
            .SelectMany(LoadRelevanceSet).SelectMany(c => c.Expected).Where(t => !titles.Contains(t)).Distinct().ToList();

        Assert.Empty(unknown);
    }

    [Theory]
    [InlineData("今天天气怎么样")]
    [InlineData("哈哈哈")]
    [InlineData("你好")]
    [InlineData("在吗")]
    [InlineData("谢谢")]
    [InlineData("我想吃火锅")]
    [InlineData("明天下雨吗")]
    [InlineData("帮我写个作文")]
    [InlineData("股票怎么买")]
    [InlineData("护照怎么办理")]
    [InlineData("办理护照")]
    [InlineData("登记结婚")]
    [InlineData("手机坏了")]
    [InlineData("想找个工作")]
    [InlineData("交通违章罚款")]
    [InlineData("信用卡还款")]
    [InlineData("🙂🙂👍")]
    [InlineData("ok")]
    [InlineData("1234")]
    public void Search_ReturnsNoHits_WhenQuestionIsUnrelated(string query)
    {
        var hits = _index.Search(query);

        Assert.True(hits.Count == 0, $"'{query}' returned {string.Join(" | ", hits.Select(h => h.Title))}");
    }

    [Fact]
    public void Search_ReturnsTheMatchingLesson_WhenKindIsLesson()
    {
        var lessons = _index.Search("流动党员交党费", kind: ContentKind.Lesson);

        Assert.NotEmpty(lessons);
        Assert.Contains("流动党员", lessons[0].Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_LeavesLessonsOut_WhenKindIsPolicy()
    {
        var hits = _index.Search("流动党员交党费", top: 10);

        Assert.DoesNotContain(hits, h => h.ContentItemId >= 1000);
    }

    [Fact]
    public void Search_SearchesEveryKind_WhenKindIsNull()
    {
        var hits = _index.Search("安全生产三管三必须", top: 5, kind: null);

        Assert.Contains(hits, h => h.ContentItemId >= 1000);
    }

    private static List<RelevanceCase> LoadRelevanceSet(string set)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Search", set);
        return JsonSerializer.Deserialize<List<RelevanceCase>>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidOperationException($"{set} is empty");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record RelevanceCase(string Question, List<string> Expected);
}
