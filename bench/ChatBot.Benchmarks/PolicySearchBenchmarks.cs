using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using ChatBot.Core.Demo;
using ChatBot.Core.Domain;
using ChatBot.Core.Search;

namespace ChatBot.Benchmarks;

/// <summary>
/// Policy search over a realistic-size index: 5,000 published policies generated from the demo guides (each varied
/// by region, trade and keyword mix so the vocabulary grows like a real committee's archive), queried with a rotating
/// set of member questions, including chit-chat that must come back empty.
/// BenchmarkDotNet's percentiles are over iteration means; per-query latency percentiles (the p99 target) are measured
/// in <see cref="ReportPerQueryLatency"/> and printed at the end of the run.
/// </summary>
[Config(typeof(PercentileConfig))]
[MemoryDiagnoser]
public class PolicySearchBenchmarks
{
    private const int IndexSize = 5_000;
    private const int LatencySamples = 50_000;

    private static readonly string[] Questions =
    [
        "个体户注册商标有补贴吗", "怎么办理动产抵押", "營業執照年報在哪弄", "开网店要办执照吗", "顾客投诉我怎么处理",
        "创业贷款怎么申请", "个体户交税能减免吗", "开饭店要办什么证", "食品經營許可證怎麼辦", "店铺搬家了地址要变更吗",
        "经营异常怎么移出", "灵活就业社保有补贴吗", "食品安全两个责任是啥", "不想干了怎么注销", "生病了暂时不开店",
        "名特优新怎么申请", "明码标价有什么要求", "电子秤要检定吗", "用商标能贷款吗", "个体户想转成公司",
        "抖音直播带货需要登记吗", "１２３１５电话多少", "机器设备能抵押贷款吗", "商标注侧补帖", "六税两费是什么",
        "今天天气怎么样", "哈哈哈", "你好", "title:商标 AND (注册 OR", "我想吃火锅",
    ];

    private static readonly string[] Regions = BuildRegions();

    private static readonly string[] Trades =
    [
        "餐饮", "服装", "五金", "建材", "水果", "蔬菜", "茶叶", "家电", "美容美发", "汽车维修", "农资", "药店", "烘焙",
        "粮油", "水产", "家具", "文具", "母婴", "电子产品", "快递代收", "洗衣", "眼镜", "花卉", "酒水", "小吃",
    ];

    private readonly PolicySearchIndex _index = new();
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _index.Rebuild(GeneratePolicies(IndexSize));
        foreach (var question in Questions)
        {
            _index.Search(question);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ReportPerQueryLatency();
        _index.Dispose();
    }

    [Benchmark(Description = "Search, rotating member questions, 5k policies")]
    public int Search()
    {
        var question = Questions[_next];
        _next = (_next + 1) % Questions.Length;
        return _index.Search(question).Count;
    }

    private void ReportPerQueryLatency()
    {
        var samples = new double[LatencySamples];
        for (var i = 0; i < samples.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            _index.Search(Questions[i % Questions.Length]);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        Console.WriteLine(
            $"// PolicySearch per-query latency over {samples.Length} searches ({Questions.Length} questions, {_index.Count} docs): " +
            $"median {Percentile(samples, 0.50):F3} ms, p95 {Percentile(samples, 0.95):F3} ms, " +
            $"p99 {Percentile(samples, 0.99):F3} ms, max {samples[^1]:F3} ms");
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    internal static List<ContentItem> GeneratePolicies(int count)
    {
        var random = new Random(20_250_301);
        var templates = DemoContent.Policies(new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        var policies = new List<ContentItem>(count);
        for (var i = 0; i < count; i++)
        {
            var template = templates[i % templates.Count];
            var region = Regions[random.Next(Regions.Length)];
            var trade = Trades[random.Next(Trades.Length)];
            var year = 2019 + random.Next(7);
            var keywords = template.Keywords.Split(' ').Where(_ => random.NextDouble() < 0.7).Append(region).Append(trade);
            policies.Add(new ContentItem
            {
                Id = i + 1,
                Kind = ContentKind.Policy,
                Status = ContentStatus.Published,
                Title = $"{region}{template.Title}（{trade}行业{year}年版）",
                Summary = $"{region}{trade}经营户适用。{template.Summary}",
                Keywords = string.Join(' ', keywords),
                BodyMarkdown =
                    $"## 适用范围\n本指南适用于{region}辖区内从事{trade}的个体工商户和小微企业，{year}年起执行。\n\n" +
                    template.BodyMarkdown,
                PublishedAt = template.PublishedAt,
            });
        }

        return policies;
    }

    /// <summary>Invented two-character place names plus a level: several hundred distinct regions.</summary>
    private static string[] BuildRegions()
    {
        const string first = "东西南北中青白金石云长安新丰永宁和平";
        const string second = "山湖江河城桥林川阳原";
        string[] levels = ["区", "县", "市", "镇"];
        return (from a in first from b in second from level in levels select $"{a}{b}{level}").ToArray();
    }

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig()
        {
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);
        }
    }
}
