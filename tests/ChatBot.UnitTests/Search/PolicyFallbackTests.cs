using ChatBot.Core.Search;

namespace ChatBot.UnitTests.Search;

/// <summary>What the search says when no guide passes the relevance gate: 可能相关 for the domain, nothing outside it.</summary>
public sealed class PolicyFallbackTests : IDisposable
{
    private readonly PolicySearchIndex _index = new();

    public PolicyFallbackTests()
    {
        _index.Rebuild(SearchTestData.AllContentWithIds(), SearchTestData.Thesaurus(_index.Normalizer), SearchTestData.Domain(_index.Normalizer));
    }

    public void Dispose() => _index.Dispose();

    [Theory]
    [InlineData("个体户可以请几天假吗")]
    [InlineData("支部书记说要填个表，什么表")]
    [InlineData("党员开店有什么要注意的")]
    public void Answer_OffersTheClosestGuides_WhenInDomainButNothingIsConfident(string question)
    {
        var answer = _index.Answer(question);

        Assert.Empty(answer.Hits);
        Assert.True(answer.InDomain);
        Assert.InRange(answer.Related.Count, 2, 3);
        Assert.Equal(answer.Related.Count, answer.Related.Select(h => h.ContentItemId).Distinct().Count());
    }

    [Theory]
    [InlineData("今天天气怎么样")]
    [InlineData("我想吃火锅")]
    [InlineData("股票怎么买")]
    [InlineData("办理护照")]
    [InlineData("登记结婚")]
    [InlineData("信用卡还款")]
    [InlineData("手机坏了")]
    [InlineData("哈哈哈")]
    public void Answer_IsOutOfDomain_WithNothingOffered_WhenTheQuestionIsUnrelated(string question)
    {
        var answer = _index.Answer(question);

        Assert.False(answer.InDomain, $"'{question}' was taken as in the domain");
        Assert.Empty(answer.Hits);
        Assert.Empty(answer.Related);
    }

    [Fact]
    public void Answer_GivesConfidentHitsAndNoRelated_WhenAGuidePassesTheGate()
    {
        var answer = _index.Answer("营业执照丢了");

        Assert.True(answer.IsConfident);
        Assert.Contains("营业执照", answer.Hits[0].Title, StringComparison.Ordinal);
        Assert.Empty(answer.Related);
    }

    [Fact]
    public void Answer_IsOutOfDomain_WhenTheDomainListIsEmptyAndNoThesaurusWordMatches()
    {
        using var index = new PolicySearchIndex();
        index.Rebuild(SearchTestData.AllContentWithIds(), SearchThesaurus.Empty, SearchDomain.Empty);

        Assert.False(index.Answer("个体户可以请几天假吗").InDomain);
    }

    [Fact]
    public void Domain_SkipsComments_AndMatchesTraditionalAndFullWidthForms()
    {
        var normalizer = new QueryNormalizer();
        var domain = SearchDomain.Parse("# 注释, 天气\n党建、小个专\n１２３１５", normalizer);

        Assert.Equal(3, domain.WordCount);
        Assert.Equal("党建", domain.Find(normalizer.Normalize("黨建工作")));
        Assert.Equal("12315", domain.Find(normalizer.Normalize("打１２３１５")));
        Assert.Null(domain.Find(normalizer.Normalize("今天天气")));
    }
}
