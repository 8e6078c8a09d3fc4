using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ChatBot.Core.Demo;
using ChatBot.Core.Domain;
using ChatBot.Core.Search;

namespace ChatBot.Benchmarks;

/// <summary>
/// A bounded loop for per-question latency percentiles, as the host searches: the shipped thesaurus and domain list,
/// SmartCn segmentation, and <see cref="PolicySearchIndex.Answer"/> (so questions nothing answers also pay for the
/// 可能相关 pass). Questions: the repository's and development sets, plus chit-chat and in-domain questions with no
/// confident answer. Corpora: the demo content (20 guides + 5 lessons) and 5,000 generated guides.
/// Run: <c>dotnet run -c Release --project bench/ChatBot.Benchmarks -- search-latency</c>.
/// </summary>
internal static class SearchLatency
{
    private const int Warmup = 2_000;
    private const int Samples = 30_000;

    private static readonly string[] Extra =
    [
        "今天天气怎么样", "哈哈哈", "你好", "我想吃火锅", "个体户可以请几天假吗", "支部书记说要填个表，什么表",
        "党员开店有什么要注意的", "title:商标 AND (注册 OR", "🙂🙂👍",
    ];

    public static void Run()
    {
        var root = RepositoryRoot();
        var questions = new[] { "relevance-set.json", "dev-set.json" }
            .SelectMany(f => JsonSerializer.Deserialize<List<Case>>(File.ReadAllText(Path.Combine(root, "tests", "ChatBot.UnitTests", "Search", f)), JsonOptions)!)
            .Select(c => c.Question).Concat(Extra).ToArray();
        var now = new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var demo = DemoContent.Policies(now).Concat(DemoContent.Lessons(now)).Select((c, i) => { c.Id = i + 1; return c; }).ToList();

        Console.WriteLine($"// {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores");
        Measure("demo corpus", demo, questions, root);
        Measure("5,000 generated guides", PolicySearchBenchmarks.GeneratePolicies(5_000), questions, root);
    }

    private static void Measure(string name, List<ContentItem> items, string[] questions, string root)
    {
        using var index = new PolicySearchIndex();
        var normalizer = index.Normalizer;
        var thesaurus = SearchThesaurus.Parse(File.ReadAllText(Path.Combine(root, "templates", "search", "synonyms.txt")), normalizer, out _);
        var domain = SearchDomain.Parse(File.ReadAllText(Path.Combine(root, "templates", "search", "domain.txt")), normalizer);
        index.Rebuild(items, thesaurus, domain);

        for (var i = 0; i < Warmup; i++) index.Answer(questions[i % questions.Length]);
        var samples = new double[Samples];
        for (var i = 0; i < samples.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            index.Answer(questions[i % questions.Length]);
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        Console.WriteLine(
            $"// Answer() on {name} ({index.Count} docs), {samples.Length} searches over {questions.Length} questions: " +
            $"median {P(samples, 0.50):F3} ms, p95 {P(samples, 0.95):F3} ms, p99 {P(samples, 0.99):F3} ms, max {samples[^1]:F3} ms");
    }

    private static double P(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatBot.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the repository (ChatBot.sln not found above the binary).");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record Case(string Question);
}
