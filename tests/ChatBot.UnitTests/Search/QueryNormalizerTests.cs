using ChatBot.Core.Search;

namespace ChatBot.UnitTests.Search;

public sealed class QueryNormalizerTests
{
    private readonly QueryNormalizer _normalizer = new();

    [Theory]
    [InlineData("１２３１５", "12315")]
    [InlineData("ＡＢＣ商标", "abc商标")]
    [InlineData("商标，补贴？！", "商标 补贴")]
    [InlineData("  动产   抵押  ", "动产 抵押")]
    [InlineData("title:商标 AND (注册)", "title 商标 and 注册")]
    [InlineData("商标😀补贴👍", "商标 补贴")]
    [InlineData("Logo设计", "logo设计")]
    public void Normalize_FoldsWidthCasePunctuationAndEmoji(string raw, string expected)
    {
        Assert.Equal(expected, _normalizer.Normalize(raw));
    }

    [Theory]
    [InlineData("個體戶商標註冊補貼", "个体户商标注册补贴")]
    [InlineData("營業執照年報在哪弄", "营业执照年报在哪弄")]
    [InlineData("食品經營許可證怎麼辦", "食品经营许可证怎么办")]
    [InlineData("稅費減免", "税费减免")]
    [InlineData("動產抵押貸款", "动产抵押贷款")]
    [InlineData("消費糾紛投訴", "消费纠纷投诉")]
    public void Normalize_ConvertsTraditionalToSimplified(string raw, string expected)
    {
        Assert.Equal(expected, _normalizer.Normalize(raw));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("？！。，")]
    [InlineData("😀😀")]
    [InlineData("\uD800")]
    public void Normalize_ReturnsEmpty_WhenNothingSearchableRemains(string? raw)
    {
        Assert.Equal("", _normalizer.Normalize(raw));
    }

    [Fact]
    public void Normalize_CapsLength_AtMaxLength()
    {
        var normalizer = new QueryNormalizer(maxLength: 10);

        var normalized = normalizer.Normalize(string.Concat(Enumerable.Repeat("商标 补贴 ", 100)));

        Assert.True(normalized.Length <= 10, normalized);
        Assert.StartsWith("商标 补贴", normalized, StringComparison.Ordinal);
        Assert.False(normalized.EndsWith(' '));
    }

    [Fact]
    public void Normalize_CapsLength_ByDefaultAtOneHundred()
    {
        var normalized = _normalizer.Normalize(new string('商', 5000));

        Assert.Equal(QueryNormalizer.DefaultMaxLength, normalized.Length);
    }

    [Fact]
    public void TraditionalTable_HasNoIdentityOrChainedMappings()
    {
        var table = TraditionalChineseMap.Table;

        Assert.True(table.Count >= 300, $"only {table.Count} characters mapped");
        Assert.DoesNotContain(table, pair => pair.Key == pair.Value);
        Assert.DoesNotContain(table, pair => table.ContainsKey(pair.Value));
    }
}
