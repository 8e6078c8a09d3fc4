using ChatBot.Core.Domain;
using ChatBot.Core.Search;

namespace ChatBot.UnitTests.Search;

public sealed class PolicySearchIndexTests : IDisposable
{
    private readonly PolicySearchIndex _index = new();

    public void Dispose() => _index.Dispose();

    [Fact]
    public void Search_ReturnsEmpty_BeforeFirstRebuild()
    {
        Assert.Empty(_index.Search("商标注册"));
        Assert.Equal(0, _index.Count);
    }

    [Fact]
    public void Search_ReturnsIdTitleAndSummary_OfTheMatchingItem()
    {
        _index.Rebuild(SearchTestData.PoliciesWithIds());

        var hit = _index.Search("动产抵押登记").First();

        Assert.Equal("动产抵押登记办理指南", hit.Title);
        var expected = SearchTestData.PoliciesWithIds().Single(p => p.Title == hit.Title);
        Assert.Equal(expected.Id, hit.ContentItemId);
        Assert.Equal(expected.Summary, hit.Summary);
        Assert.True(hit.Score > 0);
    }

    [Fact]
    public void Rebuild_ReplacesContent_WhenCalledAgain()
    {
        _index.Rebuild([SearchTestData.Policy(1, "动产抵押登记办理指南", "动产抵押 抵押登记")]);
        Assert.Single(_index.Search("动产抵押"));

        _index.Rebuild([SearchTestData.Policy(2, "商标注册补贴申请", "商标 注册商标 补贴")]);

        Assert.Empty(_index.Search("动产抵押"));
        var hit = Assert.Single(_index.Search("注册商标补贴"));
        Assert.Equal(2, hit.ContentItemId);
        Assert.Equal(1, _index.Count);
    }

    [Fact]
    public void Rebuild_SkipsItems_ThatAreNotPublished()
    {
        var draft = SearchTestData.Policy(1, "动产抵押登记办理指南", "动产抵押");
        draft.Status = ContentStatus.Draft;
        var review = SearchTestData.Policy(2, "动产抵押常见问题", "动产抵押");
        review.Status = ContentStatus.Review;

        _index.Rebuild([draft, review, SearchTestData.Policy(3, "商标注册补贴申请", "商标")]);

        Assert.Empty(_index.Search("动产抵押"));
        Assert.Equal(1, _index.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Search_ReturnsAtMostTop_Hits(int top)
    {
        _index.Rebuild(SearchTestData.PoliciesWithIds());

        var hits = _index.Search("个体户贷款融资抵押质押担保", top);

        Assert.InRange(hits.Count, 1, top);
    }

    [Fact]
    public void Search_ReturnsEmpty_WhenTopIsNotPositive()
    {
        _index.Rebuild(SearchTestData.PoliciesWithIds());

        Assert.Empty(_index.Search("商标", top: 0));
        Assert.Empty(_index.Search("商标", top: -1));
    }

    [Fact]
    public void Search_FindsSingleCharacterQuestion_ThroughIndexedUnigrams()
    {
        _index.Rebuild(SearchTestData.PoliciesWithIds());

        var hits = _index.Search("秤");

        Assert.Contains(hits, h => h.Title == "电子秤等计量器具检定指南");
    }

    public static TheoryData<string?> OddInputs() => new()
    {
        null,
        "",
        "   ",
        "\0\t\r\n",
        "AND OR NOT",
        "\"没有结束的引号",
        "title:商标 AND (注册 OR",
        "*?~^+-!{}[]:\\/",
        "商标~0.5 动产^10",
        "\\",
        "\uD800商标\uDC00",
        "😀😀😀",
        "ｓｅｌｅｃｔ ＊ ｆｒｏｍ",
        string.Concat(Enumerable.Repeat("商标注册补贴", 2000)),
        string.Concat(Enumerable.Repeat("a ", 5000)),
        new string('商', 10_000),
        string.Concat(Enumerable.Range(0x4E00, 3000).Select(c => (char)c)),
    };

    [Theory]
    [MemberData(nameof(OddInputs))]
    public void Search_DoesNotThrow_OnOddInput(string? query)
    {
        _index.Rebuild(SearchTestData.PoliciesWithIds());

        var exception = Record.Exception(() => _index.Search(query, top: 3, kind: null));

        Assert.Null(exception);
    }

    [Fact]
    public async Task Search_SeesOneCompleteGeneration_WhileRebuildsRunConcurrently()
    {
        var generationA = SearchTestData.PoliciesWithIds(firstId: 1);
        var generationB = SearchTestData.PoliciesWithIds(firstId: 501);
        _index.Rebuild(generationA);
        var expectedPerGeneration = _index.Search("贷款 融资 抵押", top: 10).Count;
        Assert.True(expectedPerGeneration >= 2);

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var searches = 0;
            while (!stop.IsCancellationRequested || searches < 50)
            {
                var hits = _index.Search("贷款 融资 抵押", top: 10);
                searches++;
                var generations = hits.Select(h => h.ContentItemId > 500).Distinct().Count();
                if (hits.Count != expectedPerGeneration || generations != 1)
                {
                    failures.Add($"{hits.Count} hits from {generations} generations");
                }
            }
        })).ToArray();

        for (var i = 0; i < 100; i++)
        {
            _index.Rebuild(i % 2 == 0 ? generationB : generationA);
        }

        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Empty(failures);
    }

    [Fact]
    public void Rebuild_Throws_AfterDispose()
    {
        _index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _index.Rebuild([]));
        Assert.Empty(_index.Search("商标"));
    }
}
