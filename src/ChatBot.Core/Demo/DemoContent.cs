using ChatBot.Core.Domain;

namespace ChatBot.Core.Demo;

/// <summary>
/// Placeholder demo content so the seeder compiles on its own branch; the full set (12+ policies, 5 lessons)
/// replaces this file at merge.
/// </summary>
public static class DemoContent
{
    public static IReadOnlyList<ContentItem> Policies(DateTime nowUtc) =>
    [
        new ContentItem
        {
            Kind = ContentKind.Policy,
            Status = ContentStatus.Published,
            Title = "个体工商户商标注册补助办理指南",
            Summary = "首次注册商标的个体工商户可申请一次性补助。",
            BodyMarkdown = "## 补助对象\n辖区内首次成功注册商标的个体工商户。\n\n## 办理方式\n携营业执照和商标注册证到区市场监管局窗口申请。",
            Keywords = "商标 注册 补助 补贴",
            EstimatedMinutes = 2,
            PublishedAt = nowUtc.AddDays(-3),
            CreatedAt = nowUtc.AddDays(-4),
            UpdatedAt = nowUtc.AddDays(-3),
        },
        new ContentItem
        {
            Kind = ContentKind.Policy,
            Status = ContentStatus.Published,
            Title = "知识产权质押融资政策要点",
            Summary = "以商标权、专利权质押向银行申请贷款。",
            BodyMarkdown = "## 适用对象\n持有有效商标或专利的小微企业、个体工商户。\n\n## 贴息\n符合条件的贷款可按规定申请贴息。",
            Keywords = "知识产权 质押 贷款 融资",
            EstimatedMinutes = 3,
            PublishedAt = nowUtc.AddDays(-1),
            CreatedAt = nowUtc.AddDays(-2),
            UpdatedAt = nowUtc.AddDays(-1),
        },
    ];

    public static IReadOnlyList<ContentItem> Lessons(DateTime nowUtc) =>
    [
        new ContentItem
        {
            Kind = ContentKind.Lesson,
            Status = ContentStatus.Published,
            Title = "5分钟微党课：党员经营户亮身份",
            Summary = "党员经营户为什么要亮身份、亮职责、亮承诺。",
            BodyMarkdown = "## 三亮\n亮身份、亮职责、亮承诺，让顾客认得出、找得到党员经营户。",
            Keywords = "三亮 亮身份 微党课",
            EstimatedMinutes = 5,
            PublishedAt = nowUtc.AddDays(-2),
            CreatedAt = nowUtc.AddDays(-3),
            UpdatedAt = nowUtc.AddDays(-2),
            Questions =
            [
                new QuizQuestion
                {
                    Order = 1,
                    Text = "“三亮”指的是哪三亮？",
                    OptionA = "亮身份、亮职责、亮承诺",
                    OptionB = "亮招牌、亮价格、亮质量",
                    OptionC = "亮成绩、亮荣誉、亮排名",
                    CorrectOption = 'A',
                    Explanation = "三亮即亮身份、亮职责、亮承诺。",
                },
                new QuizQuestion
                {
                    Order = 2,
                    Text = "党员经营户亮身份的主要目的是？",
                    OptionA = "提高商品价格",
                    OptionB = "接受群众监督、发挥示范作用",
                    CorrectOption = 'B',
                },
            ],
        },
    ];
}
