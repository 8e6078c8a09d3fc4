using ChatBot.Core.Search;

namespace ChatBot.UnitTests.Search;

public sealed class QueryTermExtractorTests
{
    private readonly QueryTermExtractor _extractor = new(ChineseAnalyzers.CreateQueryAnalyzer());

    [Fact]
    public void Extract_DropsFillerBeforeBigramming()
    {
        var terms = Texts("请问个体户注册商标有补贴吗");

        Assert.Contains("商标", terms);
        Assert.Contains("补贴", terms);
        Assert.DoesNotContain("贴吗", terms);
        Assert.DoesNotContain("请问", terms);
    }

    [Fact]
    public void Extract_KeepsSingleCharacter_WhenItIsTheWholeQuestion()
    {
        Assert.Equal(new[] { "秤" }, Texts("秤"));
    }

    [Fact]
    public void Extract_DropsStrayUnigrams_WhenBigramsExist()
    {
        var terms = Texts("秤 检定");

        Assert.Equal(new[] { "检定" }, terms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("哈哈哈")]
    [InlineData("你好 谢谢")]
    public void Extract_ReturnsNothing_ForPureFiller(string query)
    {
        Assert.Empty(_extractor.Extract(query));
    }

    [Fact]
    public void Extract_CapsTermCount()
    {
        var query = string.Concat(Enumerable.Range(0x4E00, 200).Select(c => (char)c));

        Assert.Equal(QueryTermExtractor.MaxTerms, Texts(query).Count);
    }

    private IReadOnlyList<string> Texts(string query) => _extractor.Extract(query);
}
