using ChatBot.Host.Templates;

namespace ChatBot.IntegrationTests.Hosting;

/// <summary>Every shipped reply template parses and renders (a broken one would fail only at a member's message).</summary>
public sealed class ReplyTemplatesRenderTests
{
    private static readonly TemplateFolder Folder = TemplateFolder.Default();
    private readonly LiquidReplyTemplates _templates = new(Folder, new LiquidRenderer());

    public static TheoryData<string> ReplyTemplates()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Folder.Path, "replies"), "*.liquid").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ReplyTemplates))]
    public void EveryReplyTemplate_ParsesAndRenders_WithoutAModel(string name)
    {
        var group = name.EndsWith(".group", StringComparison.Ordinal);
        var text = _templates.Render(group ? name[..^".group".Length] : name, new { }, group);

        Assert.NotNull(text);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{%", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplyTemplates_AreFound()
    {
        var names = Directory.GetFiles(Path.Combine(Folder.Path, "replies"), "*.liquid").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.True(names.Count >= 30, $"only {names.Count} reply templates found");
        Assert.Contains("human", names);
    }

    public static TheoryData<string, bool> Outcomes() => new()
    {
        { "related", false }, { "related", true }, { "none", false }, { "none", true }, { "outside", false }, { "outside", true },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void PolicyFallbackOutcomes_RenderInChinese_WithTheHumanHintWhereAPersonCanHelp(string outcome, bool group)
    {
        var items = new[]
        {
            new { number = 1, title = "食品经营许可办理指南", summary = "s", url = "https://x/m/policies/1" },
            new { number = 2, title = "个体工商户设立登记（办营业执照）指南", summary = "s", url = "https://x/m/policies/2" },
        };
        var text = _templates.Render("policy", new { outcome, query = "卖熟食", contact = "县个私党委 张老师", items }, group);

        if (outcome == "outside")
        {
            Assert.Contains("答不上来", text);
            Assert.Contains("政策", text);
            Assert.DoesNotContain("人工", text);
        }
        else
        {
            Assert.Contains("人工", text);
            Assert.Contains("县个私党委 张老师", text);
        }

        if (outcome == "related")
        {
            Assert.Equal(2, text.Split("【可能相关】").Length - 1);
            Assert.Contains("https://x/m/policies/2", text);
        }
    }

    [Theory]
    [InlineData("recorded", true, "已记录")]
    [InlineData("recorded", false, "绑定")]
    [InlineData("usage", false, "请在“人工”后写上您的问题")]
    public void HumanOutcomes_Render(string outcome, bool bound, string expected)
    {
        var text = _templates.Render("human", new { outcome, question = "卖熟食要办什么证", contact = "", bound });

        Assert.Contains(expected, text);
        Assert.DoesNotContain("直接联系", text); // no contact configured: none is printed
    }
}
