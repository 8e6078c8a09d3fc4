using ChatBot.Core.Demo;
using ChatBot.Core.Domain;
using ChatBot.Core.Search;

namespace ChatBot.UnitTests.Search;

internal static class SearchTestData
{
    public static readonly DateTime Now = new(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>Demo policies with ids assigned the way the database would (1, 2, …, or from <paramref name="firstId"/>).</summary>
    public static List<ContentItem> PoliciesWithIds(int firstId = 1)
    {
        var policies = DemoContent.Policies(Now).ToList();
        for (var i = 0; i < policies.Count; i++)
        {
            policies[i].Id = firstId + i;
        }

        return policies;
    }

    public static List<ContentItem> AllContentWithIds()
    {
        var items = PoliciesWithIds();
        var lessons = DemoContent.Lessons(Now).ToList();
        for (var i = 0; i < lessons.Count; i++)
        {
            lessons[i].Id = 1000 + i;
        }

        items.AddRange(lessons);
        return items;
    }

    /// <summary>The shipped thesaurus, templates/search/synonyms.txt, as the host loads it.</summary>
    public static SearchThesaurus Thesaurus(QueryNormalizer normalizer)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "templates", "search", "synonyms.txt");
        var thesaurus = SearchThesaurus.Parse(File.ReadAllText(path), normalizer, out var errors);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join('\n', errors));
        return thesaurus;
    }

    /// <summary>The shipped domain vocabulary, templates/search/domain.txt.</summary>
    public static SearchDomain Domain(QueryNormalizer normalizer) =>
        SearchDomain.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "templates", "search", "domain.txt")), normalizer);

    public static ContentItem Policy(int id, string title, string keywords, string body = "") => new()
    {
        Id = id,
        Kind = ContentKind.Policy,
        Status = ContentStatus.Published,
        Title = title,
        Summary = title,
        Keywords = keywords,
        BodyMarkdown = body,
    };
}
